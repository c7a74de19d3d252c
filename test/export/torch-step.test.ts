// One training step in PyTorch equals one tfjs step: the same model (built and initialised by
// the tfjs builder), the same batch, plain SGD; the weights after the step agree to 1e-4 for
// models with sample-space masks, ESMM products (a factor with no label), scenarios, batch norm
// and L2. And 2 processes under torchrun (DistributedDataParallel, each rank half of the batch)
// give the weights of 1 process with the same global batch.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/compiler/build/index.js';
import { serializeModel } from '../../src/compiler/build/save.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { writeEncoded } from '../../src/export/torch/engine.js';
import { torchPackage } from '../../src/export/torch/export.js';
import type { ModelData } from '../../src/train/dataset.js';
import { trainModel } from '../../src/train/loop.js';
import type { TrainingSpec } from '../../src/schema/spec-schema.js';
import { loadIr, randomBatch, rng, tinyIr, withSmallTables } from '../build/fixtures.js';
import { freePort, torchrunArgs } from '../../src/export/torch/python.js';
import { torch } from './python.js';

const ROWS = 48;
const TRAINING = {
  optimizer: 'sgd',
  learningRate: 0.5,
  batchSize: ROWS,
  epochs: 1,
  seed: 3,
  validationFraction: 0,
} as TrainingSpec;

/** Model data for a random batch: labels 0/1 (regression: normal-ish), masks from a random "click". */
function dataFor(ir: ModelIR, seed: number): ModelData {
  const batch = randomBatch(ir, ROWS, seed);
  const r = rng(seed + 9);
  const inputs = new Map(
    Object.entries(batch).map(([name, rows]) => {
      const width = rows[0].length;
      const isFloat = ir.features.find((f) => f.name === name)?.kind === 'numeric';
      const flat = rows.flat();
      return [
        name,
        {
          dtype: isFloat ? ('float32' as const) : ('int32' as const),
          width,
          data: isFloat ? Float32Array.from(flat) : Int32Array.from(flat),
        },
      ];
    }),
  );
  const click = Float32Array.from({ length: ROWS }, () => (r() < 0.5 ? 1 : 0));
  const labels = new Map<string, Float32Array>();
  const masks = new Map<string, Float32Array>();
  for (const t of ir.tasks) {
    if (t.label === null) continue;
    labels.set(
      t.name,
      Float32Array.from({ length: ROWS }, () => (t.type === 'binary' ? (r() < 0.4 ? 1 : 0) : r() * 2 - 1)),
    );
    masks.set(t.name, t.sampleSpace ? click.slice() : new Float32Array(ROWS).fill(1));
  }
  return { n: ROWS, inputs, labels, masks };
}

function floats(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

interface Case {
  label: string;
  pkg: string;
  data: string;
  tfjs: Float32Array;
  before: Float32Array;
}

let tf: Tf;
const cases: Case[] = [];

async function addCase(root: string, label: string, ir: ModelIR): Promise<void> {
  const model = buildModel(ir, tf, { seed: 4 });
  const data = dataFor(ir, 21);
  const before = await serializeModel(tf, model);
  const folder = join(root, `${cases.length}-model`);
  mkdirSync(folder);
  writeFileSync(join(folder, 'model.json'), before.modelJson);
  writeFileSync(join(folder, 'weights.bin'), before.weightsBin);
  writeFileSync(join(folder, 'ir.json'), JSON.stringify(ir));
  writeFileSync(join(folder, 'pipeline.json'), '{}');
  writeFileSync(join(folder, 'spec.json'), JSON.stringify({ training: TRAINING }));
  const pkg = join(root, `${cases.length}-torch`);
  mkdirSync(pkg);
  for (const [rel, content] of torchPackage(folder).files) writeFileSync(join(pkg, rel), content);
  const dataDir = join(root, `${cases.length}-data`);
  writeEncoded(dataDir, data);
  await trainModel({ tf, ir, model, train: data, training: TRAINING, randomForEpoch: () => () => 0.5 });
  const after = await serializeModel(tf, model);
  model.dispose();
  cases.push({ label, pkg, data: dataDir, tfjs: floats(after.weightsBin), before: floats(before.weightsBin) });
}

/** Train every case's package for its one step, all in one python process (or one torchrun). */
async function trainAll(list: Case[], tag: string, processes: number): Promise<Float32Array[]> {
  const port = await freePort();
  const root = join(list[0].pkg, '..');
  const jobs = list.map((c, i) => ({ dir: c.pkg, data: c.data, out: join(root, `${tag}-${i}`), args: [] }));
  writeFileSync(join(root, `${tag}.json`), JSON.stringify(jobs));
  const driver = [join(import.meta.dirname, 'torch_ddp_all.py'), join(root, `${tag}.json`)];
  const args = processes > 1 ? [...torchrunArgs(processes, port), ...driver] : driver;
  const r = spawnSync(torch.python!, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`train.py failed:\n${r.stderr.slice(-3000)}`);
  return jobs.map((j) => {
    expect(JSON.parse(readFileSync(join(j.out, 'run-record.json'), 'utf8')).processes).toBe(processes);
    return floats(new Uint8Array(readFileSync(join(j.out, 'weights.bin'))));
  });
}

beforeAll(async () => {
  if (!torch.python) return;
  ({ tf } = await initBackend('cpu'));
  const root = mkdtempSync(join(tmpdir(), 'mmoe-torch-step-'));
  await addCase(root, 'mmoe (cvr counted where click = 1)', withSmallTables(loadIr('mmoe'), 100));
  await addCase(root, 'esmm (cvr only through ctcvr = ctr x cvr)', withSmallTables(loadIr('esmm'), 100));
  await addCase(
    root,
    'multi-scenario (scenario-aware gates, per-scenario towers)',
    withSmallTables(loadIr('multi-scenario'), 100),
  );
  await addCase(root, 'ple (two levels)', withSmallTables(loadIr('ple'), 100));
  await addCase(
    root,
    'hand-built: batch norm, L2, regression head, top-2 gates',
    tinyIr({ batchNorm: true, l2: 0.01, topK: 2, temperature: 0.7 }),
  );
}, 120_000);

describe.skipIf(!torch.python)('one SGD step: PyTorch equals tfjs', () => {
  const labels = [
    'mmoe (cvr counted where click = 1)',
    'esmm (cvr only through ctcvr = ctr x cvr)',
    'multi-scenario (scenario-aware gates, per-scenario towers)',
    'ple (two levels)',
    'hand-built: batch norm, L2, regression head, top-2 gates',
  ];
  let one: Float32Array[] = [];
  beforeAll(async () => {
    if (torch.python) one = await trainAll(cases, 'one', 1);
  }, 120_000);
  it.each(labels)('%s', (label) => {
    const i = cases.findIndex((x) => x.label === label);
    // The step moved the weights (so equality is not trivial), and torch moved them the same way.
    expect(maxDiff(cases[i].before, cases[i].tfjs)).toBeGreaterThan(1e-3);
    expect(maxDiff(one[i], cases[i].tfjs)).toBeLessThan(1e-4);
  });
  it('2 processes (DDP, half the batch each) equal 1 process with the same global batch', async () => {
    // Batch norm is left out: its batch statistics are per process under DDP (documented).
    const ddp = cases.filter((x) => !x.label.includes('batch norm'));
    const two = await trainAll(ddp, 'two', 2);
    ddp.forEach((c, i) => {
      expect(maxDiff(two[i], one[cases.indexOf(c)]), c.label).toBeLessThan(1e-5);
      expect(maxDiff(two[i], c.before), c.label).toBeGreaterThan(1e-3);
    });
  }, 120_000);
});
