// Multi-class heads: the categorical cross-entropy and its gradient, and the metrics (accuracy,
// top-k accuracy, macro one-vs-rest AUC, log loss), each against a computation written here:
// softmax and -log p_y by hand, AUC by counting (positive, negative) pairs, top-k by sorting.
import type * as tfType from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { constantLoss } from '../../src/train/divergence.js';
import { taskLoss } from '../../src/train/loss.js';
import {
  computeMulticlassMetrics,
  macroAuc,
  multiclassAccuracy,
  multiclassLogloss,
  topKAccuracy,
} from '../../src/train/multiclass-metrics.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

const K = 4;
// logits of 7 rows; row 6 is masked out; row 4 has a tie between classes 1 and 2
const logits = [
  [2.0, 0.5, -1.0, 0.1],
  [0.3, 0.2, 1.5, -0.4],
  [-0.5, 1.1, 0.9, 2.2],
  [0.0, 0.0, 0.4, -2.0],
  [0.1, 1.0, 1.0, 0.2],
  [1.2, -0.3, 0.6, 0.8],
  [5.0, -5.0, 0.0, 0.0],
];
const labels = [0, 3, 3, 2, 2, 3, 1];
const mask = [1, 1, 1, 1, 1, 1, 0];

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const probs = logits.map(softmax);
const flat = Float32Array.from(probs.flat());
const counted = labels.map((_, i) => i).filter((i) => mask[i] > 0);
const scored = { pred: flat, label: Float32Array.from(labels), mask: Float32Array.from(mask), classes: K };

/** AUC by counting every (positive, negative) pair: 1 when the positive scores higher, 1/2 on a tie. */
function pairAuc(scores: number[], positive: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let a = 0; a < scores.length; a++)
    for (let b = 0; b < scores.length; b++) {
      if (!positive[a] || positive[b]) continue;
      pairs++;
      wins += scores[a] > scores[b] ? 1 : scores[a] === scores[b] ? 0.5 : 0;
    }
  return wins / pairs;
}

describe('categorical cross-entropy', () => {
  it('is the masked mean of -log softmax(z)[y], with a gradient of p - onehot(y) per row', () => {
    const task = { loss: 'categorical_crossentropy', type: 'multiclass', classes: ['a', 'b', 'c', 'd'] } as TaskIR;
    const want = counted.reduce((s, i) => s - Math.log(probs[i][labels[i]]), 0) / counted.length;
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(labels);
    const m = tf.tensor1d(mask);
    const lossOfLogits = (t: tfType.Tensor) => taskLoss(tf, task, tf.softmax(t as tfType.Tensor2D), y, m);
    expect(lossOfLogits(z).dataSync()[0]).toBeCloseTo(want, 5);
    const grad = tf.grad(lossOfLogits)(z).arraySync() as number[][];
    for (let i = 0; i < logits.length; i++)
      for (let c = 0; c < K; c++) {
        const expected = mask[i] ? (probs[i][c] - (labels[i] === c ? 1 : 0)) / counted.length : 0;
        expect(grad[i][c]).toBeCloseTo(expected, 5);
      }
  });

  it("the constant predictor's loss (divergence reference) is the entropy of the class frequencies", () => {
    const ys = [0, 0, 1, 2, 2, 2, 3, 3];
    const f = [2 / 8, 1 / 8, 3 / 8, 2 / 8];
    expect(constantLoss('categorical_crossentropy', ys)).toBeCloseTo(-f.reduce((s, p) => s + p * Math.log(p), 0), 10);
  });
});

describe('multi-class metrics', () => {
  it('accuracy: the most probable class is the label (first index on a tie)', () => {
    const hits = counted.filter((i) => probs[i].indexOf(Math.max(...probs[i])) === labels[i]).length;
    expect(multiclassAccuracy(scored)).toBeCloseTo(hits / counted.length, 12);
    // by hand: rows 0, 2 and 3 hit; row 4 ties classes 1 and 2 (-> 1) with label 2: a miss
    expect(hits).toBe(3);
  });

  it('top-k accuracy: the label among the k most probable classes (sorted)', () => {
    for (const k of [1, 2, 3, 4]) {
      const hits = counted.filter((i) => {
        const order = [...probs[i].keys()].sort((a, b) => probs[i][b] - probs[i][a] || (a === labels[i] ? -1 : 1));
        return order.slice(0, k).includes(labels[i]);
      }).length;
      expect(topKAccuracy(scored, k)).toBeCloseTo(hits / counted.length, 12);
    }
    expect(topKAccuracy(scored, 4)).toBe(1);
  });

  it('macro AUC: the mean over classes of one-vs-rest AUC by pair counting (classes with both kinds of rows)', () => {
    const per: number[] = [];
    for (let c = 0; c < K; c++) {
      const scores = counted.map((i) => flat[i * K + c]);
      const positive = counted.map((i) => labels[i] === c);
      if (positive.every(Boolean) || !positive.some(Boolean)) continue;
      per.push(pairAuc(scores, positive));
    }
    // class 1 has no counted row (row 6 is masked): the mean is over classes 0, 2 and 3
    expect(per).toHaveLength(3);
    expect(macroAuc(scored)).toBeCloseTo(per.reduce((s, a) => s + a, 0) / per.length, 6);
  });

  it('log loss: the mean of -log p_label; computeMulticlassMetrics returns what was asked', () => {
    const want = counted.reduce((s, i) => s - Math.log(flat[i * K + labels[i]]), 0) / counted.length;
    expect(multiclassLogloss(scored)).toBeCloseTo(want, 6);
    const all = computeMulticlassMetrics(['logloss', 'top_k_accuracy'], scored, 2);
    expect(Object.keys(all)).toEqual(['logloss', 'top_k_accuracy']);
    expect(all.top_k_accuracy).toBe(topKAccuracy(scored, 2));
  });

  it('a perfect ranking has macro AUC 1, a reversed one 0', () => {
    const pred = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.1, 0.7]);
    const label = Float32Array.from([0, 1, 2]);
    expect(macroAuc({ pred, label, classes: 3 })).toBe(1);
    expect(macroAuc({ pred, label: Float32Array.from([1, 2, 0]), classes: 3 })).toBeLessThan(0.5);
  });
});
