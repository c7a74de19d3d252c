// Task losses against a direct computation, and each one has a gradient (the huber loss used
// tf.where on a comparison, which tfjs cannot differentiate: every huber task failed to train).
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { taskLoss } from '../../src/train/loss.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

const pred = [0.2, 3.5, -1.0, 0.9];
const label = [0.0, 1.0, 0.5, 1.0];
const mask = [1, 1, 1, 0];

function huber(p: number, y: number): number {
  const a = Math.abs(p - y);
  return a <= 1 ? 0.5 * a * a : a - 0.5;
}
const maskedMean = (f: (p: number, y: number) => number) =>
  pred.reduce((s, p, i) => s + mask[i] * f(p, label[i]), 0) / mask.reduce((s, m) => s + m, 0);

describe('task losses', () => {
  const cases: [TaskIR['loss'], number][] = [
    ['huber', maskedMean(huber)],
    ['mse', maskedMean((p, y) => (p - y) ** 2)],
    ['mae', maskedMean((p, y) => Math.abs(p - y))],
  ];
  for (const [loss, want] of cases) {
    it(`${loss}: the masked mean of the per-row loss, and differentiable`, () => {
      const task = { loss } as TaskIR;
      const y = tf.tensor1d(label);
      const m = tf.tensor1d(mask);
      const value = taskLoss(tf, task, tf.tensor1d(pred), y, m).dataSync()[0];
      expect(value).toBeCloseTo(want, 6);
      const grad = tf
        .grad((p) => taskLoss(tf, task, p, y, m))(tf.tensor1d(pred))
        .arraySync() as number[];
      // the masked-out row gets no gradient; the others a finite one
      expect(Math.abs(grad[3])).toBe(0);
      for (const g of grad.slice(0, 3)) expect(Number.isFinite(g)).toBe(true);
      if (loss === 'huber')
        expect(grad.slice(0, 3).map((g) => g * 3)).toEqual([
          expect.closeTo(0.2, 6),
          expect.closeTo(1, 6),
          expect.closeTo(-1, 6),
        ]);
    });
  }
});
