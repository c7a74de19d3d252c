// When a finite loss still means training has diverged. The binary cross-entropy is computed on
// predictions clipped to [1e-7, 1 - 1e-7] (src/train/loss.ts), so a model whose weights blow up
// (learningRate 1e6) saturates its sigmoids and reports a large but finite loss; the NaN stop
// never fires. The rule, documented in docs/training.md:
//
//   reference = max(C, L1), where C is the loss of the best constant predictor on the training
//   rows (per task, weighted as in the objective: the base rate's cross-entropy for binary
//   tasks, the label variance for mse, the mean absolute deviation from the median for mae, the
//   Huber loss around the mean for huber, the entropy of the class frequencies for
//   categorical_crossentropy) and L1 the loss of the first batch of the run (the
//   untrained model, which can be well above C for a rare positive class);
//
//   training has diverged at the first batch whose loss is above DIVERGENCE_FACTOR x reference
//   while the mean loss of its read window (LOSS_READ_WINDOW batches) is above it too.
//
// A healthy run starts near L1 and goes down; three times the larger of the two means the model
// is doing far worse than predicting a constant and is not recovering within the window.
import type { TaskIR } from '../compiler/ir.js';
import type { ModelData } from './dataset.js';

export const DIVERGENCE_FACTOR = 3;

const EPS = 1e-7;

/** The masked values of one task's label on the training rows. */
function maskedLabels(data: ModelData, task: string): number[] {
  const y = data.labels.get(task)!;
  const m = data.masks.get(task)!;
  const out: number[] = [];
  for (let i = 0; i < data.n; i++) if (m[i] > 0) out.push(y[i]);
  return out;
}

/** The loss of the best constant prediction for one task's labels (0 for no labelled row). */
export function constantLoss(loss: TaskIR['loss'], ys: readonly number[]): number {
  const n = ys.length;
  if (n === 0) return 0;
  const mean = ys.reduce((s, y) => s + y, 0) / n;
  switch (loss) {
    case 'binary_crossentropy': {
      const p = Math.min(1 - EPS, Math.max(EPS, mean));
      return -(mean * Math.log(p) + (1 - mean) * Math.log(1 - p));
    }
    case 'mse':
      return ys.reduce((s, y) => s + (y - mean) ** 2, 0) / n;
    case 'mae': {
      const sorted = [...ys].sort((a, b) => a - b);
      const median = sorted[Math.floor((n - 1) / 2)];
      return ys.reduce((s, y) => s + Math.abs(y - median), 0) / n;
    }
    case 'categorical_crossentropy': {
      // the class frequencies f_c predicted for every row: their entropy -sum f_c log f_c
      const counts = new Map<number, number>();
      for (const y of ys) counts.set(y, (counts.get(y) ?? 0) + 1);
      let h = 0;
      for (const c of counts.values()) h -= (c / n) * Math.log(c / n);
      return h;
    }
    case 'huber':
      return (
        ys.reduce((s, y) => {
          const a = Math.abs(y - mean);
          return s + (a <= 1 ? 0.5 * a * a : a - 0.5);
        }, 0) / n
      );
  }
}

/** C: the objective's value for the best constant predictor (sum of weight x constant loss). */
export function constantPredictorLoss(tasks: readonly TaskIR[], data: ModelData): number {
  return tasks.reduce((s, t) => s + t.weight * constantLoss(t.loss, maskedLabels(data, t.name)), 0);
}
