// The training loop reads losses a window of batches at a time: the per-batch losses it reports
// are the same as reading every batch, and a NaN is still located at its exact epoch and batch
// (on wasm too: the binary cross-entropy propagates NaN through its clip).
import type * as tfType from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/compiler/build/index.js';
import { checkSpec } from '../../src/compiler/front.js';
import { deriveSeed, Rng } from '../../src/data/random.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { createOptimizer, LOSS_READ_WINDOW, permutation, trainModel, TrainingDiverged } from '../../src/train/loop.js';
import { taskLoss } from '../../src/train/loss.js';
import { prepare, type Prepared } from '../../src/driver/prepare.js';

let tf: Tf;
let p: Prepared;
let spec: NonNullable<ReturnType<typeof checkSpec>['spec']>;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
  const checked = checkSpec('configs/mmoe.yaml', {
    sets: ['data.rows=2600', 'data.testRows=100', 'training.batchSize=64', 'training.epochs=2'],
  });
  spec = checked.spec!;
  p = await prepare(spec, checked.loaded.absPath, checked.name);
});

const randomForEpoch = (e: number) => {
  const rng = new Rng(deriveSeed(spec.training.seed, `epoch:${e}`));
  return () => rng.uniform();
};

async function run(onBatch?: (loss: number) => void) {
  const model = buildModel(p.ir, tf, { seed: 3 });
  const training = { ...spec.training, earlyStopping: undefined };
  const optimizer = createOptimizer(tf, training);
  try {
    return await trainModel({
      tf,
      ir: p.ir,
      model,
      train: p.train,
      training,
      optimizer,
      randomForEpoch,
      hooks: { onBatch: ({ loss }) => onBatch?.(loss) },
    });
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

describe('windowed loss reads', () => {
  it('report every batch, in order, with the loss of that batch', async () => {
    await activateBackend(tf, 'wasm');
    const batches = Math.ceil(p.train.n / 64);
    expect(batches).toBeGreaterThan(2 * LOSS_READ_WINDOW); // windows, and a partial last one
    const seen: number[] = [];
    const r = await run((l) => seen.push(l));
    expect(seen).toHaveLength(2 * batches);
    expect(r.history[0].loss).toBeCloseTo(seen.slice(0, batches).reduce((a, b) => a + b, 0) / batches, 10);

    // The same steps by hand, reading each loss as it comes.
    const model = buildModel(p.ir, tf, { seed: 3 });
    const optimizer = createOptimizer(tf, spec.training);
    const tasks = p.ir.tasks.filter((t) => t.label !== null);
    const { inputTensors, gatherRows } = await import('../../src/train/dataset.js');
    const byHand: number[] = [];
    const order = permutation(p.train.n, randomForEpoch(1));
    for (let b = 0; b < batches; b++) {
      const rows = order.subarray(b * 64, Math.min(p.train.n, (b + 1) * 64));
      const loss = tf.tidy(() => {
        const xs = inputTensors(tf, p.train, rows, model.inputNames);
        const ys = tasks.map((t) => tf.tensor1d(gatherRows(p.train.labels.get(t.name)!, rows)));
        const ms = tasks.map((t) => tf.tensor1d(gatherRows(p.train.masks.get(t.name)!, rows)));
        return optimizer.minimize(() => {
          const outs = model.apply(xs, { training: true }) as tfType.Tensor[];
          let total: tfType.Scalar = tf.scalar(0);
          tasks.forEach(
            (t, k) =>
              (total = total.add(taskLoss(tf, t, outs[model.outputNames.indexOf(t.name)], ys[k], ms[k]).mul(t.weight))),
          );
          for (const reg of model.calculateLosses()) total = total.add(reg);
          return total;
        }, true)!;
      });
      byHand.push(loss.dataSync()[0]);
      loss.dispose();
    }
    expect(seen.slice(0, batches)).toEqual(byHand);
    optimizer.dispose();
    model.dispose();
  });

  // (cpu: test/train/errors.test.ts covers the NaN stop through the CLI and checkpoints)
  it('a NaN in the middle of a window names its epoch and batch (wasm)', async () => {
    await activateBackend(tf, 'wasm');
    const col = p.train.inputs.get('user_age')!;
    // a row whose epoch-1 batch comes after a full window and is not the last of its window
    const order = permutation(p.train.n, randomForEpoch(1));
    const batchOf = (row: number) => Math.floor(order.indexOf(row) / 64) + 1;
    const poisoned = Array.from({ length: p.train.n }, (_, i) => i).find(
      (r) => batchOf(r) > LOSS_READ_WINDOW && batchOf(r) % LOSS_READ_WINDOW !== 0,
    )!;
    const batch = batchOf(poisoned);
    const saved = col.data[poisoned];
    col.data[poisoned] = Number.NaN;
    let error: unknown;
    const reported: number[] = [];
    try {
      await run((l) => reported.push(l));
    } catch (e) {
      error = e;
    } finally {
      col.data[poisoned] = saved;
    }
    expect(error).toBeInstanceOf(TrainingDiverged);
    expect([(error as TrainingDiverged).epoch, (error as TrainingDiverged).batch]).toEqual([1, batch]);
    // batches before it were reported, the bad one and later ones were not
    expect(reported).toHaveLength(batch - 1);
    expect(reported.every(Number.isFinite)).toBe(true);
  });
});
