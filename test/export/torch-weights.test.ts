// `train --engine torch` with a derived label and sample weights (configs/census-derived.yaml on
// a slice of Adult): the same weighted losses, weighted validation metrics (train.py's weighted
// AUC / log loss / accuracy) and test metrics as the tfjs engine, to float32 noise.
import { execFileSync } from 'node:child_process';
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

  it("the exported package's own pipeline.py refuses what it does not compute, naming the key", () => {
    for (const [task, key] of [
      [{ name: 'degree', labelFrom: { column: 'education', in: ['Masters'] } }, 'labelFrom'],
      [{ name: 'cvr', evaluation: { label: 'conversion' } }, 'evaluation'],
      [{ name: 'income', label: 'income', sampleWeight: 'fnlwgt' }, 'sampleWeight'],
    ] as const) {
      const code = `import json, pipeline as pl
try:
    pl.labels_and_masks(None, json.loads(${JSON.stringify(JSON.stringify({ tasks: [task] }))}), [])
    print('accepted')
except pl.DataError as e:
    print(e)`;
      const out = execFileSync(torch.python!, ['-c', code], { cwd: 'targets/torch', encoding: 'utf8' });
      expect(out.trim()).toBe(
        `task "${task.name}": ${key} is computed by mmoe-compile's data pipeline, not by this package's pipeline.py; train with \`mmoe-compile train <spec> --engine torch\`, which passes the labels, masks and weights it computes`,
      );
    }
  });
});
