import { describe, expect, it } from 'vitest';
import { accuracy, auc, logloss, mae, mse } from '../../src/train/metrics.js';

// Independent AUC: the probability that a random positive scores above a random negative,
// counting ties as one half, by enumerating every (positive, negative) pair.
function pairwiseAuc(pred: number[], label: number[], w?: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < pred.length; i++) {
    if (label[i] !== 1) continue;
    for (let j = 0; j < pred.length; j++) {
      if (label[j] !== 0) continue;
      const ww = (w?.[i] ?? 1) * (w?.[j] ?? 1);
      den += ww;
      num += ww * (pred[i] > pred[j] ? 1 : pred[i] === pred[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

describe('auc', () => {
  it('matches a hand computation without ties', () => {
    // positives 0.9, 0.4; negatives 0.8, 0.1 -> pairs won: (0.9>0.8)(0.9>0.1)(0.4>0.1) = 3 of 4
    expect(auc({ pred: [0.9, 0.8, 0.4, 0.1], label: [1, 0, 1, 0] })).toBe(0.75);
  });
  it('counts ties between classes as one half', () => {
    expect(auc({ pred: [0.5, 0.5], label: [1, 0] })).toBe(0.5);
    expect(auc({ pred: [0.5, 0.5, 0.7, 0.2], label: [1, 0, 1, 0] })).toBe(
      pairwiseAuc([0.5, 0.5, 0.7, 0.2], [1, 0, 1, 0]),
    );
  });
  it('equals the pairwise definition on random data with many ties, with and without weights', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 20; trial++) {
      const n = 200;
      const pred = Array.from({ length: n }, () => Math.round(rnd() * 10) / 10);
      const label = pred.map((p) => (rnd() < p ? 1 : 0));
      const mask = Array.from({ length: n }, () => (rnd() < 0.3 ? 0 : 1));
      expect(auc({ pred, label })).toBeCloseTo(pairwiseAuc(pred, label), 12);
      expect(auc({ pred, label, mask })).toBeCloseTo(pairwiseAuc(pred, label, mask), 12);
    }
  });
  it('is NaN (and terminates) when a counted score is NaN or infinite', () => {
    expect(auc({ pred: [0.1, NaN, 0.3], label: [1, 0, 1] })).toBeNaN();
    expect(auc({ pred: [0.1, Infinity], label: [1, 0] })).toBeNaN();
    // a NaN outside the sample space does not count
    expect(auc({ pred: [0.9, NaN, 0.1], label: [1, 0, 0], mask: [1, 0, 1] })).toBe(1);
  });
  it('is NaN with a single class', () => {
    expect(auc({ pred: [0.1, 0.2], label: [1, 1] })).toBeNaN();
  });
});

describe('pointwise metrics', () => {
  const pred = [0.9, 0.2, 0.6, 0.0];
  const label = [1, 0, 0, 1];
  it('logloss equals -mean(y log p + (1-y) log(1-p)) with clipping', () => {
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(1e-7)) / 4;
    expect(logloss({ pred, label })).toBeCloseTo(expected, 12);
  });
  it('masks rows out of the sample space', () => {
    const mask = [1, 1, 0, 0];
    expect(logloss({ pred, label, mask })).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(accuracy({ pred, label, mask })).toBe(1);
  });
  it('accuracy thresholds at 0.5', () => {
    expect(accuracy({ pred, label })).toBe(0.5);
  });
  it('mse and mae', () => {
    const p = [1, 2, 3];
    const y = [1.5, 2, 1];
    expect(mse({ pred: p, label: y })).toBeCloseTo((0.25 + 0 + 4) / 3, 12);
    expect(mae({ pred: p, label: y })).toBeCloseTo((0.5 + 0 + 2) / 3, 12);
  });
});
