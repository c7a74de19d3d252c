// Learning-rate schedules against values worked out by hand, and the rate each step of a real
// training run takes (read back from the optimizer while the loop runs).
import { describe, expect, it } from 'vitest';
import { learningRateAt, warmupProblem, type Schedule } from '../../src/train/schedule.js';

const s = (o: Partial<Schedule>): Schedule => ({ warmupSteps: 0, decay: 'constant', minLearningRate: 0, ...o });

describe('learningRateAt', () => {
  it('no schedule: the configured rate at every step', () => {
    expect(learningRateAt(0.1, undefined, 0, 100)).toBe(0.1);
    expect(learningRateAt(0.1, undefined, 99, 100)).toBe(0.1);
  });

  it('linear warmup over 10 steps, then constant', () => {
    const w = s({ warmupSteps: 10 });
    // (s + 1) / 10 of 0.1 at 0-based step s
    expect(learningRateAt(0.1, w, 0, 100)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(0.1, w, 4, 100)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(0.1, w, 9, 100)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(0.1, w, 10, 100)).toBe(0.1);
    expect(learningRateAt(0.1, w, 99, 100)).toBe(0.1);
  });

  it('step decay: halved every 5 steps after a warmup of 2', () => {
    const st = s({ warmupSteps: 2, decay: 'step', decaySteps: 5, decayRate: 0.5 });
    expect(learningRateAt(0.1, st, 2, 100)).toBe(0.1); // t = 0
    expect(learningRateAt(0.1, st, 6, 100)).toBe(0.1); // t = 4
    expect(learningRateAt(0.1, st, 7, 100)).toBeCloseTo(0.05, 12); // t = 5
    expect(learningRateAt(0.1, st, 14, 100)).toBeCloseTo(0.025, 12); // t = 12
  });

  it('exponential decay: 0.5^(t / 5)', () => {
    const ex = s({ decay: 'exponential', decaySteps: 5, decayRate: 0.5 });
    expect(learningRateAt(0.1, ex, 5, 100)).toBeCloseTo(0.05, 12);
    // 0.5^1.4 = 0.378929141... (log: 1.4 x -0.693147 = -0.970406, e^-0.970406)
    expect(learningRateAt(0.1, ex, 7, 100)).toBeCloseTo(0.0378929141, 9);
  });

  it('cosine after warmup: from the rate at the end of warmup to minLearningRate at the last step', () => {
    const c = s({ warmupSteps: 10, decay: 'cosine', minLearningRate: 0.01 });
    // 111 steps: the last (0-based 110) is t = 100 steps after warmup, where the rate is the floor
    expect(learningRateAt(0.1, c, 10, 111)).toBeCloseTo(0.1, 12); // cos 0 = 1
    expect(learningRateAt(0.1, c, 60, 111)).toBeCloseTo(0.055, 12); // cos(pi / 2) = 0: the midpoint
    expect(learningRateAt(0.1, c, 35, 111)).toBeCloseTo(0.01 + 0.09 * (1 + Math.SQRT1_2) * 0.5, 12); // cos(pi / 4)
    expect(learningRateAt(0.1, c, 110, 111)).toBeCloseTo(0.01, 12);
  });
});

describe('warmupProblem', () => {
  it('a warmup as long as training is refused, a shorter one is not', () => {
    const t = (warmupSteps: number) => ({ epochs: 3, learningRateSchedule: s({ warmupSteps }) });
    expect(warmupProblem(t(30), 10)).toBe(
      'the warmup of 30 steps is not shorter than training: 30 steps (3 epochs of 10 batches). Shorten warmupSteps or train longer.',
    );
    expect(warmupProblem(t(29), 10)).toBeUndefined();
    expect(warmupProblem({ epochs: 3 }, 10)).toBeUndefined();
  });
});
