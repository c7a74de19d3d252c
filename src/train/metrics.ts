// Evaluation metrics over predictions, labels and a per-row weight mask (0 = row not in the
// task's sample space). Pure TypeScript (no tfjs) so they can be checked against independent
// computations and reused by evaluate, experiments and the browser.

export type MetricName = 'auc' | 'logloss' | 'accuracy' | 'mse' | 'mae' | 'top_k_accuracy' | 'macro_auc';

export interface Scored {
  pred: ArrayLike<number>;
  label: ArrayLike<number>;
  /** Optional weights; rows with weight 0 are ignored. */
  mask?: ArrayLike<number>;
}

const LOG_EPS = 1e-7;

function rows({ pred, mask }: Scored): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pred.length; i++) if (!mask || mask[i] > 0) idx.push(i);
  return idx;
}

/**
 * ROC AUC as the Mann-Whitney statistic with average ranks for ties (a tie between a positive
 * and a negative counts one half). Weighted by the mask. NaN when only one class is present.
 */
export function auc(s: Scored): number {
  const idx = rows(s);
  // A non-finite score has no rank (and NaN !== NaN would stall the tie scan below).
  if (idx.some((i) => !Number.isFinite(s.pred[i]))) return NaN;
  idx.sort((a, b) => s.pred[a] - s.pred[b]);
  let posW = 0;
  let negW = 0;
  let sum = 0; // sum over positives of (negative weight ranked below + half the tied negatives)
  let negBelow = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    let tiePos = 0;
    let tieNeg = 0;
    while (j < idx.length && s.pred[idx[j]] === s.pred[idx[i]]) {
      const r = idx[j];
      const w = s.mask ? s.mask[r] : 1;
      if (s.label[r] > 0.5) tiePos += w;
      else tieNeg += w;
      j++;
    }
    sum += tiePos * (negBelow + tieNeg / 2);
    negBelow += tieNeg;
    posW += tiePos;
    negW += tieNeg;
    i = j;
  }
  return posW > 0 && negW > 0 ? sum / (posW * negW) : NaN;
}

function weightedMean(s: Scored, f: (p: number, y: number) => number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.pred.length; i++) {
    const w = s.mask ? s.mask[i] : 1;
    if (w <= 0) continue;
    num += w * f(s.pred[i], s.label[i]);
    den += w;
  }
  return den > 0 ? num / den : NaN;
}

/** Binary cross-entropy with predictions clipped to [1e-7, 1 - 1e-7] (as Keras does). */
export function logloss(s: Scored): number {
  return weightedMean(s, (p, y) => {
    const q = Math.min(Math.max(p, LOG_EPS), 1 - LOG_EPS);
    return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
  });
}

export function accuracy(s: Scored, threshold = 0.5): number {
  return weightedMean(s, (p, y) => ((p >= threshold ? 1 : 0) === (y > 0.5 ? 1 : 0) ? 1 : 0));
}

export function mse(s: Scored): number {
  return weightedMean(s, (p, y) => (p - y) ** 2);
}

export function mae(s: Scored): number {
  return weightedMean(s, (p, y) => Math.abs(p - y));
}

export const METRIC_FUNCTIONS: Record<'auc' | 'logloss' | 'accuracy' | 'mse' | 'mae', (s: Scored) => number> = {
  auc,
  logloss,
  accuracy,
  mse,
  mae,
};

/** Whether a larger value of the metric is better (for early stopping and best checkpoints). */
export function higherIsBetter(m: MetricName): boolean {
  return m === 'auc' || m === 'accuracy' || m === 'top_k_accuracy' || m === 'macro_auc';
}

export function computeMetrics(names: readonly string[], s: Scored): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    const f = METRIC_FUNCTIONS[n as keyof typeof METRIC_FUNCTIONS];
    if (f) out[n] = f(s);
  }
  return out;
}
