// Training that diverges stops (src/train/divergence.ts): with learningRate 1e6 the clipped
// cross-entropy stays finite, so only the comparison with the constant predictor's loss catches
// it. Through the real CLI on cpu and wasm: exit 1, one line naming epoch and batch, no output.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { constantLoss, DIVERGENCE_FACTOR } from '../../src/train/divergence.js';
import { cli, tinyProject } from './helpers.js';

describe('constant predictor loss', () => {
  it('is the closed form of each loss at its best constant', () => {
    expect(constantLoss('binary_crossentropy', [1, 0, 1, 0])).toBeCloseTo(Math.LN2, 12);
    expect(constantLoss('binary_crossentropy', [1, 1, 1])).toBeCloseTo(-Math.log(1 - 1e-7), 12); // clipped like the loss
    expect(constantLoss('mse', [1, 2, 3, 4])).toBe(1.25);
    expect(constantLoss('mae', [1, 2, 3, 10])).toBe(2.5); // around the median 2 (or 3: same sum)
    expect(constantLoss('huber', [0, 3])).toBe(1); // |y - 1.5| = 1.5 > 1: 1.5 - 0.5
    expect(constantLoss('mse', [])).toBe(0);
  });
});

const dir = tinyProject({ trainRows: 400, testRows: 50, epochs: 3 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = join(dir, 'spec.yaml');

// every training row is used (no validation split): the base rate comes straight from the CSV
const rows = readFileSync(join(dir, 'train.csv'), 'utf8').trim().split('\n').slice(1);
const p = rows.filter((r) => r.endsWith(',yes')).length / rows.length;
const C = -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
const fmt = (x: number) => Number(x.toPrecision(4)).toString();

describe.each(['cpu', 'wasm'])('learningRate 1e6 on %s', (backend) => {
  it('stops with exit 1, naming epoch, batch, the loss and the reference, and writes no model', async () => {
    const out = join(dir, `out-${backend}`);
    const r = await cli(
      'train',
      spec,
      '-o',
      out,
      '--backend',
      backend,
      '--no-progress',
      '--set',
      'training.learningRate=1e6',
      '--set',
      'training.validationFraction=0',
    );
    expect(r.code).toBe(1);
    const line = r.err.find((l) => l.includes('diverged'));
    expect(line, r.err.join('\n')).toBeDefined();
    const m =
      /^mmoe-compile: .*spec\.yaml: the loss diverged: ([\d.e+-]+) \(mean ([\d.e+-]+) over batches (\d+)-(\d+)\) is more than 3x the reference ([\d.e+-]+), the larger of the constant predictor's loss ([\d.e+-]+) and the first batch's ([\d.e+-]+), at epoch (\d+), batch (\d+); training stopped and (.*)\. Try a lower training\.learningRate; checkpoint: /.exec(
        line!,
      );
    expect(m, line).not.toBeNull();
    const [, loss, mean, , , reference, constant, firstBatch, epoch, batch] = m!;
    expect(constant).toBe(fmt(C));
    expect(Number(reference)).toBe(Math.max(Number(constant), Number(firstBatch)));
    expect(Number(loss)).toBeGreaterThan(DIVERGENCE_FACTOR * Number(reference));
    expect(Number(mean)).toBeGreaterThan(DIVERGENCE_FACTOR * Number(reference));
    expect(Number(epoch)).toBe(1);
    expect(Number(batch)).toBeGreaterThan(1); // batch 1 is the untrained model
    expect(existsSync(join(out, 'weights.bin'))).toBe(false);
  });

  it('a sane learning rate on the same data trains (no false alarm)', async () => {
    const r = await cli(
      'train',
      spec,
      '-o',
      join(dir, `ok-${backend}`),
      '--backend',
      backend,
      '--no-progress',
      '--set',
      'training.validationFraction=0',
    );
    expect(r.code, r.err.join('\n')).toBe(0);
  });
});
