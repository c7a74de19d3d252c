// The fast batch-norm training step (closed-form gradient) against tfjs-layers' own
// BatchNormalization: same outputs, same moving averages, same gradients, on cpu and wasm; and
// it serialises as the standard layer.
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastBatchNormalization } from '../../src/compiler/build/batch-norm.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { rng } from './fixtures.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Output, input / gamma / beta gradients and moving statistics after one training call. */
function trainingStep(layer: InstanceType<Tf['layers']['Layer']>, x: Tensor, w: Tensor) {
  return tf.tidy(() => {
    const f = (xs: Tensor) => tf.sum(tf.mul(layer.apply(xs, { training: true }) as Tensor, w));
    const { value, grads } = tf.variableGrads(
      () => f(x) as never,
      layer.trainableWeights.map((v) => (v as unknown as { val: never }).val),
    );
    const dx = tf.grad(f)(x);
    const named = Object.fromEntries(
      Object.entries(grads).map(([k, g]) => [k.replace(/.*\//, '').replace(/_\d+$/, ''), Array.from(g.dataSync())]),
    );
    const out = Array.from((layer.apply(x, { training: false }) as Tensor).dataSync());
    return {
      loss: value.dataSync()[0],
      dx: Array.from(dx.dataSync()),
      grads: named,
      weights: layer.getWeights().map((t) => Array.from(t.dataSync())),
      inference: out,
    };
  });
}

describe.each(['wasm', 'cpu'] as const)('fast batch norm on %s', (backend) => {
  beforeAll(async () => {
    await activateBackend(tf, backend);
  });

  it('matches the standard layer: output, moving averages, gradients', () => {
    const r = rng(11);
    const [n, c] = [64, 24];
    const x = tf.tensor2d(
      Float32Array.from({ length: n * c }, () => r() * 4 - 1),
      [n, c],
    );
    const w = tf.tensor2d(
      Float32Array.from({ length: n * c }, () => r() * 2 - 1),
      [n, c],
    );
    const gamma = Float32Array.from({ length: c }, () => 0.5 + r());
    const beta = Float32Array.from({ length: c }, () => r() - 0.5);
    const make = (fast: boolean) => {
      const args = { name: fast ? 'bn_fast' : 'bn_std', axis: -1 };
      const layer = fast ? fastBatchNormalization(tf, args) : tf.layers.batchNormalization(args);
      layer.build([null, c]);
      const [, , mm, mv] = layer.getWeights();
      layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), mm, mv]);
      return layer;
    };
    const std = trainingStep(make(false), x, w);
    const fast = trainingStep(make(true), x, w);
    expect(Math.abs(fast.loss - std.loss)).toBeLessThan(1e-3);
    expect(maxDiff(fast.dx, std.dx)).toBeLessThan(1e-4);
    expect(maxDiff(fast.grads.gamma, std.grads.gamma)).toBeLessThan(1e-3);
    expect(maxDiff(fast.grads.beta, std.grads.beta)).toBeLessThan(1e-4);
    for (let i = 0; i < 4; i++) expect(maxDiff(fast.weights[i], std.weights[i]), `weight ${i}`).toBeLessThan(1e-5);
    expect(maxDiff(fast.inference, std.inference)).toBeLessThan(1e-5);
    expect(std.weights[2].some((v) => v !== 0)).toBe(true); // the moving mean moved
    tf.dispose([x, w]);
  });

  it('leaves no tensors behind', () => {
    const layer = fastBatchNormalization(tf, { name: 'bn_leak', axis: -1 });
    layer.build([null, 8]);
    const x = tf.randomNormal([16, 8]);
    const once = () =>
      tf.tidy(() =>
        tf
          .grad((xs: Tensor) => tf.sum(layer.apply(xs, { training: true }) as Tensor))(x)
          .dataSync(),
      );
    once();
    const before = tf.memory().numTensors;
    once();
    once();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('fast batch norm serialisation', () => {
  it('is saved as, and loads as, the standard BatchNormalization layer', async () => {
    await activateBackend(tf, 'cpu');
    const input = tf.input({ shape: [4] });
    const out = fastBatchNormalization(tf, { name: 'bn', axis: -1 }).apply(input) as never;
    const model = tf.model({ inputs: input, outputs: out });
    const json = model.toJSON(null, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'BatchNormalization']);
    const loaded = await tf.models.modelFromJSON({ modelTopology: json as never });
    expect(loaded.layers[1].getClassName()).toBe('BatchNormalization');
    expect(loaded.layers[1].constructor).toBe(tf.layers.batchNormalization({}).constructor);
    model.dispose();
    loaded.dispose();
  });
});
