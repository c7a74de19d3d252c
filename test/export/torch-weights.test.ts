// `train --engine torch` with a derived label and sample weights (configs/census-derived.yaml on
// a slice of Adult): the same weighted losses, weighted validation metrics (train.py's weighted
// AUC / log loss / accuracy) and test metrics as the tfjs engine, to float32 noise.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, HAVE_ADULT, tempDir } from '../train/helpers.js';
import { torch } from './python.js';

interface Metrics {
  epochs: { epoch: number; loss: number; validation: { task: string; metrics: Record<string, number> }[] }[];
  test: { task: string; rows: number; metrics: Record<string, number>; weightedBy?: string }[];
}

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!torch.python || !HAVE_ADULT)('train --engine torch with sample weights and a derived label', () => {
  it("matches the tfjs engine's weighted losses and metrics", async () => {
    const args = ['configs/census-derived.yaml', '--set', 'data.maxRows=1000', '--set', 'training.epochs=2'];
    const common = ['--backend', 'wasm', '--no-progress'];
    const a = await cli('train', ...args, '-o', join(dir, 'tfjs'), ...common);
    const b = await cli('train', ...args, '-o', join(dir, 'torch'), ...common, '--engine', 'torch');
    expect(a.code, a.err.join('\n')).toBe(0);
    expect(b.code, b.err.join('\n')).toBe(0);
    const ma = JSON.parse(readFileSync(join(dir, 'tfjs', 'metrics.json'), 'utf8')) as Metrics;
    const mb = JSON.parse(readFileSync(join(dir, 'torch', 'metrics.json'), 'utf8')) as Metrics;
    expect(mb.epochs.length).toBe(2);
    mb.epochs.forEach((e, i) => {
      expect(Math.abs(e.loss - ma.epochs[i].loss)).toBeLessThan(1e-4);
      for (const [k, v] of e.validation.entries())
        for (const [m, x] of Object.entries(v.metrics))
          expect(Math.abs(x - ma.epochs[i].validation[k].metrics[m]), `${v.task} ${m}`).toBeLessThan(1e-4);
    });
    for (const [i, t] of mb.test.entries()) {
      expect(t.weightedBy).toBe('fnlwgt');
      for (const [k, v] of Object.entries(t.metrics)) expect(Math.abs(v - ma.test[i].metrics[k]), k).toBeLessThan(1e-4);
    }
  }, 180_000);
});
