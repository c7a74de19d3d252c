// End to end: a 2 specs x 2 seeds experiment trains in this process (inline executor), writes
// results.csv, results.md, SVG (and PNG) plots and one record per run; running it again trains
// nothing; changing a spec file trains again only the runs that use it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/definition.js';
import type { RunRecord } from '../../src/experiment/record.js';
import { runExperiment, type ExperimentOutcome } from '../../src/experiment/run.js';
import { scratchExperiment, TINY } from './helpers.js';

describe('experiment runner', () => {
  let dir: string;
  let file: string;
  let first: ExperimentOutcome;
  const lines: string[] = [];

  beforeAll(async () => {
    ({ dir, file } = scratchExperiment(TINY));
    first = await runExperiment(loadExperiment(file), { log: (l) => lines.push(l) });
  });

  const record = (id: string): RunRecord => JSON.parse(readFileSync(join(dir, 'records', `${id}.json`), 'utf8'));

  it('trains every spec x seed once and records each run', () => {
    expect(first.failed).toEqual([]);
    expect(first.ran.sort()).toEqual(['mmoe--seed1', 'mmoe--seed2', 'sb--seed1', 'sb--seed2']);
    expect(readdirSync(join(dir, 'records')).sort()).toEqual([
      'mmoe--seed1.json',
      'mmoe--seed2.json',
      'sb--seed1.json',
      'sb--seed2.json',
    ]);
    const r = record('sb--seed2');
    expect(r).toMatchObject({
      label: 'sb',
      seed: 2,
      spec: 'paper/shared-bottom.yaml',
      family: 'Shared-Bottom',
      backend: 'wasm',
      executor: 'inline',
      bestEpoch: 2,
    });
    expect(r.sets).toEqual([
      'data.rows=240',
      'data.testRows=120',
      'training.epochs=2',
      'training.batchSize=64',
      'training.seed=2',
      'data.seed=2',
    ]);
    expect(r.specHash).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(r.versions)).toEqual(expect.arrayContaining(['mmoe-compile', '@tensorflow/tfjs', 'node']));
    // the code that made it: the checkout's commit (as git says) and what selected the kernels
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(r.git).toEqual({
      commit: head,
      dirty: execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '',
    });
    expect(r.kernels).toMatchObject({
      backend: 'wasm',
      wasm: { simd: true, multithread: false, binary: 'tfjs-backend-wasm-simd.wasm', threads: 1 },
    });
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.test.y1.mse).toBeGreaterThan(0);
    expect(r.labelCorrelation).toBeGreaterThan(-1);
    // progress went to the log, one line per run
    expect(lines.filter((l) => /^\[\d\/4\] /.test(l))).toHaveLength(4);
  });

  it('records the training trace: loss per step window, gate entropies per epoch, training-row metrics', () => {
    const r = record('mmoe--seed1');
    // 240 rows, 10% validation: 216 training rows, batch 64 -> 4 steps per epoch; 8 steps < 200: window 1
    const trace = r.trace!;
    expect(trace.window).toBe(1);
    expect(trace.loss.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // the epoch's loss is the mean of its batches' losses
    for (const e of [1, 2]) {
      const batches = trace.loss.slice((e - 1) * 4, e * 4).map((p) => p.loss);
      expect(batches.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(r.epochs[e - 1].loss, 5);
    }
    // before training and after each epoch, every gate's normalised entropy in (0, 1]
    expect(trace.gateEntropy.map((g) => [g.epoch, g.step])).toEqual([
      [0, 0],
      [1, 4],
      [2, 8],
    ]);
    for (const g of trace.gateEntropy) {
      expect(Object.keys(g.gates)).toEqual(['gate_y1', 'gate_y2']);
      for (const v of Object.values(g.gates)) expect(v > 0 && v <= 1).toBe(true);
    }
    // Shared-Bottom has no gate; both report metrics on the training rows
    expect(record('sb--seed1').trace!.gateEntropy).toEqual([]);
    expect(Object.keys(r.train!)).toEqual(['y1', 'y2']);
    expect(r.train!.y1.mse).toBeGreaterThan(0);
  });

  it('writes results.csv with one row per run', () => {
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    const head = csv[0].split(',');
    expect(head).toEqual(
      expect.arrayContaining([
        'spec',
        'label',
        'overrides',
        'seed',
        'test.y1.mse',
        'test.y2.mse',
        'epochs',
        'train_seconds',
        'wall_seconds',
      ]),
    );
    const row = Object.fromEntries(csv[1].split(',').map((v, i) => [head[i], v]));
    expect(row).toMatchObject({ id: 'mmoe--seed1', label: 'mmoe', seed: '1', epochs: '2', overrides: 'all' });
    expect(Number(row['test.y1.mse'])).toBe(record('mmoe--seed1').test.y1.mse);
  });

  it('writes the Markdown tables with mean, std and SE', () => {
    const md = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(md).toContain('## Test MSE (lower is better)');
    expect(md).toContain('| model | n | mean over tasks | y1 | y2 |');
    expect(md).toMatch(/\| mmoe \| 2 \| \d+\.\d{4} ± \d+\.\d{4} \(\d+\.\d{4}\) \|/);
    expect(md).toContain('| MSE | mean over tasks | all | mmoe − sb | 2 |');
    expect(md).toContain('## Measured label correlation');
  });

  it('draws loss curves with a dash and marker per model, strip plots and gate entropies as SVG (and PNG)', () => {
    const curves = readFileSync(join(dir, 'loss-curves.svg'), 'utf8');
    expect(curves.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(curves).toContain('>mmoe</text>');
    expect(curves).toContain('>sb</text>');
    // traced runs: per step; one line per model, the second dashed
    expect(curves).toContain('training loss per step (mean over 2 seeds, band ±1 std)');
    const lines = curves.match(/<polyline [^>]*>/g)!;
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('stroke-dasharray');
    expect(lines[1]).toContain('stroke-dasharray="7 3"');
    // every seed is a dot in the strip plot: 2 models x 2 seeds x 3 targets (mean, y1, y2)
    const strip = readFileSync(join(dir, 'final-mse-strip.svg'), 'utf8');
    expect(strip.match(/<circle [^>]*r="3.6"/g)).toHaveLength(2 * 2 * 3);
    for (const t of ['mean over tasks', 'y1', 'y2']) expect(strip).toContain(`>${t}</text>`);
    expect(readFileSync(join(dir, 'final-train-mse-strip.svg'), 'utf8')).toContain('final train mse per seed');
    // only MMoE has gates: one line per gate
    const gates = readFileSync(join(dir, 'gate-entropy.svg'), 'utf8');
    expect(gates).toContain('>mmoe gate_y1</text>');
    expect(gates.match(/<polyline /g)).toHaveLength(2);
    for (const f of ['loss-curves.png', 'final-mse-strip.png', 'final-train-mse-strip.png', 'gate-entropy.png']) {
      expect([...readFileSync(join(dir, f)).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
  });

  it('does not train finished runs again', async () => {
    const before = readFileSync(join(dir, 'records', 'mmoe--seed1.json'), 'utf8');
    const again = await runExperiment(loadExperiment(file), { png: false });
    expect(again.ran).toEqual([]);
    expect(again.skipped.sort()).toEqual(['mmoe--seed1', 'mmoe--seed2', 'sb--seed1', 'sb--seed2']);
    expect(readFileSync(join(dir, 'records', 'mmoe--seed1.json'), 'utf8')).toBe(before);
    expect(again.records).toHaveLength(4);
  });

  it('trains again the runs whose spec changed', async () => {
    const sb = join(dir, 'paper', 'shared-bottom.yaml');
    writeFileSync(sb, readFileSync(sb, 'utf8').replace('units: [126]', 'units: [64]'));
    const r = await runExperiment(loadExperiment(file), { png: false });
    expect(r.ran.sort()).toEqual(['sb--seed1', 'sb--seed2']);
    expect(r.skipped.sort()).toEqual(['mmoe--seed1', 'mmoe--seed2']);
    expect(record('sb--seed1').params).toBeLessThan(record('mmoe--seed1').params);
    expect(existsSync(join(dir, 'models'))).toBe(false);
  });
});
