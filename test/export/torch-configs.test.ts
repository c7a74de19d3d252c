// Every shipped config through the PyTorch target: built by the CLI, exported, the torch forward
// pass equal to the tfjs model's to 1e-5 on 64 random rows (padding-only sequences, unknown
// scenarios); one epoch under torchrun with 2 processes (DistributedDataParallel, gloo); and the
// torch-trained folder served back by tfjs: the tfjs model loaded from it gives torch's outputs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deserializeModel } from '../../src/compiler/build/save.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { writeEncoded } from '../../src/export/torch/engine.js';
import { exportTorchPackage } from '../../src/export/torch/write.js';
import type { ModelData } from '../../src/train/dataset.js';
import { maxAbsDiff, predictByTask, randomBatch, rng, type Batch } from '../build/fixtures.js';
import { cli, HAVE_ADULT, ROOT } from '../train/helpers.js';
import { freePort, torchrunArgs } from '../../src/export/torch/python.js';
import { torch } from './python.js';

const CONFIGS = [
  ...readdirSync(join(ROOT, 'configs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `configs/${f}`),
  ...readdirSync(join(ROOT, 'configs/paper'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `configs/paper/${f}`),
].filter((c) => HAVE_ADULT || !c.includes('census'));
const ROWS = 64;

interface Case {
  config: string;
  dir: string;
  model: string;
  want: Record<string, number[]>;
  batch: Batch;
}

let tf: Tf;
const cases: Case[] = [];
let root: string;

function encoded(ir: ModelIR, batch: Batch): ModelData {
  const r = rng(5);
  const inputs = new Map(
    Object.entries(batch).map(([name, rows]) => {
      const isFloat = ir.features.find((f) => f.name === name)?.kind === 'numeric';
      return [
        name,
        {
          dtype: isFloat ? ('float32' as const) : ('int32' as const),
          width: rows[0].length,
          data: isFloat ? Float32Array.from(rows.flat()) : Int32Array.from(rows.flat()),
        },
      ];
    }),
  );
  const labelled = ir.tasks.filter((t) => t.label !== null);
  return {
    n: ROWS,
    inputs,
    labels: new Map(
      labelled.map((t) => [
        t.name,
        Float32Array.from({ length: ROWS }, () => (t.type === 'binary' ? (r() < 0.3 ? 1 : 0) : r())),
      ]),
    ),
    masks: new Map(
      labelled.map((t) => [t.name, Float32Array.from({ length: ROWS }, () => (t.sampleSpace && r() < 0.5 ? 0 : 1))]),
    ),
  };
}

async function tfjsModel(folder: string) {
  return deserializeModel(tf, {
    modelJson: readFileSync(join(folder, 'model.json'), 'utf8'),
    weightsBin: new Uint8Array(readFileSync(join(folder, 'weights.bin'))),
  });
}

beforeAll(async () => {
  if (!torch.python) return;
  ({ tf } = await initBackend('cpu'));
  root = mkdtempSync(join(tmpdir(), 'mmoe-torch-configs-'));
  for (const [i, config] of CONFIGS.entries()) {
    const model = join(root, `${i}-model`);
    const built = await cli(config, '-o', model, '--backend', 'cpu');
    if (built.code !== 0) throw new Error(`${config}: build failed: ${built.err.join('\n')}`);
    const dir = join(root, `${i}-torch`);
    exportTorchPackage(model, dir);
    const ir = JSON.parse(readFileSync(join(model, 'ir.json'), 'utf8')) as ModelIR;
    const batch = randomBatch(ir, ROWS, 100 + i);
    const m = await tfjsModel(model);
    const want = predictByTask(tf, m, batch);
    m.dispose();
    writeFileSync(join(dir, 'batch.json'), JSON.stringify(batch));
    writeEncoded(join(root, `${i}-data`), encoded(ir, batch));
    cases.push({ config, dir, model, want, batch });
  }
}, 300_000);

describe.skipIf(!torch.python)('every shipped config on the PyTorch target', () => {
  it('exports every config (census ones need ../shared/data/adult)', () => {
    expect(cases.map((c) => c.config)).toEqual(CONFIGS);
    expect(CONFIGS.length).toBeGreaterThanOrEqual(HAVE_ADULT ? 15 : 10);
  });

  it('forward pass equals tfjs to 1e-5', () => {
    const list = cases.map((c) => ({ dir: c.dir, batch: join(c.dir, 'batch.json'), out: join(c.dir, 'forward.json') }));
    writeFileSync(join(root, 'forward.json'), JSON.stringify(list));
    const r = spawnSync(torch.python!, [join(import.meta.dirname, 'torch_forward.py'), join(root, 'forward.json')], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    for (const c of cases)
      expect(maxAbsDiff(c.want, JSON.parse(readFileSync(join(c.dir, 'forward.json'), 'utf8'))), c.config).toBeLessThan(
        1e-5,
      );
  }, 120_000);

  it('trains one epoch under torchrun with 2 processes; tfjs serves the result as torch computes it', async () => {
    const list = cases.map((c, i) => ({
      dir: c.dir,
      data: join(root, `${i}-data`),
      out: join(root, `${i}-trained`),
      batch: join(c.dir, 'batch.json'),
      pred: join(root, `${i}-pred.json`),
    }));
    writeFileSync(join(root, 'ddp.json'), JSON.stringify(list));
    const r = spawnSync(
      torch.python!,
      [...torchrunArgs(2, await freePort()), join(import.meta.dirname, 'torch_ddp_all.py'), join(root, 'ddp.json')],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    for (const [i, c] of cases.entries()) {
      const out = list[i].out;
      expect(existsSync(join(out, 'weights.bin')), c.config).toBe(true);
      const record = JSON.parse(readFileSync(join(out, 'run-record.json'), 'utf8'));
      expect(record.processes, c.config).toBe(2);
      const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
      expect(history.epochs.length).toBe(1);
      expect(Number.isFinite(history.epochs[0].loss), c.config).toBe(true);
      // Training changed the weights, and the tfjs model read from the folder computes what torch computes.
      const m = await tfjsModel(out);
      const served = predictByTask(tf, m, c.batch);
      m.dispose();
      expect(maxAbsDiff(c.want, served), c.config).toBeGreaterThan(1e-6);
      expect(maxAbsDiff(JSON.parse(readFileSync(list[i].pred, 'utf8')), served), c.config).toBeLessThan(1e-5);
    }
  }, 300_000);
});
