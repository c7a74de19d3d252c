// Sample weights: the weighted loss and the weighted metrics against independent computations
// written here (brute-force pair counting for AUC, hand loops for the means), and the identity
// that an integer weight k equals the row repeated k times.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { taskLoss } from '../../src/train/loss.js';
import { accuracy, auc, logloss, mae, mse } from '../../src/train/metrics.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

// deterministic data with ties and weight-0 rows
const n = 40;
const pred = Array.from({ length: n }, (_, i) => Math.round(((Math.sin(i * 12.9898) + 1) / 2) * 20) / 20);
const label = Array.from({ length: n }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0));
const weight = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 0 : ((i * 37) % 11) / 4));

function bruteForceAuc(p: number[], y: number[], w: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < p.length; j++) {
      if (y[j] !== 0) continue;
      const pair = w[i] * w[j];
      den += pair;
      num += pair * (p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

function handMean(f: (p: number, y: number) => number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += weight[i] * f(pred[i], label[i]);
    den += weight[i];
  }
  return num / den;
}

const clip = (p: number) => Math.min(Math.max(p, 1e-7), 1 - 1e-7);
const bce = (p: number, y: number) => -(y * Math.log(clip(p)) + (1 - y) * Math.log(1 - clip(p)));

describe('weighted metrics', () => {
  const s = { pred, label, mask: weight };
  it('AUC is the weighted Mann-Whitney statistic (brute-force pair count, ties one half)', () => {
    expect(new Set(pred).size).toBeLessThan(n); // the data has ties
    expect(auc(s)).toBeCloseTo(bruteForceAuc(pred, label, weight), 12);
    // and it differs from the unweighted AUC on this data, so the weights are used
    expect(Math.abs(auc(s) - auc({ pred, label }))).toBeGreaterThan(1e-3);
  });
  it('log loss, MSE, MAE and accuracy are weighted means', () => {
    expect(logloss(s)).toBeCloseTo(handMean(bce), 12);
    expect(mse(s)).toBeCloseTo(
      handMean((p, y) => (p - y) ** 2),
      12,
    );
    expect(mae(s)).toBeCloseTo(
      handMean((p, y) => Math.abs(p - y)),
      12,
    );
    expect(accuracy(s)).toBeCloseTo(
      handMean((p, y) => ((p >= 0.5 ? 1 : 0) === y ? 1 : 0)),
      12,
    );
  });
  it('an integer weight k equals the row repeated k times', () => {
    const k = weight.map((w, i) => (w === 0 ? 0 : 1 + (i % 3)));
    const rep = { pred: [] as number[], label: [] as number[] };
    k.forEach((c, i) => {
      for (let r = 0; r < c; r++) {
        rep.pred.push(pred[i]);
        rep.label.push(label[i]);
      }
    });
    const ws = { pred, label, mask: k };
    expect(auc(ws)).toBeCloseTo(auc(rep), 12);
    expect(logloss(ws)).toBeCloseTo(logloss(rep), 12);
  });
});

describe('weighted loss', () => {
  const task = { loss: 'binary_crossentropy' } as TaskIR;
  it('binary cross-entropy: sum(w l) / sum(w) (hand loop), with a gradient only on weighted rows', () => {
    const p = pred.map((x) => 0.05 + 0.9 * x);
    const want = p.reduce((a, x, i) => a + weight[i] * bce(x, label[i]), 0) / weight.reduce((a, w) => a + w, 0);
    const y = tf.tensor1d(label);
    const m = tf.tensor1d(weight);
    expect(taskLoss(tf, task, tf.tensor1d(p), y, m).dataSync()[0]).toBeCloseTo(want, 5);
    const g = tf
      .grad((q) => taskLoss(tf, task, q, y, m))(tf.tensor1d(p))
      .arraySync() as number[];
    g.forEach((v, i) => (weight[i] === 0 ? expect(v).toBe(0) : expect(v).not.toBe(0)));
  });
  it('weights summing below 1 still average (the loss is scale-free in the weights)', () => {
    const p = [0.3, 0.8, 0.6];
    const y = [0, 1, 0];
    const w = [0.01, 0.02, 0.03];
    const want = (0.01 * bce(0.3, 0) + 0.02 * bce(0.8, 1) + 0.03 * bce(0.6, 0)) / 0.06;
    const loss = (ws: number[]) => taskLoss(tf, task, tf.tensor1d(p), tf.tensor1d(y), tf.tensor1d(ws)).dataSync()[0];
    expect(loss(w)).toBeCloseTo(want, 5);
    expect(loss(w.map((x) => x * 1000))).toBeCloseTo(want, 5);
  });
  it('mse, weighted', () => {
    const t = { loss: 'mse' } as TaskIR;
    const want = handMean((q, l) => (q - l) ** 2);
    expect(taskLoss(tf, t, tf.tensor1d(pred), tf.tensor1d(label), tf.tensor1d(weight)).dataSync()[0]).toBeCloseTo(
      want,
      5,
    );
  });
});
