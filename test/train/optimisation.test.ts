// The optimisation options through `train` (docs/training.md): the per-epoch rate and task weights
// in metrics.json, resume byte-identical with a schedule and learned weights, the warmup checked
// against the real step count, the rate really reaching the optimizer, and the torch engine
// training the same numbers (losses, rates and task weights) for every option.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { Rng } from '../../src/data/random.js';
import { StepOptions } from '../../src/train/step-options.js';
import { learningRateAt } from '../../src/train/schedule.js';
import { torch } from '../export/python.js';
import { cli, COLORS, tempDir } from './helpers.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

/** A two-task project: y (binary, from x and color) and v (regression on a separate column). */
function project(training: string, taskExtra = ''): string {
  const dir = tempDir('mmoe-optim-');
  const rows = (n: number, seed: number) => {
    const rng = new Rng(seed);
    const out = ['x,color,y,v'];
    for (let i = 0; i < n; i++) {
      const x = rng.uniform() * 4 - 2;
      const color = COLORS[Math.floor(rng.uniform() * COLORS.length)];
      const y = rng.uniform() < 1 / (1 + Math.exp(-(1.5 * x + (color === 'red' ? 1 : 0)))) ? 1 : 0;
      out.push(`${x.toFixed(4)},${color},${y},${(0.5 * x + rng.uniform()).toFixed(4)}`);
    }
    return out.join('\n') + '\n';
  };
  writeFileSync(join(dir, 'train.csv'), rows(400, 1));
  writeFileSync(join(dir, 'test.csv'), rows(100, 2));
  writeFileSync(
    join(dir, 'spec.yaml'),
    `specVersion: 1
name: optim
data: { source: csv, train: train.csv, test: test.csv }
features:
  - { name: x, type: numeric }
  - { name: color, type: categorical, embeddingDim: 2 }
featureGroups: { all: [x, color] }
model:
  levels:
    - pools: [{ name: experts, count: 2, units: [8] }]
      gates: [{ name: y_gate, pools: [experts] }, { name: v_gate, pools: [experts] }]
  towers: [{ name: y, input: y_gate, units: [4] }, { name: v, input: v_gate, units: [4] }]
tasks:
  - { name: y, label: y${taskExtra} }
  - { name: v, type: regression, label: v }
training:
  epochs: 4
  batchSize: 64
  learningRate: 0.02
  seed: 3
  validationFraction: 0.2
${training}`,
  );
  return dir;
}

// 320 training rows / batch 64: 5 steps per epoch, 20 in 4 epochs
const BATCHES = 5;
const SCHEDULE = '  learningRateSchedule: { warmupSteps: 7, decay: cosine, minLearningRate: 0.001 }\n';
// a schedule that does not depend on the number of epochs (which a resumed run may change)
const STEP_SCHEDULE = '  learningRateSchedule: { warmupSteps: 3, decay: step, decaySteps: 4, decayRate: 0.7 }\n';

interface Metrics {
  epochs: { epoch: number; loss: number; learningRate?: number; taskWeights?: Record<string, number> }[];
}
const metricsOf = (out: string) => JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Metrics;

async function train(dir: string, out: string, ...extra: string[]) {
  const r = await cli(
    'train',
    join(dir, 'spec.yaml'),
    '-o',
    join(dir, out),
    '--backend',
    'cpu',
    '--no-progress',
    ...extra,
  );
  expect(r.code, r.err.join('\n')).toBe(0);
  return join(dir, out);
}

describe('optimisation options in training', () => {
  it('records the rate of each epoch’s last step and the learned task weights', async () => {
    const dir = project(
      `${SCHEDULE}  gradientClipNorm: 1\n  embeddingL2: { color: 0.01 }\n  taskWeighting: { method: dwa, temperature: 2 }\n`,
      ', focal: { gamma: 2, alpha: 0.25 }, labelSmoothing: 0.05',
    );
    const m = metricsOf(await train(dir, 'out'));
    const sched = { warmupSteps: 7, decay: 'cosine' as const, minLearningRate: 0.001 };
    m.epochs.forEach((e, i) => {
      expect(e.learningRate).toBeCloseTo(learningRateAt(0.02, sched, (i + 1) * BATCHES - 1, 4 * BATCHES), 12);
    });
    // epoch 1 ends inside the warmup: step 4 of 7 -> 0.02 x 5 / 7
    expect(m.epochs[0].learningRate).toBeCloseTo((0.02 * 5) / 7, 12);
    expect(m.epochs[3].learningRate).toBeCloseTo(0.001, 12);
    // DWA: 1 for two epochs, then K = 2 spread by the loss ratios
    expect(m.epochs[0].taskWeights).toEqual({ y: 1, v: 1 });
    expect(m.epochs[1].taskWeights).toEqual({ y: 1, v: 1 });
    const w3 = m.epochs[2].taskWeights!;
    expect(w3.y + w3.v).toBeCloseTo(2, 10);
    expect(w3.y).not.toBe(1);
  }, 60_000);

  for (const method of ['uncertainty', 'dwa'] as const)
    it(`resume after epoch 2 equals the uninterrupted run (${method}, warmup + step decay, clipping)`, async () => {
      const dir = project(`${STEP_SCHEDULE}  gradientClipNorm: 0.5\n  taskWeighting: { method: ${method} }\n`);
      const full = await train(dir, 'full');
      const part = await train(dir, 'part', '--set', 'training.epochs=2');
      await train(dir, 'part', '--resume');
      expect(readFileSync(join(part, 'weights.bin')).equals(readFileSync(join(full, 'weights.bin')))).toBe(true);
      expect(readFileSync(join(part, 'metrics.json'), 'utf8')).toBe(readFileSync(join(full, 'metrics.json'), 'utf8'));
      const w = metricsOf(full).epochs.map((e) => e.taskWeights);
      expect(w.every((x) => x !== undefined)).toBe(true);
    }, 90_000);

  it('refuses a warmup as long as training once the row count is known, at the warmup line', async () => {
    const dir = project('  learningRateSchedule: { warmupSteps: 20 }\n');
    const r = await cli('train', join(dir, 'spec.yaml'), '-o', join(dir, 'out'), '--backend', 'cpu', '--no-progress');
    expect(r.code).toBe(1);
    const line = r.err.find((l) => l.includes('lr-schedule'));
    expect(line).toMatch(
      /spec\.yaml:22:40: error lr-schedule: the warmup of 20 steps is not shorter than training: 20 steps \(4 epochs of 5 batches\)/,
    );
  }, 30_000);

  it('the optimizer takes the scheduled rate: one SGD step on f(w) = w moves w by -rate', () => {
    const w = tf.variable(tf.scalar(0));
    const training = {
      learningRate: 0.1,
      epochs: 1,
      learningRateSchedule: { warmupSteps: 4, decay: 'constant', minLearningRate: 0 },
    };
    const opts = new StepOptions(tf, { embeddings: [] } as never, {} as never, training as never, [], 10);
    const sgd = tf.train.sgd(0.1);
    opts.beforeStep(sgd, 1); // warmup step 1 of 4: 0.1 x 2 / 4
    opts.minimize(sgd, () => w.mul(1) as never);
    expect(w.dataSync()[0]).toBeCloseTo(-0.05, 7);
    opts.beforeStep(sgd, 5); // after warmup: 0.1
    opts.minimize(sgd, () => w.mul(1) as never);
    expect(w.dataSync()[0]).toBeCloseTo(-0.15, 7);
    opts.dispose();
    w.dispose();
  });

  it('embedding L2 adds lambda x the sum of the squared table entries to the objective', async () => {
    const dir = project('  embeddingL2: { color: 0.5 }\n');
    const out = await train(dir, 'out', '--set', 'training.epochs=1');
    const { buildModel } = await import('../../src/compiler/build/index.js');
    const ir = JSON.parse(readFileSync(join(out, 'ir.json'), 'utf8'));
    const model = buildModel(ir, tf, { seed: 3 });
    const table = model.getLayer('emb_color').getWeights()[0];
    const sumSq = Array.from(table.dataSync()).reduce((s, v) => s + v * v, 0);
    const opts = new StepOptions(
      tf,
      ir,
      model,
      { learningRate: 0.1, epochs: 1, embeddingL2: { color: 0.5 } } as never,
      [],
      1,
    );
    const value = opts.objective([]).dataSync()[0];
    expect(value).toBeCloseTo(0.5 * sumSq, 5);
    expect(sumSq).toBeGreaterThan(0);
    opts.dispose();
    model.dispose();
  }, 30_000);
});

describe.skipIf(!torch.python)('--engine torch with learned task weighting', () => {
  // 2 processes (torchrun): s_k, outside DistributedDataParallel, has its gradient averaged by hand
  for (const [method, nproc] of [
    ['uncertainty', 1],
    ['dwa', 1],
    ['uncertainty', 2],
  ] as const)
    it(`${method}, ${nproc} process(es): the tfjs engine’s losses and task weights`, async () => {
      const dir = project(`  taskWeighting: { method: ${method} }\n  gradientClipNorm: 1\n`);
      const a = metricsOf(await train(dir, 'tfjs'));
      const b = metricsOf(await train(dir, 'torch', '--engine', 'torch', '--nproc', String(nproc)));
      expect(b.epochs.length).toBe(4);
      b.epochs.forEach((e, i) => {
        expect(Math.abs(e.loss - a.epochs[i].loss)).toBeLessThan(1e-4);
        for (const t of ['y', 'v'])
          expect(Math.abs(e.taskWeights![t] - a.epochs[i].taskWeights![t])).toBeLessThan(1e-4);
      });
    }, 120_000);
});

describe.skipIf(!torch.python)(
  '--engine torch with a schedule, clipping, embedding L2, focal loss and label smoothing',
  () => {
    it('trains to the tfjs engine’s losses', async () => {
      const dir = project(
        `${SCHEDULE}  gradientClipNorm: 0.5\n  embeddingL2: { color: 1 }\n`,
        ', focal: { gamma: 2, alpha: 0.25 }, labelSmoothing: 0.1',
      );
      const a = metricsOf(await train(dir, 'tfjs'));
      const b = metricsOf(await train(dir, 'torch', '--engine', 'torch'));
      expect(b.epochs.length).toBe(4);
      b.epochs.forEach((e, i) => {
        expect(Math.abs(e.loss - a.epochs[i].loss)).toBeLessThan(1e-4);
        expect(e.learningRate).toBeCloseTo(a.epochs[i].learningRate!, 9);
      });
    }, 120_000);
  },
);
