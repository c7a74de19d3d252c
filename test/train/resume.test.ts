// Checkpoint and resume: a run stopped after epoch 2 and resumed (--resume) to epoch 3 ends with
// exactly the metrics and weights of an uninterrupted 3-epoch run (batch order is seeded per
// epoch; the checkpoint holds weights, best weights, optimizer state and the loop state).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointDir } from '../../src/train/checkpoint.js';
import { runTraining, type TrainRunOptions } from '../../src/driver/train.js';
import { UsageError } from '../../src/util/diagnostics.js';
import { readBytes, readText, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DATA = ['data.rows=1500', 'data.testRows=400'];

async function train(out: string, epochs: number, extra: Partial<TrainRunOptions> = {}) {
  const lines: string[] = [];
  const r = await runTraining('configs/mmoe.yaml', {
    sets: [...DATA, `training.epochs=${epochs}`],
    outDir: join(dir, out),
    backend: 'wasm',
    log: (l) => lines.push(l),
    ...extra,
  });
  if (!r.ok) throw new Error(`training failed: ${r.message ?? r.diagnostics.map((d) => d.message).join('; ')}`);
  return { r, lines };
}

const sameBytes = (a: string, b: string) => Buffer.from(readBytes(a)).equals(Buffer.from(readBytes(b)));

describe('resume from a checkpoint', () => {
  it('2 epochs + --resume to 3 equals an uninterrupted 3-epoch run', async () => {
    await train('full', 3);
    await train('part', 2);
    const state = JSON.parse(readFileSync(join(checkpointDir(join(dir, 'part')), 'state.json'), 'utf8')) as {
      epoch: number;
    };
    expect(state.epoch).toBe(2);
    const { r, lines } = await train('part', 3, { resume: true });
    expect(lines).toContain(`resuming after epoch 2 from ${checkpointDir(join(dir, 'part'))}`);
    expect(r.report.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(readText(join(dir, 'part/metrics.json'))).toBe(readText(join(dir, 'full/metrics.json')));
    expect(sameBytes(join(dir, 'part/weights.bin'), join(dir, 'full/weights.bin'))).toBe(true);
  });
  it('--resume without a checkpoint starts from epoch 1', async () => {
    const { lines } = await train('fresh', 1, { resume: true });
    expect(lines.some((l) => l.startsWith('no checkpoint in ') && l.endsWith(': starting from epoch 1'))).toBe(true);
    expect(existsSync(join(checkpointDir(join(dir, 'fresh')), 'state.json'))).toBe(true);
  });
  it('a checkpoint of another spec is refused with a usage error', async () => {
    await expect(
      train('fresh', 2, { resume: true, sets: [...DATA, 'training.epochs=2', 'training.learningRate=0.01'] }),
    ).rejects.toThrow(UsageError);
    await expect(
      train('fresh', 2, { resume: true, sets: [...DATA, 'training.epochs=2', 'training.learningRate=0.01'] }),
    ).rejects.toThrow(/was made from a different spec/);
  });
});
