// The UnsortedSegmentSum kernel registered for wasm (the gradient of gather, i.e. of every
// embedding lookup) agrees with the cpu backend's.
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { buildModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { registerWasmKernels, unsortedSegmentSumInto } from '../../src/engine/wasm-kernels.js';
import { inputTensors, randomBatch, randomizeWeights, rng, tinyIr } from './fixtures.js';

let tf: Tf;
beforeAll(async () => {
  // Initialise wasm from an unrelated working directory: the .wasm files must still be found.
  const cwd = process.cwd();
  process.chdir(tmpdir());
  try {
    ({ tf } = await initBackend('wasm'));
  } finally {
    process.chdir(cwd);
  }
});

async function onBoth<T>(f: () => T): Promise<{ cpu: T; wasm: T }> {
  await activateBackend(tf, 'cpu');
  const cpu = f();
  await activateBackend(tf, 'wasm');
  const wasm = f();
  return { cpu, wasm };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): boolean {
  return a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]) <= tol);
}

describe('UnsortedSegmentSum on wasm', () => {
  it('is registered, and registering again is a no-op', () => {
    const before = tf.getKernel('UnsortedSegmentSum', 'wasm');
    expect(before).toBeDefined();
    registerWasmKernels(tf);
    registerWasmKernels(tf);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(before);
  });

  const cases: [string, number[], number[], number][] = [
    // label, data shape, segment ids, numSegments (ids out of range are dropped)
    ['[N, D] data', [6, 3], [0, 2, 2, 5, -1, 1], 4],
    ['[N, a, b] data', [4, 2, 3], [3, 0, 3, 1], 4],
  ];
  for (const [label, shape, ids, n] of cases) {
    it(label, async () => {
      const r = rng(shape.length * 7 + n);
      const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
      const out = await onBoth(() => tf.tidy(() => {
        const t = tf.unsortedSegmentSum(tf.tensor(data, shape), tf.tensor1d(ids, 'int32'), n);
        return { shape: t.shape, values: Array.from(t.dataSync()) };
      }));
      expect(out.wasm.shape).toEqual(out.cpu.shape);
      expect(close(out.wasm.values, out.cpu.values)).toBe(true);
    });
  }

  it('accepts ids shaped like a prefix of the data (the cpu kernel cannot: checked by hand)', () => {
    const data = Array.from({ length: 2 * 3 * 2 }, (_, i) => i + 1);
    const ids = [[0, 1, 0], [2, 2, 7]];
    const got = tf.tidy(() => Array.from(tf.unsortedSegmentSum(tf.tensor(data, [2, 3, 2]), tf.tensor2d(ids, [2, 3], 'int32') as unknown as Tensor1D, 3).dataSync()));
    // rows (1,2) (3,4) (5,6) (7,8) (9,10) (11,12) go to segments 0 1 0 2 2 dropped
    expect(got).toEqual([6, 8, 3, 4, 16, 18]);
    const out = [0, 0, 0, 0, 0, 0];
    unsortedSegmentSumInto(data, ids.flat(), 2, 3, out);
    expect(out).toEqual(got);
  });

  it('gives the gather gradient (embedding lookups, repeated ids)', async () => {
    const r = rng(3);
    const table = Float32Array.from({ length: 10 * 4 }, () => r() - 0.5);
    const ids = [[1, 3], [1, 9], [0, 3]];
    const w = Float32Array.from({ length: 3 * 2 * 4 }, () => r() - 0.5);
    const grad = await onBoth(() =>
      tf.tidy(() => {
        const g = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor2d(ids, [3, 2], 'int32')), tf.tensor(w, [3, 2, 4]))));
        return Array.from(g(tf.tensor2d(table, [10, 4])).dataSync());
      }),
    );
    expect(close(grad.wasm, grad.cpu)).toBe(true);
    expect(grad.cpu.some((v) => v !== 0)).toBe(true);
  });

  it("gives the same gradients as cpu for a built model's embedding tables and layers", async () => {
    const ir = tinyIr({ pooling: 'sum' });
    const model = buildModel(ir, tf, { seed: 4, training: false });
    randomizeWeights(tf, model, 5);
    const batch = randomBatch(ir, 8, 6);
    const grads = await onBoth(() =>
      tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => {
          const outs = model.apply(inputTensors(tf, model, batch)) as Tensor[];
          return tf.addN(outs.map((o) => tf.sum(o))) as Scalar;
        });
        return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Array.from(v.dataSync())]));
      }),
    );
    const tables = Object.keys(grads.cpu).filter((k) => k.startsWith('emb_cat_b') || k.startsWith('shared_tok') || k.startsWith('scenario_embedding'));
    expect(tables.length).toBe(3);
    for (const k of Object.keys(grads.cpu)) expect(close(grads.wasm[k], grads.cpu[k], 1e-4), k).toBe(true);
    model.dispose();
  });
});
