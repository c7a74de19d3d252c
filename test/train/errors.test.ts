// Failure behaviour of `train`: a malformed CSV row stops with one line naming the file and line
// (exit 1, no stack); badRows: skip drops and counts it; a NaN in a batch stops training naming
// the epoch and batch, restores the last good weights and leaves the last good checkpoint.
import type * as tfType from '@tensorflow/tfjs';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';
import { buildModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { checkpointDir, decodeTensors, saveCheckpoint } from '../../src/train/checkpoint.js';
import { createOptimizer, permutation, trainModel, TrainingDiverged } from '../../src/train/loop.js';
import { prepare } from '../../src/driver/prepare.js';
import { deriveSeed, Rng } from '../../src/data/random.js';
import { cli, tinyProject } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const project = (o: Parameters<typeof tinyProject>[0]) => {
  const d = tinyProject(o);
  dirs.push(d);
  return d;
};

describe('a bad CSV row', () => {
  it('stops train with one line naming file and line, exit 1', async () => {
    // 400 good rows after the header: the bad row is line 402
    const dir = project({ extraTrainLines: ['1.5,red,S'] });
    const r = await cli('train', join(dir, 'spec.yaml'), '-o', join(dir, 'out'), '--backend', 'cpu', '--no-progress');
    expect(r.code).toBe(1);
    const errors = r.err.filter((l) => l.startsWith('mmoe-compile:'));
    expect(errors).toEqual([`mmoe-compile: ${join(dir, 'train.csv')}:402: expected 4 fields, found 3`]);
    expect(r.err.some((l) => /^\s+at /.test(l))).toBe(false);
    expect(r.out).toBe('');
  });
  it('a number cell that is not a number names the column', async () => {
    const dir = project({ extraTrainLines: ['abc,red,S,yes'] });
    const r = await cli('train', join(dir, 'spec.yaml'), '-o', join(dir, 'out'), '--backend', 'cpu', '--no-progress');
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toBe(
      `mmoe-compile: ${join(dir, 'train.csv')}:402: column "x": "abc" is not a number (missing values are written "", "NA", "?")`,
    );
  });
  it('with data.badRows: skip the row is dropped and counted in the notes', async () => {
    const dir = project({ extraTrainLines: ['1.5,red,S'], badRows: 'skip', epochs: 1 });
    const r = await cli('train', join(dir, 'spec.yaml'), '-o', join(dir, 'out'), '--backend', 'cpu', '--no-progress');
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `train.csv: skipped 1 bad rows (first: ${join(dir, 'train.csv')}:402: expected 4 fields, found 3)`,
    );
  });
  it('a missing value under missing.policy error names the row', async () => {
    const dir = project({ extraTrainLines: ['0.5,red,?,no'], sizePolicy: 'error' });
    const r = await cli('train', join(dir, 'spec.yaml'), '-o', join(dir, 'out'), '--backend', 'cpu', '--no-progress');
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toBe(
      `mmoe-compile: ${join(dir, 'train.csv')}:402: feature "size" (column "size") is missing and its missing.policy is error`,
    );
  });
});

// NaN injection: after epoch 1 the `x` input of one training row becomes NaN (ModelData columns
// are gathered per batch, so the change reaches exactly the batch holding that row in epoch 2).
async function divergeRun(tf: Tf) {
  const dir = project({ epochs: 3 });
  const c = checkSpec(join(dir, 'spec.yaml'));
  const p = await prepare(c.spec!, c.loaded.absPath, c.name);
  const training = c.spec!.training;
  const model = buildModel(p.ir, tf, { seed: training.seed });
  const optimizer = createOptimizer(tf, training);
  const ckpt = checkpointDir(join(dir, 'out'));
  const randomForEpoch = (e: number) => {
    const rng = new Rng(deriveSeed(training.seed, `epoch:${e}`));
    return () => rng.uniform();
  };
  const poisoned = 17;
  const batchSize = Math.min(training.batchSize, p.train.n);
  const expectedBatch = Math.floor(permutation(p.train.n, randomForEpoch(2)).indexOf(poisoned) / batchSize) + 1;
  let error: unknown;
  try {
    await trainModel({
      tf,
      ir: p.ir,
      model,
      train: p.train,
      validation: p.validation,
      training,
      optimizer,
      randomForEpoch,
      hooks: {
        onEpoch: (row) => {
          if (row.epoch === 1) p.train.inputs.get('x')!.data[poisoned] = NaN;
        },
        onCheckpoint: (state) => saveCheckpoint(ckpt, model, optimizer, state, 'test'),
      },
    });
  } catch (e) {
    error = e;
  }
  return { error, expectedBatch, model, ckpt };
}

function expectStopped(tf: Tf, r: Awaited<ReturnType<typeof divergeRun>>) {
  expect(r.error).toBeInstanceOf(TrainingDiverged);
  const e = r.error as TrainingDiverged;
  expect([e.epoch, e.batch]).toEqual([2, r.expectedBatch]);
  expect(e.message).toBe(
    `the loss became NaN at epoch 2, batch ${r.expectedBatch}; training stopped and the last good weights (end of epoch 1) were kept. Try a lower training.learningRate`,
  );
  // the checkpoint holds epoch 1, and the model holds exactly its weights
  const state = JSON.parse(readFileSync(join(r.ckpt, 'state.json'), 'utf8')) as {
    epoch: number;
    weights: Parameters<typeof decodeTensors>[1];
  };
  expect(state.epoch).toBe(1);
  const saved = decodeTensors(tf, state.weights, new Uint8Array(readFileSync(join(r.ckpt, 'weights.bin'))));
  const now = r.model.getWeights();
  expect(now.length).toBe(saved.length);
  now.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(saved[i].tensor.dataSync())));
  tf.dispose(saved.map((s) => s.tensor) as tfType.Tensor[]);
  r.model.dispose();
}

describe('a NaN in a batch', () => {
  let tf: Tf;
  beforeAll(async () => {
    ({ tf } = await initBackend('cpu'));
  });
  it('stops training (cpu), names epoch and batch, keeps the last good weights and checkpoint', async () => {
    await activateBackend(tf, 'cpu');
    expectStopped(tf, await divergeRun(tf));
  });
  // On wasm XNNPACK's clamp maps NaN to the bound, which once hid divergence: the loss now adds
  // p x 0 after the clip, which is NaN exactly when p is (src/train/loss.ts).
  it('stops training on wasm as well', async () => {
    await activateBackend(tf, 'wasm');
    expectStopped(tf, await divergeRun(tf));
  });
  it('through the CLI: one line naming epoch, batch and the checkpoint, exit 1', async () => {
    // a learning rate this large overflows on the first steps (cpu propagates the NaN), or first
    // drives the clipped loss far above the constant predictor's (src/train/divergence.ts)
    const dir = project({ epochs: 2 });
    const r = await cli(
      'train',
      join(dir, 'spec.yaml'),
      '-o',
      join(dir, 'out'),
      '--backend',
      'cpu',
      '--no-progress',
      '--set',
      'training.learningRate=1e38',
    );
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toMatch(
      new RegExp(
        `^mmoe-compile: ${join(dir, 'spec.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (the loss became (NaN|Infinity|-Infinity)|the loss diverged: [^;]+ is more than 3x the reference [^;]+,) at epoch \\d+, batch \\d+; training stopped and (the last good weights \\(end of epoch \\d+\\) were kept|no epoch finished)\\. Try a lower training\\.learningRate; checkpoint: ${join(dir, 'out.checkpoint')}$`,
      ),
    );
  });
});
