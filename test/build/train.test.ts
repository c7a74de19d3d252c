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

/** Loss over the labelled tasks (ESMM's cvr has no label: it learns through ctcvr). */
function trainLosses(ir: ModelIR, model: LayersModel, seed: number): number[] {
  const batch = randomBatch(ir, ROWS, seed);
  const r = rng(seed + 1);
  const labelled = ir.tasks.filter((t) => t.label !== null);
  const labels = labelled.map((t) =>
    Array.from({ length: ROWS }, () => (t.type === 'binary' ? (r() < 0.3 ? 1 : 0) : r())),
  );
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  const xs = inputTensors(tf, model, batch);
  const ys = labels.map((l) => tf.tensor2d(l, [ROWS, 1]));
  const outIndex = labelled.map((t) => model.outputNames.indexOf(t.name));
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(() => {
      const outs = model.apply(xs, { training: true }) as Tensor[];
      const terms = labelled.map((t, i) => {
        const y = outs[outIndex[i]];
        return t.type === 'binary' ? tf.losses.logLoss(ys[i], y) : tf.losses.meanSquaredError(ys[i], y);
      });
      return tf.addN(terms) as Scalar;
    }, true);
    losses.push(loss!.dataSync()[0]);
    loss!.dispose();
  }
  optimizer.dispose();
  tf.dispose([...xs, ...ys]);
  return losses;
}

/** The loss falls: the mean of the last 3 steps below 0.97 x the mean of the first 3 (means, not
 * single steps: dropout masks are unseeded in tfjs, so a single step's loss is noisy). */
function expectLearns(losses: number[]): void {
  expect(losses.every(Number.isFinite)).toBe(true);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)) * 0.97);
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
