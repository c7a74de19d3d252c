// Learning-rate schedules (training.learningRateSchedule): the rate of every optimizer step, as a
// pure function of the 0-based step index, so a resumed run (which restarts at an epoch boundary,
// step = epochs done x batches per epoch) takes the same rates as an uninterrupted one.
//
// Warmup (Goyal et al. 2017, linear): lr (s + 1) / W for s < W. After warmup, with t = s - W and
// T = total - W - 1 (the last step's t): constant lr; step lr d^floor(t / k); exponential lr d^(t / k);
// cosine (Loshchilov & Hutter 2017, one cycle, no restart) m + (lr - m) (1 + cos(pi t / T)) / 2.
import type { TrainingSpec } from '../schema/spec-schema.js';

export type Schedule = NonNullable<TrainingSpec['learningRateSchedule']>;

export function learningRateAt(lr: number, schedule: Schedule | undefined, step: number, totalSteps: number): number {
  if (!schedule) return lr;
  const w = schedule.warmupSteps;
  if (step < w) return (lr * (step + 1)) / w;
  const t = step - w;
  switch (schedule.decay) {
    case 'step':
      return lr * schedule.decayRate! ** Math.floor(t / schedule.decaySteps!);
    case 'exponential':
      return lr * schedule.decayRate! ** (t / schedule.decaySteps!);
    case 'cosine': {
      const span = Math.max(1, totalSteps - w - 1);
      const m = schedule.minLearningRate;
      return m + ((lr - m) * (1 + Math.cos((Math.PI * Math.min(t, span)) / span))) / 2;
    }
    default:
      return lr;
  }
}

/** Whether the warmup ends before training does (the exact check, once the row count is known). */
export function warmupProblem(
  training: Pick<TrainingSpec, 'learningRateSchedule' | 'epochs'>,
  batches: number,
): string | undefined {
  const w = training.learningRateSchedule?.warmupSteps ?? 0;
  const total = training.epochs * batches;
  if (w === 0 || w < total) return undefined;
  return `the warmup of ${w} steps is not shorter than training: ${total} steps (${training.epochs} epochs of ${batches} batches). Shorten warmupSteps or train longer.`;
}

interface HasLearningRate {
  learningRate: number;
  setLearningRate?: (lr: number) => void;
}

/** Set the optimizer's rate for the next step (tfjs' SGD keeps it in a scalar: setLearningRate). */
export function setLearningRate(optimizer: object, lr: number): void {
  const o = optimizer as HasLearningRate;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
