// Clipping by global norm against a hand computation: gradients [3, 4] and [12] have global norm
// sqrt(9 + 16 + 144) = 13.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { clipByGlobalNorm } from '../../src/train/clip.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

const values = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());

describe('clipByGlobalNorm', () => {
  it('scales every gradient by clipNorm / norm when the norm is above clipNorm', () => {
    const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor1d([12]) };
    const r = clipByGlobalNorm(tf, grads, 6.5);
    expect(r.norm.dataSync()[0]).toBeCloseTo(13, 5);
    expect(values(r.grads.a)).toEqual([1.5, 2]);
    expect(values(r.grads.b)).toEqual([6]);
    // the clipped gradients' global norm is clipNorm
    const after = Math.hypot(...values(r.grads.a), ...values(r.grads.b));
    expect(after).toBeCloseTo(6.5, 5);
  });

  it('leaves gradients whose global norm is below clipNorm unchanged', () => {
    const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor1d([12]) };
    const r = clipByGlobalNorm(tf, grads, 20);
    expect(values(r.grads.a)).toEqual([3, 4]);
    expect(values(r.grads.b)).toEqual([12]);
  });

  it('one SGD step with clipping moves by clipNorm along the gradient', async () => {
    const { StepOptions } = await import('../../src/train/step-options.js');
    // f(w) = 0.5 |w - (6, 8)|^2 at w = 0: gradient -(6, 8), norm 10
    const w = tf.variable(tf.zeros([2]));
    const opts = new StepOptions(
      tf,
      { embeddings: [] } as never,
      {} as never,
      { learningRate: 1, epochs: 1, gradientClipNorm: 2 } as never,
      [],
      1,
    );
    const sgd = tf.train.sgd(1);
    opts.minimize(
      sgd,
      () =>
        w
          .sub(tf.tensor1d([6, 8]))
          .square()
          .sum()
          .mul(0.5) as never,
    );
    // w1 = 0 - 1 x clip(-(6, 8)) = (6, 8) x 2 / 10
    const got = values(w);
    expect(got[0]).toBeCloseTo(1.2, 6);
    expect(got[1]).toBeCloseTo(1.6, 6);
    w.dispose();
    opts.dispose();
  });
});
