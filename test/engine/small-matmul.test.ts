// Small batched products on wasm (src/engine/wasm/matmul.ts, smallBatchedMatMul: a gate's
// weights times its stacked experts, and both gradients) give exactly the float32 of a double sum
// over p in order, for every transpose combination, k = 1 (the gate weights' gradient, an outer
// product), and a broadcast operand.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { rng } from '../build/fixtures.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

/** out[t, i, j] = fround(0 + sum over p = 0..k-1 of A[t, i, p] * B[t, p, j]), A and B read through the transposes. */
function reference(
  a: Float32Array,
  b: Float32Array,
  batchA: number,
  batchB: number,
  ta: boolean,
  tb: boolean,
  m: number,
  k: number,
  n: number,
): number[] {
  const out: number[] = [];
  for (let t = 0; t < Math.max(batchA, batchB); t++) {
    const a0 = batchA === 1 ? 0 : t * m * k;
    const b0 = batchB === 1 ? 0 : t * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const x = ta ? a[a0 + p * m + i] : a[a0 + i * k + p];
          const y = tb ? b[b0 + j * k + p] : b[b0 + p * n + j];
          acc += x * y;
        }
        out.push(Math.fround(acc));
      }
  }
  return out;
}

const values = (n: number, seed: number) => {
  const r = rng(seed);
  const v = Float32Array.from({ length: n }, () => r() * 2 - 1);
  v[0] = -0; // a signed zero: 0 + (-0 * y) is +0
  return v;
};

// [batch A, batch B, m, k, n]
const shapes: [number, number, number, number, number][] = [
  [128, 128, 1, 8, 16], // a gate's mix: [B, 1, E] x [B, E, W]
  [128, 128, 8, 1, 16], // its weight gradient (k = 1)
  [128, 128, 1, 16, 8],
  [6, 1, 3, 5, 4], // b broadcast
  [1, 6, 4, 1, 3], // a broadcast, k = 1
];

describe('small batched matMul on wasm', () => {
  for (const [batchA, batchB, m, k, n] of shapes)
    for (const ta of [false, true])
      for (const tb of [false, true])
        it(`[${batchA}] x [${batchB}], m ${m} k ${k} n ${n}, ta=${ta} tb=${tb}: the in-order double sum, exactly`, () => {
          const a = values(batchA * m * k, m * 7 + k);
          const b = values(batchB * k * n, n * 5 + k);
          const got = tf.tidy(() => {
            const at = tf.tensor3d(a, ta ? [batchA, k, m] : [batchA, m, k]);
            const bt = tf.tensor3d(b, tb ? [batchB, n, k] : [batchB, k, n]);
            const out = tf.matMul(at, bt, ta, tb);
            return { shape: out.shape, values: Array.from(out.dataSync()) };
          });
          expect(got.shape).toEqual([Math.max(batchA, batchB), m, n]);
          const want = reference(a, b, batchA, batchB, ta, tb, m, k, n);
          expect(got.values.map((v, i) => Object.is(v, want[i]))).not.toContain(false);
        });
});
