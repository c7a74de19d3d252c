// `train --engine torch` through the CLI: the same report, metrics and model folder as the tfjs
// engine (the same initial weights, split and batch order; metrics agree to float32 noise), the
// report names the engine, and a missing torch is one clear line with exit 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tinyProject } from '../train/helpers.js';
import { torch } from './python.js';

interface Metrics {
  bestEpoch: number;
  epochs: { epoch: number; loss: number }[];
  test: { task: string; rows: number; metrics: Record<string, number> }[];
}

describe.skipIf(!torch.python)('train --engine torch', () => {
  it("trains to the tfjs engine's numbers and writes the same model folder", async () => {
    const dir = tinyProject({ epochs: 3 });
    const spec = join(dir, 'spec.yaml');
    const a = await cli('train', spec, '-o', join(dir, 'tfjs'), '--backend', 'cpu', '--no-progress');
    const b = await cli(
      'train',
      spec,
      '-o',
      join(dir, 'torch'),
      '--backend',
      'cpu',
      '--no-progress',
      '--engine',
      'torch',
    );
    expect(a.code, a.err.join('\n')).toBe(0);
    expect(b.code, b.err.join('\n')).toBe(0);
    expect(b.err.some((l) => /^engine: torch .* via /.test(l))).toBe(true);
    const ma = JSON.parse(readFileSync(join(dir, 'tfjs', 'metrics.json'), 'utf8')) as Metrics;
    const mb = JSON.parse(readFileSync(join(dir, 'torch', 'metrics.json'), 'utf8')) as Metrics;
    expect(mb.epochs.length).toBe(3);
    expect(mb.bestEpoch).toBe(ma.bestEpoch);
    mb.epochs.forEach((e, i) => expect(Math.abs(e.loss - ma.epochs[i].loss)).toBeLessThan(1e-4));
    expect(mb.test.map((t) => t.rows)).toEqual(ma.test.map((t) => t.rows));
    for (const [i, t] of mb.test.entries())
      for (const [k, v] of Object.entries(t.metrics)) expect(Math.abs(v - ma.test[i].metrics[k]), k).toBeLessThan(1e-4);
    // the tfjs engine's folder layout: model.json identical (same topology), weights differ only in float noise
    expect(readFileSync(join(dir, 'torch', 'model.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'tfjs', 'model.json'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'torch', 'report.txt'), 'utf8')).toMatch(
      /^tiny: .*, backend cpu, engine torch \S+ \(.*python3?\)$/m,
    );
  }, 120_000);

  it('names what is missing when the interpreter cannot import torch', async () => {
    const dir = tinyProject({ epochs: 1 });
    const r = await cli(
      'train',
      join(dir, 'spec.yaml'),
      '-o',
      join(dir, 'out'),
      '--backend',
      'cpu',
      '--no-progress',
      '--engine',
      'torch',
      '--python',
      '/bin/false',
    );
    expect(r.code).toBe(1);
    const line = r.err.find((l) => l.includes('--engine torch'));
    expect(line).toMatch(
      /no python3 that imports torch and numpy \(\/bin\/false: exit 1\); install Debian's python3-torch/,
    );
  }, 60_000);
});
