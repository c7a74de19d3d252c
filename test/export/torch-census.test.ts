// The scale-out path end to end on real data: the census spec built by mmoe-compile, exported as
// a PyTorch package, trained by torchrun with 2 processes (`train.py --data
// adult.train.csv`, and evaluated by `mmoe-compile evaluate`: test AUC within 0.005 of the same
// spec trained by the tfjs engine (same epochs, seed, split and batch order).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADULT_DIR, cli, HAVE_ADULT } from '../train/helpers.js';
import { freePort, torchrunArgs } from '../../src/export/torch/python.js';
import { torch } from './python.js';

const EPOCHS = '3';

async function testAuc(folder: string): Promise<Record<string, number>> {
  const r = await cli('evaluate', 'configs/census.yaml', '-m', folder, '--format', 'json', '--backend', 'cpu');
  expect(r.code, r.err.join('\n')).toBe(0);
  const report = JSON.parse(r.out) as { rows: number; tasks: { task: string; metrics: { auc: number } }[] };
  expect(report.rows).toBe(16281);
  return Object.fromEntries(report.tasks.map((t) => [t.task, t.metrics.auc]));
}

describe.skipIf(!torch.python || !HAVE_ADULT)('census: torchrun with 2 processes vs the tfjs engine', () => {
  it('test AUC within 0.005 per task', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mmoe-torch-census-'));
    const tfjs = await cli(
      'train',
      'configs/census.yaml',
      '--set',
      `training.epochs=${EPOCHS}`,
      '-o',
      join(root, 'tfjs'),
      '--backend',
      'cpu',
      '--no-progress',
    );
    expect(tfjs.code, tfjs.err.join('\n')).toBe(0);
    const built = await cli('configs/census.yaml', '-o', join(root, 'untrained'), '--backend', 'cpu');
    expect(built.code).toBe(0);
    const exported = await cli('export', join(root, 'untrained'), '--format', 'torch', '-o', join(root, 'pkg'));
    expect(exported.code, exported.err.join('\n')).toBe(0);
    const r = spawnSync(
      torch.python!,
      [
        ...torchrunArgs(2, await freePort()),
        join(root, 'pkg', 'train.py'),
        '--data',
        join(ADULT_DIR, 'adult.train.csv'),
        '--epochs',
        EPOCHS,
        '--out',
        join(root, 'torch'),
      ],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const want = await testAuc(join(root, 'tfjs'));
    const got = await testAuc(join(root, 'torch'));
    expect(Object.keys(got).sort()).toEqual(['income', 'never_married']);
    for (const task of Object.keys(want)) {
      expect(want[task]).toBeGreaterThan(0.8);
      expect(Math.abs(got[task] - want[task]), `${task}: torch ${got[task]} vs tfjs ${want[task]}`).toBeLessThan(0.005);
    }
  }, 300_000);
});
