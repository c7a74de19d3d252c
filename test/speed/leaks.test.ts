// No tensor leaks: the number of live tensors is the same after every epoch of training (with
// validation and early-stopping snapshots), and evaluate / predict leave it unchanged. Counts,
// not timings.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/compiler/build/index.js';
import { checkSpec } from '../../src/compiler/front.js';
import { deriveSeed, Rng } from '../../src/data/random.js';
import { initBackend } from '../../src/engine/backend.js';
import { evaluateModel, predictAll } from '../../src/train/evaluate.js';
import { createOptimizer, trainModel } from '../../src/train/loop.js';
import { prepare } from '../../src/driver/prepare.js';

describe('tensor leaks', () => {
  it.each([
    ['mmoe.yaml (scenarios, separate experts)', 'configs/mmoe.yaml', []],
    ['mmoe.yaml with one-layer experts (fused lowering)', 'configs/mmoe.yaml', ['model.levels.0.pools.0.units=[16]']],
  ])('%s: epoch 2 and 3 end with as many tensors as epoch 1; evaluate and predict add none', async (_, file, extra) => {
    const { tf } = await initBackend('wasm');
    const checked = checkSpec(file, {
      sets: ['data.rows=1200', 'data.testRows=300', 'training.epochs=3', 'training.batchSize=128', ...extra],
    });
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const spec = checked.spec!;
    const p = await prepare(spec, checked.loaded.absPath, checked.name);
    const model = buildModel(p.ir, tf, { seed: 1 });
    const optimizer = createOptimizer(tf, spec.training);
    const counts: number[] = [];
    await trainModel({
      tf,
      ir: p.ir,
      model,
      train: p.train,
      validation: p.validation,
      // early stopping off: every epoch runs (the best-weights snapshot is still taken each epoch)
      training: { ...spec.training, earlyStopping: undefined },
      optimizer,
      randomForEpoch: (e) => {
        const rng = new Rng(deriveSeed(spec.training.seed, `epoch:${e}`));
        return () => rng.uniform();
      },
      hooks: { onEpoch: () => counts.push(tf.memory().numTensors) },
    });
    expect(counts).toHaveLength(3);
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
    const before = tf.memory().numTensors;
    await evaluateModel(tf, p.ir, model, p.test);
    await predictAll(tf, model, p.test, 100);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });
});
