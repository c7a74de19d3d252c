// The label correlation the experiment reports for synthetic data. The generator's own
// statistics (label correlation ~ rho for m = 0, seed determinism, shared task functions) are
// tested in test/data/synthetic-mmoe.test.ts; this checks the experiment-level number: the
// planned run's data, with its overrides and seed, gives the expected Pearson correlation.
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/definition.js';
import { planExperiment } from '../../src/experiment/plan.js';
import { measuredLabelCorrelation } from '../../src/experiment/run.js';
import { scratchExperiment } from './helpers.js';

describe('measured label correlation', () => {
  const { file } = scratchExperiment(`
specs: [paper/mmoe.yaml]
matrix: { data.correlation: [0, 1] }
set: { data.params.m: 0, data.rows: 20000, data.testRows: 10 }
seeds: [1, 2]
`);
  const runs = planExperiment(loadExperiment(file)).runs;

  it.each([0, 1])('is about rho = %s for linear tasks (m = 0)', async (rho) => {
    for (const run of runs.filter((r) => r.spec.data.source === 'synthetic' && r.spec.data.correlation === rho)) {
      // corr = c^2 rho / (c^2 + noise) = rho / 1.01; sampling error about 0.007 at 20000 rows
      expect(Math.abs((await measuredLabelCorrelation(run))! - rho / 1.01)).toBeLessThan(0.03);
    }
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const [a, b] = runs.filter((r) => r.cell === 'data.correlation=0');
    const again = planExperiment(loadExperiment(file)).runs.find((r) => r.id === a.id)!;
    expect(await measuredLabelCorrelation(again)).toBe(await measuredLabelCorrelation(a));
    expect(await measuredLabelCorrelation(b)).not.toBe(await measuredLabelCorrelation(a));
  });

  it('is left out for CSV data', async () => {
    const run = { ...runs[0], spec: { ...runs[0].spec, data: { source: 'csv' } } } as never;
    expect(await measuredLabelCorrelation(run)).toBeUndefined();
  });
});
