// A seeded run reproduces itself: the same spec and seed give byte-identical metrics.json (which
// holds only what the seed determines; timings go to run-record.json) and model weights.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../src/driver/train.js';
import { readBytes, readText, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETS = ['data.rows=1500', 'data.testRows=400', 'training.epochs=2'];

async function train(out: string, sets = SETS) {
  const r = await runTraining('configs/mmoe.yaml', { sets, outDir: join(dir, out), backend: 'wasm' });
  if (!r.ok) throw new Error(`training failed: ${r.message ?? r.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
}

describe('seeded training is reproducible (wasm)', () => {
  it('same spec + seed: identical metrics.json and weights.bin', async () => {
    const a = await train('a');
    await train('b');
    expect(readText(join(dir, 'b/metrics.json'))).toBe(readText(join(dir, 'a/metrics.json')));
    expect(
      Buffer.from(readBytes(join(dir, 'b/weights.bin'))).equals(Buffer.from(readBytes(join(dir, 'a/weights.bin')))),
    ).toBe(true);
    expect(a.report.epochs).toHaveLength(2);
    // the test metrics are real numbers, not a constant model
    for (const t of a.report.test) expect(Number.isFinite(t.metrics.auc)).toBe(true);
  });
  it('another seed gives other weights', async () => {
    await train('c', [...SETS, 'training.seed=7']);
    expect(
      Buffer.from(readBytes(join(dir, 'c/weights.bin'))).equals(Buffer.from(readBytes(join(dir, 'a/weights.bin')))),
    ).toBe(false);
  });
});
