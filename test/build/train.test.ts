// Every family config trains: a few optimizer steps on one fixed small batch lower the loss, on
// cpu and on wasm (embeddings included, which on wasm needs the registered UnsortedSegmentSum).
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelIR } from '../../src/compiler/ir.js';
import { buildModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { FAMILY_CONFIGS, inputTensors, loadIr, randomBatch, rng, tinyIr, withSmallTables } from './fixtures.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

const ROWS = 16;
const STEPS = 6;

/**
 * Trains STEPS Adam steps on one random batch; returns the loss over the labelled tasks (ESMM's
 * cvr has no label: it learns through ctcvr) before and after, in inference mode: dropout masks
 * are unseeded in tfjs, so training-mode losses are noisy, while these compare the same function.
 */
function trainLosses(ir: ModelIR, model: LayersModel, seed: number): { before: number; after: number } {
  const batch = randomBatch(ir, ROWS, seed);
  const r = rng(seed + 1);
  const labelled = ir.tasks.filter((t) => t.label !== null);
  const labels = labelled.map((t) =>
    Array.from({ length: ROWS }, () => (t.type === 'binary' ? (r() < 0.3 ? 1 : 0) : r())),
  );
  const optimizer = tf.train.adam(0.01);
  const xs = inputTensors(tf, model, batch);
  const ys = labels.map((l) => tf.tensor2d(l, [ROWS, 1]));
  const outIndex = labelled.map((t) => model.outputNames.indexOf(t.name));
  const objective = (training: boolean) => {
    const outs = model.apply(xs, { training }) as Tensor[];
    const terms = labelled.map((t, i) => {
      const y = outs[outIndex[i]];
      return t.type === 'binary' ? tf.losses.logLoss(ys[i], y) : tf.losses.meanSquaredError(ys[i], y);
    });
    return tf.addN(terms) as Scalar;
  };
  const evaluate = () => tf.tidy(() => objective(false).dataSync()[0]);
  const before = evaluate();
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(() => objective(true), true);
    expect(Number.isFinite(loss!.dataSync()[0])).toBe(true);
    loss!.dispose();
  }
  const after = evaluate();
  optimizer.dispose();
  tf.dispose([...xs, ...ys]);
  return { before, after };
}

/** The loss falls: after the steps below 0.97 x before. */
function expectLearns({ before, after }: { before: number; after: number }): void {
  expect(Number.isFinite(before) && Number.isFinite(after)).toBe(true);
  expect(after).toBeLessThan(before * 0.97);
}

describe.each(['wasm', 'cpu'] as const)('training steps lower the loss on %s', (backend) => {
  beforeAll(async () => {
    await activateBackend(tf, backend);
  });
  for (const config of FAMILY_CONFIGS) {
    it(config, () => {
      // cpu's own UnsortedSegmentSum loops over every table row (8192 for item_id): cap the tables there.
      const ir = backend === 'cpu' ? withSmallTables(loadIr(config), 256) : loadIr(config);
      const model = buildModel(ir, tf, { seed: 21 });
      expectLearns(trainLosses(ir, model, 5));
      model.dispose();
    });
  }
  it('hand-built IR: batch norm, dropout, l2, top-k gates, per-scenario towers, product head', () => {
    const ir = tinyIr({
      batchNorm: true,
      dropout: 0.2,
      l2: 1e-3,
      topK: 2,
      temperature: 0.7,
      pooling: 'max',
      activation: 'gelu',
    });
    for (const experts of ['separate', 'fused'] as const) {
      const model = buildModel(ir, tf, { seed: 8, lowering: { experts, gates: experts } });
      expectLearns(trainLosses(ir, model, 9));
      model.dispose();
    }
  });
});

describe('model.fit on wasm', () => {
  it('compiles with one loss per task and fits (mmoe)', async () => {
    await activateBackend(tf, 'wasm');
    const ir = loadIr('mmoe');
    const model = buildModel(ir, tf, { seed: 1 });
    const batch = randomBatch(ir, 64, 2);
    const r = rng(3);
    const ys = Object.fromEntries(
      ir.tasks.map((t) => [
        t.name,
        tf.tensor2d(
          Array.from({ length: 64 }, () => (r() < 0.3 ? 1 : 0)),
          [64, 1],
        ),
      ]),
    );
    model.compile({
      optimizer: tf.train.adam(0.01),
      loss: Object.fromEntries(ir.tasks.map((t) => [t.name, 'binaryCrossentropy'])),
    });
    const xs = inputTensors(tf, model, batch);
    const history = await model.fit(xs, ys, { epochs: 4, batchSize: 16, verbose: 0, shuffle: false });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
    tf.dispose([...xs, ...Object.values(ys)]);
    model.dispose();
  });
});
