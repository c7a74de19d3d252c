// A multi-class task through the CLI on a tiny CSV project (label `color`, 4 classes, next to the
// binary task y): train and evaluate report its metrics; `predict` writes the most probable class
// and one probability column per class (equal to the serving API's `<task>:<class>` scores and to
// ONNX Runtime's), and the test metrics equal the metrics recomputed here from those columns; a
// label outside `classes` stops training at its file and row, unless unknownClass: skip.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { torch } from '../export/python.js';
import { cli, COLORS, tinyProject } from './helpers.js';

function multiclassSpec(classes: readonly string[], extra = ''): string {
  return `specVersion: 1
name: tiny_multiclass
data: { source: csv, train: train.csv, test: test.csv }
features:
  - { name: x, type: numeric }
  - { name: size, type: categorical, embeddingDim: 2 }
featureGroups: { all: [x, size] }
model:
  levels:
    - pools: [{ name: experts, count: 2, units: [8] }]
      gates: [{ name: y_gate, pools: [experts] }, { name: color_gate, pools: [experts] }]
  towers: [{ name: y, input: y_gate, units: [4] }, { name: color, input: color_gate, units: [4] }]
tasks:
  - { name: y, label: y, positive: 'yes', negative: ['no'] }
  - { name: color, type: multiclass, label: color, classes: [${classes.join(', ')}], topK: 2${extra} }
training: { epochs: 3, batchSize: 64, learningRate: 0.02, seed: 3, validationFraction: 0.2 }
`;
}

function project(classes: readonly string[], extra = ''): string {
  const dir = tinyProject();
  writeFileSync(join(dir, 'spec.yaml'), multiclassSpec(classes, extra));
  return dir;
}

const train = (dir: string) =>
  cli('train', join(dir, 'spec.yaml'), '-o', join(dir, 'out'), '--backend', 'cpu', '--no-progress');

beforeAll(async () => {
  await initBackend('cpu');
});

describe('a multi-class task through train, evaluate, predict and serving', () => {
  it('scores one probability per class; the metrics equal a recomputation from the predict output', async () => {
    const dir = project(COLORS);
    const t = await train(dir);
    expect(t.code, t.err.join('\n')).toBe(0);
    const ev = await cli(
      'evaluate',
      join(dir, 'spec.yaml'),
      '-m',
      join(dir, 'out'),
      '--backend',
      'cpu',
      '--format',
      'json',
    );
    expect(ev.code, ev.err.join('\n')).toBe(0);
    const report = JSON.parse(ev.out) as { tasks: { task: string; rows: number; metrics: Record<string, number> }[] };
    const color = report.tasks.find((r) => r.task === 'color')!;
    expect(Object.keys(color.metrics)).toEqual(['accuracy', 'top_k_accuracy', 'macro_auc', 'logloss']);

    const p = await cli('predict', join(dir, 'out'), '-i', join(dir, 'test.csv'), '--backend', 'cpu');
    expect(p.code, p.err.join('\n')).toBe(0);
    const [header, ...lines] = p.out.split('\n');
    expect(header).toBe(['y', 'color', ...COLORS.map((c) => `color:${c}`)].join(','));
    const rows = lines.map((l) => l.split(','));
    const truth = readFileSync(join(dir, 'test.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    expect(rows).toHaveLength(truth.length);
    let hits = 0;
    let top2 = 0;
    let logloss = 0;
    rows.forEach((r, i) => {
      const probs = r.slice(2).map(Number);
      expect(probs.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      const order = [...probs.keys()].sort((a, b) => probs[b] - probs[a]);
      expect(r[1]).toBe(COLORS[order[0]]);
      const y = COLORS.indexOf(truth[i] as (typeof COLORS)[number]);
      if (order[0] === y) hits++;
      if (order.slice(0, 2).includes(y)) top2++;
      logloss -= Math.log(probs[y]);
    });
    expect(color.rows).toBe(truth.length);
    expect(color.metrics.accuracy).toBeCloseTo(hits / truth.length, 6);
    expect(color.metrics.top_k_accuracy).toBeCloseTo(top2 / truth.length, 6);
    expect(color.metrics.logloss).toBeCloseTo(logloss / truth.length, 4);

    // the serving API: `color:<class>` probabilities, equal to predict's columns
    const servable = await loadServableFromDir(join(dir, 'out'), { tf });
    expect(servable.tasks.find((x) => x.name === 'color')?.classes).toEqual([...COLORS]);
    const testRows = readFileSync(join(dir, 'test.csv'), 'utf8').trim().split('\n').slice(1, 6);
    const { scores, errors } = await servable.score(
      testRows.map((l) => {
        const [x, , size] = l.split(',');
        return { x: Number(x), size };
      }),
    );
    servable.dispose();
    expect(errors).toEqual([]);
    scores.forEach((s, i) => COLORS.forEach((c, k) => expect(s![`color:${c}`]).toBeCloseTo(Number(rows[i][2 + k]), 6)));

    // ONNX Runtime gives the same columns
    const o = await cli('predict', join(dir, 'out'), '-i', join(dir, 'test.csv'), '--engine', 'onnxruntime');
    expect(o.code, o.err.join('\n')).toBe(0);
    const onnxRows = o.out
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    onnxRows.forEach((r, i) => {
      expect(r[1]).toBe(rows[i][1]);
      r.slice(2).forEach((v, k) => expect(Math.abs(Number(v) - Number(rows[i][2 + k]))).toBeLessThan(1e-5));
    });
  });

  it('a label outside classes is an error at its file and row; unknownClass: skip leaves those rows out', async () => {
    const dir = project(['red', 'green', 'blue']);
    const t = await train(dir);
    expect(t.code).toBe(1);
    const line = readFileSync(join(dir, 'train.csv'), 'utf8')
      .split('\n')
      .findIndex((l) => l.split(',')[1] === 'black');
    expect(t.err.join('\n')).toContain(
      `train.csv:${line + 1}: task "color": label "black" in column "color" is not one of its 3 classes`,
    );
    // validate's data check reports it at the spec's classes, before any training
    const v = await cli('validate', join(dir, 'spec.yaml'));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(
      /spec\.yaml:15:61: error data-label-value: task "color": label column "color" has "black" \(first at .*train\.csv:\d+\), not among its 3 classes/,
    );
    const skipDir = project(['red', 'green', 'blue'], ', unknownClass: skip');
    const s = await train(skipDir);
    expect(s.code, s.err.join('\n')).toBe(0);
    const ev = await cli(
      'evaluate',
      join(skipDir, 'spec.yaml'),
      '-m',
      join(skipDir, 'out'),
      '--backend',
      'cpu',
      '--format',
      'json',
    );
    const report = JSON.parse(ev.out) as { tasks: { task: string; rows: number }[] };
    const testLabels = readFileSync(join(skipDir, 'test.csv'), 'utf8').trim().split('\n').slice(1);
    expect(report.tasks.find((r) => r.task === 'color')?.rows).toBe(
      testLabels.filter((l) => l.split(',')[1] !== 'black').length,
    );
  });
});

interface Metrics {
  epochs: { epoch: number; loss: number }[];
  test: { task: string; rows: number; metrics: Record<string, number> }[];
}

describe.skipIf(!torch.python)('a multi-class task on the PyTorch engine', () => {
  it("trains to the tfjs engine's losses and metrics (generated Dense(K) + softmax head, categorical CE)", async () => {
    const dir = project(COLORS);
    const spec = join(dir, 'spec.yaml');
    const a = await cli('train', spec, '-o', join(dir, 'tfjs'), '--backend', 'cpu', '--no-progress');
    const b = await cli(
      'train',
      spec,
      '-o',
      join(dir, 'torch'),
      '--backend',
      'cpu',
      '--no-progress',
      '--engine',
      'torch',
    );
    expect(a.code, a.err.join('\n')).toBe(0);
    expect(b.code, b.err.join('\n')).toBe(0);
    const ma = JSON.parse(readFileSync(join(dir, 'tfjs', 'metrics.json'), 'utf8')) as Metrics;
    const mb = JSON.parse(readFileSync(join(dir, 'torch', 'metrics.json'), 'utf8')) as Metrics;
    expect(mb.epochs.length).toBe(3);
    mb.epochs.forEach((e, i) => expect(Math.abs(e.loss - ma.epochs[i].loss)).toBeLessThan(1e-4));
    const color = mb.test.find((t) => t.task === 'color')!;
    expect(Object.keys(color.metrics).sort()).toEqual(['accuracy', 'logloss', 'macro_auc', 'top_k_accuracy']);
    for (const [i, t] of mb.test.entries())
      for (const [k, v] of Object.entries(t.metrics)) expect(Math.abs(v - ma.test[i].metrics[k]), k).toBeLessThan(1e-4);
  }, 120_000);
});
