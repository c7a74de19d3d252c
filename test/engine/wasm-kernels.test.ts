// The UnsortedSegmentSum kernel registered for wasm (the gradient of gather, i.e. of every
// embedding lookup) agrees with the cpu backend's.
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { buildModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { fastWasmKernelsActive, registerWasmKernels, restoreStockWasmKernels } from '../../src/engine/wasm/index.js';
import { sliceInto } from '../../src/engine/wasm/slice.js';
import { tileInto } from '../../src/engine/wasm/tile.js';
import { unsortedSegmentSumInto } from '../../src/engine/wasm/unsorted-segment-sum.js';
import { inputTensors, randomBatch, randomizeWeights, rng, tinyIr } from '../build/fixtures.js';

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
      const out = await onBoth(() =>
        tf.tidy(() => {
          const t = tf.unsortedSegmentSum(tf.tensor(data, shape), tf.tensor1d(ids, 'int32'), n);
          return { shape: t.shape, values: Array.from(t.dataSync()) };
        }),
      );
      expect(out.wasm.shape).toEqual(out.cpu.shape);
      expect(close(out.wasm.values, out.cpu.values)).toBe(true);
    });
  }

  it('accepts ids shaped like a prefix of the data (the cpu kernel cannot: checked by hand)', () => {
    const data = Array.from({ length: 2 * 3 * 2 }, (_, i) => i + 1);
    const ids = [
      [0, 1, 0],
      [2, 2, 7],
    ];
    const got = tf.tidy(() =>
      Array.from(
        tf
          .unsortedSegmentSum(tf.tensor(data, [2, 3, 2]), tf.tensor2d(ids, [2, 3], 'int32') as unknown as Tensor1D, 3)
          .dataSync(),
      ),
    );
    // rows (1,2) (3,4) (5,6) (7,8) (9,10) (11,12) go to segments 0 1 0 2 2 dropped
    expect(got).toEqual([6, 8, 3, 4, 16, 18]);
    const out = [0, 0, 0, 0, 0, 0];
    unsortedSegmentSumInto(data, ids.flat(), 2, 3, out);
    expect(out).toEqual(got);
  });

  it('gives the gather gradient (embedding lookups, repeated ids)', async () => {
    const r = rng(3);
    const table = Float32Array.from({ length: 10 * 4 }, () => r() - 0.5);
    const ids = [
      [1, 3],
      [1, 9],
      [0, 3],
    ];
    const w = Float32Array.from({ length: 3 * 2 * 4 }, () => r() - 0.5);
    const grad = await onBoth(() =>
      tf.tidy(() => {
        const g = tf.grad((t: Tensor) =>
          tf.sum(tf.mul(tf.gather(t, tf.tensor2d(ids, [3, 2], 'int32')), tf.tensor(w, [3, 2, 4]))),
        );
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
    const tables = Object.keys(grads.cpu).filter(
      (k) => k.startsWith('emb_cat_b') || k.startsWith('shared_tok') || k.startsWith('scenario_embedding'),
    );
    expect(tables.length).toBe(3);
    for (const k of Object.keys(grads.cpu)) expect(close(grads.wasm[k], grads.cpu[k], 1e-4), k).toBe(true);
    model.dispose();
  });
});

describe('wrapped wasm kernels', () => {
  it('are active once the wasm backend is loaded, and registering again keeps them', () => {
    expect(fastWasmKernelsActive(tf)).toBe(true);
    const before = tf.getKernel('BatchMatMul', 'wasm');
    registerWasmKernels(tf);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(before);
  });

  const rand = (shape: number[], seed: number) => {
    const r = rng(seed);
    return { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1) };
  };

  // [label, a shape, b shape, transposeA, transposeB]: every transpose combination, 2-D and
  // batched, small (original kernel) and large (sliced through the fast path), broadcast batch.
  const cases: [string, number[], number[], boolean, boolean][] = [];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const a2 = ta ? [40, 33] : [33, 40];
      const b2 = tb ? [27, 40] : [40, 27];
      cases.push([`2-D ta=${ta} tb=${tb}`, a2, b2, ta, tb]);
      cases.push([
        `batched large ta=${ta} tb=${tb}`,
        [3, ...a2.map((d) => d * 2)],
        [3, ...b2.map((d) => d * 2)],
        ta,
        tb,
      ]);
      cases.push([
        `batched small ta=${ta} tb=${tb}`,
        [5, ...a2.map((d) => Math.ceil(d / 8))],
        [5, ...b2.map((d) => Math.ceil(d / 8))],
        ta,
        tb,
      ]);
    }
  }
  cases.push(['broadcast b (one matrix)', [4, 64, 48], [1, 48, 40], false, false]);
  cases.push(['broadcast a (one matrix), rank 4', [1, 1, 64, 48], [2, 3, 48, 40], false, false]);
  for (const [label, as, bs, ta, tb] of cases) {
    it(`matMul ${label} agrees with cpu`, async () => {
      const a = rand(as, as.length * 3 + 1);
      const b = rand(bs, bs.length * 5 + 2);
      const out = await onBoth(() =>
        tf.tidy(() => {
          const t = tf.matMul(tf.tensor(a.data, a.shape), tf.tensor(b.data, b.shape), ta, tb);
          return { shape: t.shape, values: Array.from(t.dataSync()) };
        }),
      );
      expect(out.wasm.shape).toEqual(out.cpu.shape);
      expect(close(out.wasm.values, out.cpu.values, 1e-4)).toBe(true);
    });
  }

  it('fused matMul (bias, relu) with transposes agrees with cpu, and so do its gradients', async () => {
    const a = rand([30, 20], 7);
    const b = rand([25, 20], 8);
    const bias = rand([25], 9);
    const out = await onBoth(() =>
      tf.tidy(() => {
        const f = (x: Tensor, w: Tensor) =>
          tf.fused.matMul({ a: x, b: w, transposeB: true, bias: tf.tensor1d(bias.data), activation: 'relu' });
        const y = f(tf.tensor(a.data, a.shape), tf.tensor(b.data, b.shape));
        const [ga, gb] = tf.grads((x: Tensor, w: Tensor) => tf.sum(tf.square(f(x, w))))([
          tf.tensor(a.data, a.shape),
          tf.tensor(b.data, b.shape),
        ]);
        return [y, ga, gb].map((t) => Array.from(t.dataSync()));
      }),
    );
    for (let i = 0; i < 3; i++) expect(close(out.wasm[i], out.cpu[i], 1e-3), `output ${i}`).toBe(true);
  });

  const tiles: [number[], number[], 'float32' | 'int32' | 'bool'][] = [
    [[1, 1, 1, 5], [1, 1, 7, 1], 'float32'],
    [[3, 4], [2, 3], 'float32'],
    [[2, 1, 3], [1, 4, 2], 'int32'],
    [[5], [3], 'bool'],
    [[2, 3], [1, 1], 'float32'],
    [[0, 3], [2, 2], 'float32'],
  ];
  for (const [shape, reps, dtype] of tiles) {
    it(`tile [${shape}] x [${reps}] (${dtype}) agrees with cpu`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 2 : i + 1));
      const out = await onBoth(() =>
        tf.tidy(() => {
          const t = tf.tile(tf.tensor(values, shape, dtype), reps);
          return { shape: t.shape, values: Array.from(t.dataSync()) };
        }),
      );
      expect(out.wasm).toEqual(out.cpu);
    });
  }

  const reductions: [string, number[], number | number[], boolean][] = [
    ['[B, C] over axis 0', [64, 40], 0, false],
    ['[B, C] over axis 0, keepDims', [64, 40], [0], true],
    ['[B, L, D] over axes 0, 1', [16, 10, 12], [0, 1], false],
    ['[B, L, D] over axes 1, 0 (stock kernel)', [16, 10, 12], [1, 0], false],
    ['[B, L, D] over axis -3', [16, 10, 12], -3, true],
    ['[B, C] over axis 1 (stock kernel)', [64, 40], 1, false],
    ['[N] over everything', [2048], 0, false],
    ['odd rows [37, 5] over axis 0', [37, 5], 0, false],
    ['two rows', [2, 9], 0, true],
  ];
  for (const [label, shape, axis, keepDims] of reductions) {
    it(`sum and mean ${label} agree with cpu and with the stock wasm kernels`, async () => {
      const x = rand(shape, shape.length * 13);
      const run = () =>
        tf.tidy(() => {
          const t = tf.tensor(x.data, x.shape);
          return [tf.sum(t, axis, keepDims), tf.mean(t, axis, keepDims)].map((r) => ({
            shape: r.shape,
            values: Array.from(r.dataSync()),
          }));
        });
      const out = await onBoth(run);
      restoreStockWasmKernels(tf);
      const stock = run();
      registerWasmKernels(tf);
      for (let i = 0; i < 2; i++) {
        expect(out.wasm[i].shape).toEqual(out.cpu[i].shape);
        expect(stock[i].shape).toEqual(out.cpu[i].shape);
        expect(close(out.wasm[i].values, stock[i].values, 1e-4)).toBe(true);
        expect(close(out.wasm[i].values, out.cpu[i].values, 1e-4)).toBe(true);
      }
    });
  }

  it("leakyRelu and its gradient: the same values as the stock wasm kernels, close to cpu's", async () => {
    const x = rand([50, 30], 21);
    x.data[0] = 0;
    const dy = rand([50, 30], 22);
    const run = () =>
      tf.tidy(() => {
        const xs = tf.tensor(x.data, x.shape);
        const y = tf.leakyRelu(xs, 0.2);
        const g = tf.grad((t: Tensor) => tf.leakyRelu(t, 0.2))(xs, tf.tensor(dy.data, dy.shape));
        return [Array.from(y.dataSync()), Array.from(g.dataSync())];
      });
    const out = await onBoth(run);
    restoreStockWasmKernels(tf);
    const stock = run();
    registerWasmKernels(tf);
    for (let i = 0; i < 2; i++) {
      expect(close(out.wasm[i], stock[i], 0), `output ${i} vs stock wasm`).toBe(true); // same floats (up to the sign of zero)
      expect(close(out.wasm[i], out.cpu[i], 1e-6), `output ${i} vs cpu`).toBe(true);
    }
  });

  const concats: [string, number[][], number, 'float32' | 'int32'][] = [
    ['100 [B, 1] pieces on axis 1', Array.from({ length: 100 }, () => [7, 1]), 1, 'float32'],
    [
      'wide and narrow pieces on axis -1',
      [
        [5, 20],
        [5, 3],
        [5, 17],
      ],
      -1,
      'float32',
    ],
    [
      'int32 on axis 0',
      [
        [2, 3],
        [4, 3],
      ],
      0,
      'int32',
    ],
    [
      'rank 3 on axis 1, an empty piece',
      [
        [2, 3, 4],
        [2, 0, 4],
        [2, 1, 4],
      ],
      1,
      'float32',
    ],
  ];
  for (const [label, shapes, axis, dtype] of concats) {
    it(`concat ${label} agrees with cpu`, async () => {
      const parts = shapes.map((s, k) => Array.from({ length: s.reduce((a, b) => a * b, 1) }, (_, i) => k * 1000 + i));
      const out = await onBoth(() =>
        tf.tidy(() => {
          const t = tf.concat(
            parts.map((p, k) => tf.tensor(p, shapes[k], dtype)),
            axis,
          );
          return { shape: t.shape, values: Array.from(t.dataSync()) };
        }),
      );
      expect(out.wasm).toEqual(out.cpu);
    });
  }

  const slices: [string, number[], number[], number[], 'float32' | 'int32' | 'bool'][] = [
    ['a column block of [20, 48]', [20, 48], [0, 16], [-1, 16], 'float32'],
    ['narrow columns, int32', [9, 7], [2, 3], [4, 2], 'int32'],
    ['rank 3, middle axis', [4, 6, 18], [1, 2, 0], [2, 3, -1], 'float32'],
    ['rank 1, bool', [30], [5], [20], 'bool'],
    ['rank 5', [2, 3, 2, 3, 20], [1, 1, 0, 1, 2], [1, 2, 2, 2, 17], 'float32'],
    ['[B, C, 1, 1] rows of a column block', [6, 40, 1, 1], [0, 8, 0, 0], [-1, 16, -1, -1], 'float32'],
  ];
  for (const [label, shape, begin, size, dtype] of slices) {
    it(`slice ${label} agrees with cpu`, async () => {
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
        dtype === 'bool' ? (i % 3 === 0 ? 1 : 0) : i + 1,
      );
      const out = await onBoth(() =>
        tf.tidy(() => {
          const t = tf.slice(tf.tensor(values, shape, dtype), begin, size);
          return { shape: t.shape, values: Array.from(t.dataSync()) };
        }),
      );
      expect(out.wasm).toEqual(out.cpu);
    });
  }

  const splits: [string, number[], number | number[], number][] = [
    ['[12, 30] into 3 on axis 1', [12, 30], 3, 1],
    ['[12, 30] into [5, -1, 7] on axis -1', [12, 30], [5, -1, 7], -1],
    ['[6, 4, 5] into [1, 3] on axis 1', [6, 4, 5], [1, 3], 1],
    ['[10, 2] into 5 on axis 0', [10, 2], 5, 0],
  ];
  for (const [label, shape, how, axis] of splits) {
    it(`split ${label} agrees with cpu, and the concat gradient with it`, async () => {
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 0.5 - 3);
      const out = await onBoth(() =>
        tf.tidy(() => {
          const x = tf.tensor(values, shape);
          const parts = tf.split(x, how, axis);
          const g = tf.grad((t: Tensor) =>
            tf.sum(
              tf.mul(tf.concat(tf.split(t, how, axis).reverse(), axis), tf.range(0, values.length).reshape(shape)),
            ),
          )(x);
          return [
            ...parts.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) })),
            { shape: g.shape, values: Array.from(g.dataSync()) },
          ];
        }),
      );
      expect(out.wasm).toEqual(out.cpu);
    });
  }

  it('a slice of the whole tensor shares its data', async () => {
    await activateBackend(tf, 'wasm');
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.slice(x, [0, 0], [-1, -1]);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
  });

  const norms: [string, number[], boolean, boolean][] = [
    ['[B, C] with scale and offset', [40, 24], true, true],
    ['[B, L, C] without scale', [6, 5, 8], false, true],
    ['[B, C] without offset', [16, 3], true, false],
  ];
  for (const [label, shape, withScale, withOffset] of norms) {
    it(`batchNorm ${label} agrees with cpu`, async () => {
      const c = shape[shape.length - 1];
      const x = rand(shape, 31);
      const r = rng(32);
      const vec = (f: () => number) => Array.from({ length: c }, f);
      const [mean, variance, offset, scale] = [
        vec(() => r() - 0.5),
        vec(() => 0.2 + r()),
        vec(() => r() - 0.5),
        vec(() => 0.5 + r()),
      ];
      const out = await onBoth(() =>
        tf.tidy(() =>
          Array.from(
            tf
              .batchNorm(
                tf.tensor(x.data, x.shape),
                tf.tensor1d(mean),
                tf.tensor1d(variance),
                withOffset ? tf.tensor1d(offset) : undefined,
                withScale ? tf.tensor1d(scale) : undefined,
                1e-3,
              )
              .dataSync(),
          ),
        ),
      );
      expect(close(out.wasm, out.cpu, 1e-5)).toBe(true);
    });
  }

  it('sliceInto copies a block (checked by hand)', () => {
    const out = new Float32Array(4);
    sliceInto(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]), [3, 3], [1, 1], [2, 2], out);
    expect(Array.from(out)).toEqual([4, 5, 7, 8]);
  });

  it('tileInto copies blocks as tf.tile does (checked by hand)', () => {
    const out = new Float32Array(12);
    tileInto(Float32Array.from([1, 2, 3]), [1, 3], [4, 1], out);
    expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const out2 = new Float32Array(8);
    tileInto(Float32Array.from([1, 2]), [2, 1], [2, 2], out2);
    expect(Array.from(out2)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });

  it('identity shares data: a clone outlives its source, and memory is freed once both are gone', async () => {
    await activateBackend(tf, 'wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('can be swapped back to the stock kernels and in again', () => {
    restoreStockWasmKernels(tf);
    expect(fastWasmKernelsActive(tf)).toBe(false);
    const stock = tf.tidy(() =>
      Array.from(
        tf
          .matMul(
            tf.tensor2d([
              [1, 2],
              [3, 4],
            ]),
            tf.tensor2d([
              [5, 6],
              [7, 8],
            ]),
            true,
            false,
          )
          .dataSync(),
      ),
    );
    registerWasmKernels(tf);
    expect(fastWasmKernelsActive(tf)).toBe(true);
    const fast = tf.tidy(() =>
      Array.from(
        tf
          .matMul(
            tf.tensor2d([
              [1, 2],
              [3, 4],
            ]),
            tf.tensor2d([
              [5, 6],
              [7, 8],
            ]),
            true,
            false,
          )
          .dataSync(),
      ),
    );
    expect(fast).toEqual(stock);
    expect(fast).toEqual([26, 30, 38, 44]);
  });
});
