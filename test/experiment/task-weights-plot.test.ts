// The task-weight figure of an experiment: drawn only for models that learned their weights, one
// panel per such model, one line per task.
import { describe, expect, it } from 'vitest';
import { taskWeightCurves } from '../../src/experiment/plots.js';
import type { ResultView } from '../../src/experiment/results.js';

const record = (label: string, seed: number, weights?: [number, number][]) => ({
  label,
  cell: 'default',
  seed,
  epochs: [0, 1, 2].map((i) => ({
    epoch: i + 1,
    loss: 1 - i * 0.1,
    seconds: 1,
    validation: {},
    ...(weights ? { taskWeights: { income: weights[i][0], never_married: weights[i][1] } } : {}),
  })),
});

const view = (records: ReturnType<typeof record>[]): ResultView =>
  ({
    labels: [...new Set(records.map((r) => r.label))],
    cells: ['default'],
    metrics: ['auc'],
    targets: ['income', 'never_married'],
    records,
    tasks: new Map(),
  }) as never;

describe('taskWeightCurves', () => {
  it('is absent when every model has fixed weights', () => {
    expect(taskWeightCurves(view([record('fixed', 1), record('fixed', 2)]), 'x')).toBeUndefined();
  });

  it('draws a panel per learning model and a line per task', () => {
    const w: [number, number][] = [
      [1, 1],
      [0.9, 1.1],
      [0.8, 1.2],
    ];
    const svg = taskWeightCurves(
      view([record('fixed', 1), record('uncertainty', 1, w), record('uncertainty', 2, w)]),
      'census',
    )!;
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('census: learned loss weight per task and epoch');
    expect(svg).toContain('>uncertainty<');
    expect(svg).not.toContain('>fixed<');
    expect(svg).toContain('>income<');
    expect(svg).toContain('>never_married<');
  });
});
