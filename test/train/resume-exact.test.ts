// Resume is exact: a run stopped after any epoch, or killed with SIGKILL at any moment, and
// continued with --resume ends with the same weight bytes and the same metrics.json as an
// uninterrupted run, on wasm and cpu. The stop points fall on Adam steps where pow(beta, t + 1)
// (what tfjs' setWeights computes) differs from the running product beta^t in float32: the
// checkpoint must carry the product itself (src/train/checkpoint.ts).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointDir } from '../../src/train/checkpoint.js';
import { cli, tempDir, tinyProject } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const work = tempDir('mmoe-resume-exact-');
const project = tinyProject({ trainRows: 400, testRows: 100, epochs: 5 });
cpSync(project, work, { recursive: true });
rmSync(project, { recursive: true, force: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));
const spec = join(work, 'spec.yaml');
const EPOCHS = 5; // 320 training rows / batch 64: 5 Adam steps per epoch

const train = async (backend: string, out: string, epochs: number, resume = false) => {
  const r = await cli(
    'train',
    spec,
    '-o',
    out,
    '--backend',
    backend,
    '--no-progress',
    '--set',
    `training.epochs=${epochs}`,
    ...(resume ? ['--resume'] : []),
  );
  expect(r.code, r.err.join('\n')).toBe(0);
};
const same = (a: string, b: string) => {
  expect(
    readFileSync(join(a, 'weights.bin')).equals(readFileSync(join(b, 'weights.bin'))),
    `${a} vs ${b}: weights.bin`,
  ).toBe(true);
  expect(readFileSync(join(a, 'metrics.json'), 'utf8')).toBe(readFileSync(join(b, 'metrics.json'), 'utf8'));
};
const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 10));
  }
};

describe.each(['cpu', 'wasm'])('resume on %s', (backend) => {
  const full = join(work, `${backend}-full`);

  it('after a stop at every epoch boundary, equals the uninterrupted run', async () => {
    await train(backend, full, EPOCHS);
    for (let k = 1; k < EPOCHS; k++) {
      const out = join(work, `${backend}-stop${k}`);
      await train(backend, out, k);
      await train(backend, out, EPOCHS, true);
      same(out, full);
    }
  });

  // The real CLI in a child process, killed at several moments after its first checkpoint
  // (inside an epoch, while writing a checkpoint, or after it finished).
  it('after kill -9 at several moments, equals the uninterrupted run', async () => {
    const bin = join(ROOT, 'bin/mmoe-compile.js');
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'run `npm run build` first (npm test does)').toBe(true);
    for (const delay of [0, 60]) {
      const out = join(work, `${backend}-kill${delay}`);
      const child = spawn(process.execPath, [bin, 'train', spec, '-o', out, '--backend', backend, '--no-progress'], {
        stdio: 'ignore',
      });
      const exited = new Promise((ok) => child.once('exit', ok));
      await until(() => existsSync(join(checkpointDir(out), 'state.json')) || child.exitCode !== null, 60_000);
      await new Promise((ok) => setTimeout(ok, delay));
      child.kill('SIGKILL');
      await exited;
      await train(backend, out, EPOCHS, true);
      same(out, full);
    }
  });
});
