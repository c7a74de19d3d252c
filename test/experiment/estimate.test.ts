// The time estimate printed before an experiment: Adam steps per run from rows, validation
// fraction, batch and epochs (synthetic data), and the line the runner logs.
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/definition.js';
import { plannedSteps, renderEstimate } from '../../src/experiment/estimate.js';
import { planExperiment } from '../../src/experiment/plan.js';

describe('experiment time estimate', () => {
  it('counts the steps of the budget study the way its comment table does', () => {
    const plan = planExperiment(loadExperiment('experiments/mmoe-budget/experiment.yaml'));
    const steps = (cell: string) => plannedSteps(plan.runs.find((r) => r.cell === cell && r.label === 'mmoe')!);
    // ceil(0.9 * rows / 128) steps per epoch
    expect(steps('data.rows=8000, training.epochs=20, data.correlation=0.5')).toBe(20 * Math.ceil(7200 / 128));
    expect(steps('data.rows=8000, training.epochs=123, data.correlation=0.5')).toBe(7011);
    expect(steps('data.rows=30000, training.epochs=33, data.correlation=0.5')).toBe(33 * 211);
    expect(steps('data.rows=100000, training.epochs=2, data.correlation=1')).toBe(1408);
  });

  it('says what it knows and what it does not', () => {
    expect(renderEstimate({ seconds: 3600, estimated: 6, unknown: 0 }, 6, 2, 0)).toBe(
      'expected: about 60 min of run time for 6 runs, 30 min on 2 slots, at the speed the earlier records of this folder were made',
    );
    expect(renderEstimate({ seconds: 40, estimated: 1, unknown: 2 }, 3, 1, 0)).toBe(
      'expected: about 40 s of run time for 3 runs, 40 s on 1 slot, at the speed the earlier records of this folder were made (2 of 3 runs have no estimate)',
    );
    expect(renderEstimate({ seconds: 0, estimated: 0, unknown: 4 }, 4, 2, 0)).toBe(
      'expected: unknown (no earlier record of these models in this folder)',
    );
    expect(renderEstimate({ seconds: 0, estimated: 0, unknown: 0 }, 0, 2, 45)).toBe(
      'expected: nothing to train (all 45 runs finished); reports are rebuilt from the records',
    );
  });
});
