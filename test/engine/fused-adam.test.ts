// The fused Adam step on wasm gives tf.train.adam's floats exactly (weights, both moments and
// losses over several steps), keeps its weight names for checkpoints, and is tf.train.adam on cpu.
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { FUSED_ADAM_KERNEL, FUSED_ADAM_MAX_SIZE, fusedAdam, fusedAdamInto } from '../../src/engine/fused-adam.js';
import { createOptimizer } from '../../src/train/loop.js';
import { inputTensors, randomBatch, rng, tinyIr } from '../build/fixtures.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

async function trainWith(make: () => InstanceType<Tf['Optimizer']>, steps: number) {
  const ir = tinyIr({ batchNorm: true, l2: 1e-3 });
  const model = buildModel(ir, tf, { seed: 3 });
  const batch = randomBatch(ir, 32, 4);
  const r = rng(5);
  const xs = inputTensors(tf, model, batch);
  const ys = model.outputNames.map(() =>
    tf.tensor2d(
      Array.from({ length: 32 }, () => (r() < 0.4 ? 1 : 0)),
      [32, 1],
    ),
  );
  const optimizer = make();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = optimizer.minimize(() => {
      const outs = model.apply(xs, { training: true }) as Tensor[];
      return tf.addN(outs.map((o, i) => tf.losses.logLoss(ys[i], tf.sigmoid(o)))) as Scalar;
    }, true)!;
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const state = (await optimizer.getWeights()).map((s) => ({ name: s.name, values: Array.from(s.tensor.dataSync()) }));
  tf.dispose([...xs, ...ys]);
  optimizer.dispose();
  model.dispose();
  return { losses, weights, state };
}

describe('fused Adam', () => {
  it('is what createOptimizer gives for adam, with its wasm kernel registered', () => {
    const o = createOptimizer(tf, { optimizer: 'adam', learningRate: 0.01 });
    expect(o.getClassName()).toBe('Adam');
    expect(o).toBeInstanceOf(tf.AdamOptimizer);
    expect(tf.getKernel(FUSED_ADAM_KERNEL, 'wasm')).toBeDefined();
    expect(tf.getKernel(FUSED_ADAM_KERNEL, 'cpu')).toBeDefined();
    o.dispose();
  });

  it.each(['wasm', 'cpu'] as const)(
    "gives tf.train.adam's weights, moments and losses exactly on %s",
    async (backend) => {
      await activateBackend(tf, backend);
      const stock = await trainWith(() => tf.train.adam(0.01), 5);
      const fused = await trainWith(() => fusedAdam(tf, 0.01), 5);
      expect(fused.losses).toEqual(stock.losses);
      expect(fused.weights).toEqual(stock.weights);
      // Variable names carry a per-process suffix when the same layer names are built twice.
      const base = (n: string) => n.replace(/_\d+(?=\/[mv]$)/, '');
      expect(fused.state.map((s) => base(s.name))).toEqual(stock.state.map((s) => base(s.name)));
      expect(fused.state.map((s) => s.values)).toEqual(stock.state.map((s) => s.values));
      await activateBackend(tf, 'wasm');
    },
  );

  // wasm: large variables take the stock ops; cpu: the fused kernel at every size
  it.each(['wasm', 'cpu'] as const)(
    `large variables (>= ${FUSED_ADAM_MAX_SIZE} values) give the same floats on %s`,
    async (backend) => {
      await activateBackend(tf, backend);
      const run = async (make: () => InstanceType<Tf['Optimizer']>) => {
        const r = rng(9);
        const big = tf.variable(
          tf.tensor2d(
            Float32Array.from({ length: 200 * 100 }, () => r() - 0.5),
            [200, 100],
          ),
        );
        const small = tf.variable(tf.tensor1d(Float32Array.from({ length: 50 }, () => r() - 0.5)));
        const o = make();
        for (let step = 0; step < 4; step++) {
          const g = [big, small].map((v) => ({
            name: v.name,
            tensor: tf.tidy(() => tf.mul(tf.sin(tf.add(v, step)), 0.3)),
          }));
          o.applyGradients(g);
          tf.dispose(g.map((x) => x.tensor));
        }
        const out = [big, small].map((v) => Array.from(v.dataSync()));
        const state = (await o.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
        o.dispose();
        tf.dispose([big, small]);
        return { out, state };
      };
      expect(200 * 100).toBeGreaterThanOrEqual(FUSED_ADAM_MAX_SIZE);
      const stock = await run(() => tf.train.adam(0.02));
      const fused = await run(() => fusedAdam(tf, 0.02));
      expect(fused.out).toEqual(stock.out);
      expect(fused.state).toEqual(stock.state);
      await activateBackend(tf, 'wasm');
    },
  );

  it('fusedAdamInto: one step by hand', () => {
    const out = { value: new Float32Array(1), m: new Float32Array(1), v: new Float32Array(1) };
    fusedAdamInto(
      Float32Array.of(1),
      Float32Array.of(0),
      Float32Array.of(0),
      Float32Array.of(2),
      { beta1: 0.9, beta2: 0.999, oneMinusAccBeta1: 0.1, oneMinusAccBeta2: 0.001, epsilon: 1e-7, learningRate: 0.5 },
      out,
    );
    // m = 0.2, v = 0.004; bias-corrected 2 and 4: value = 1 - 0.5 * 2 / (2 + 1e-7)
    expect(out.m[0]).toBeCloseTo(0.2, 6);
    expect(out.v[0]).toBeCloseTo(0.004, 6);
    expect(out.value[0]).toBeCloseTo(0.5, 6);
  });
});
