// Metrics of a multi-class task: `pred` holds K probabilities per row (row-major, rows x K),
// `label` the class index, `mask` the row weights (0 = not counted). Pure TypeScript, like
// metrics.ts.
//
//   accuracy        the share of rows whose most probable class (the first, on a tie) is the label
//   top_k_accuracy  the share of rows where fewer than k classes are strictly more probable than
//                   the label (ties count in the label's favour)
//   macro_auc       one-vs-rest ROC AUC of each class's probability (positives: rows of that
//                   class), averaged over the classes that have both positive and negative rows
//   logloss         mean of -log p_label, p clipped to [1e-7, 1] (as the training loss)
import { auc, type Scored } from './metrics.js';

const LOG_EPS = 1e-7;

export interface ClassScored extends Scored {
  /** Number of classes K: pred has K entries per row. */
  classes: number;
}

function meanOver(s: ClassScored, f: (row: number, y: number) => number): number {
  const n = s.label.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const w = s.mask ? s.mask[i] : 1;
    if (w <= 0) continue;
    num += w * f(i, s.label[i]);
    den += w;
  }
  return den > 0 ? num / den : NaN;
}

/** How many classes are strictly more probable than class y in row i. */
function rankOf(s: ClassScored, i: number, y: number): number {
  const K = s.classes;
  const p = s.pred[i * K + y];
  let above = 0;
  for (let c = 0; c < K; c++) if (s.pred[i * K + c] > p) above++;
  return above;
}

export function argmax(pred: ArrayLike<number>, row: number, K: number): number {
  let best = 0;
  for (let c = 1; c < K; c++) if (pred[row * K + c] > pred[row * K + best]) best = c;
  return best;
}

export function multiclassAccuracy(s: ClassScored): number {
  return meanOver(s, (i, y) => (argmax(s.pred, i, s.classes) === y ? 1 : 0));
}

export function topKAccuracy(s: ClassScored, k: number): number {
  return meanOver(s, (i, y) => (rankOf(s, i, y) < k ? 1 : 0));
}

export function multiclassLogloss(s: ClassScored): number {
  return meanOver(s, (i, y) => -Math.log(Math.min(1, Math.max(LOG_EPS, s.pred[i * s.classes + y]))));
}

/** One-vs-rest AUC of one class. NaN when the class has no positive or no negative row. */
export function classAuc(s: ClassScored, c: number): number {
  const n = s.label.length;
  const pred = new Float64Array(n);
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pred[i] = s.pred[i * s.classes + c];
    label[i] = s.label[i] === c ? 1 : 0;
  }
  return auc({ pred, label, mask: s.mask });
}

export function macroAuc(s: ClassScored): number {
  let sum = 0;
  let defined = 0;
  for (let c = 0; c < s.classes; c++) {
    const a = classAuc(s, c);
    if (Number.isNaN(a)) continue;
    sum += a;
    defined++;
  }
  return defined > 0 ? sum / defined : NaN;
}

export function computeMulticlassMetrics(
  names: readonly string[],
  s: ClassScored,
  topK: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    if (n === 'accuracy') out[n] = multiclassAccuracy(s);
    else if (n === 'top_k_accuracy') out[n] = topKAccuracy(s, topK);
    else if (n === 'macro_auc') out[n] = macroAuc(s);
    else if (n === 'logloss') out[n] = multiclassLogloss(s);
  }
  return out;
}
