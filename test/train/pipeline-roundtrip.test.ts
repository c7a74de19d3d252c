// The trained folder round trip: train -> evaluate (saved model, same test metrics) -> predict on
// CSV and on JSON Lines (identical scores, equal to the evaluate path's scores for the same rows);
// unseen categories go to the out-of-vocabulary id; missing values follow missing.policy.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';
import { loadSpecData } from '../../src/data/spec-data.js';
import { readModelFolder, scoreTable } from '../../src/train/score.js';
import { cli, TINY_HEADER, tinyProject, tinyRows, writeLines } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

let dir: string;
let out: string;
beforeAll(async () => {
  dir = tinyProject({ epochs: 2 });
  dirs.push(dir);
  out = join(dir, 'out');
  const r = await cli('train', join(dir, 'spec.yaml'), '-o', out, '--backend', 'wasm', '--no-progress');
  if (r.code !== 0) throw new Error(`train failed: ${r.err.join('\n')}`);
});

/** The first rows of the spec's test file, as CSV cells (x, color, size, y). */
const testRows = (n: number) =>
  tinyRows(100, 2)
    .slice(0, n)
    .map((l) => l.split(','));

function parseCsvScores(text: string): number[] {
  const [header, ...lines] = text.trim().split('\n');
  expect(header).toBe('y');
  return lines.map(Number);
}

async function predictCsv(file: string): Promise<number[]> {
  const r = await cli('predict', out, '-i', file, '--backend', 'wasm');
  if (r.code !== 0) throw new Error(r.err.join('\n'));
  return parseCsvScores(r.out);
}

async function predictJsonl(file: string): Promise<number[]> {
  const dest = join(dir, `scores-${Math.random().toString(36).slice(2)}.jsonl`);
  const r = await cli('predict', out, '-i', file, '-o', dest, '--backend', 'wasm');
  if (r.code !== 0) throw new Error(r.err.join('\n'));
  return readFileSync(dest, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { y: number }).y);
}

describe('train -> evaluate -> predict', () => {
  it('evaluate on the test split reproduces the test metrics written by train', async () => {
    const r = await cli('evaluate', join(dir, 'spec.yaml'), '-m', out, '--backend', 'wasm', '-f', 'json');
    expect(r.code).toBe(0);
    const evaluated = (JSON.parse(r.out) as { tasks: { task: string; metrics: Record<string, number> }[] }).tasks;
    const trained = (
      JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
        test: { task: string; metrics: Record<string, number> }[];
      }
    ).test;
    expect(evaluated.map((t) => [t.task, t.metrics])).toEqual(trained.map((t) => [t.task, t.metrics]));
  });

  it('CSV and JSON Lines give identical scores, equal to the evaluate path for the same rows', async () => {
    const rows = testRows(6);
    // no label column: predict scores unlabelled rows
    const csv = writeLines(join(dir, 'rows.csv'), ['x,color,size', ...rows.map((r) => r.slice(0, 3).join(','))]);
    const jsonl = writeLines(
      join(dir, 'rows.jsonl'),
      rows.map(([x, color, size]) => JSON.stringify({ x: Number(x), color, size })),
    );
    const fromCsv = await predictCsv(csv);
    const fromJsonl = await predictJsonl(jsonl);
    expect(fromCsv).toHaveLength(6);
    expect(fromJsonl).toEqual(fromCsv);
    for (const s of fromCsv) expect(s > 0 && s < 1).toBe(true);
    // the evaluate path: the whole test split, scored in one batch
    const c = checkSpec(join(dir, 'spec.yaml'));
    const folder = readModelFolder(out);
    const { preds } = await scoreTable(folder, (await loadSpecData(c.spec!, c.loaded.absPath)).test, 'wasm');
    expect(Array.from(preds.get('y')!.subarray(0, 6))).toEqual(fromCsv);
  });

  it('an unseen category goes to the out-of-vocabulary id (same score as any other unseen value)', async () => {
    const csv = writeLines(join(dir, 'oov.csv'), [
      'x,color,size',
      '0.3,purple,S',
      '0.3,mauve,S',
      '0.3,?,S',
      '0.3,red,S',
    ]);
    const s = await predictCsv(csv);
    expect(s).toHaveLength(4);
    expect(s[1]).toBe(s[0]);
    // with oovBuckets 1 (the default) a missing value shares the out-of-vocabulary id
    expect(s[2]).toBe(s[0]);
    expect(s[3]).not.toBe(s[0]);
    const pipeline = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as {
      idSpaces: Record<string, { values: string[] }>;
    };
    expect(pipeline.idSpaces['feature:color'].values.sort()).toEqual(['black', 'blue', 'green', 'red']);
  });

  it('a missing numeric field (policy fill) is scored at the training mean, in CSV and in JSON Lines', async () => {
    const pipeline = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as {
      features: { name: string; center?: number }[];
    };
    const mean = pipeline.features.find((f) => f.name === 'x')!.center!;
    const csv = writeLines(join(dir, 'missing.csv'), ['x,color,size', `${mean},green,L`, ',green,L', '?,green,L']);
    const jsonl = writeLines(join(dir, 'missing.jsonl'), [
      JSON.stringify({ x: mean, color: 'green', size: 'L' }),
      JSON.stringify({ color: 'green', size: 'L' }),
      JSON.stringify({ x: null, color: 'green', size: 'L' }),
    ]);
    const a = await predictCsv(csv);
    expect(a[1]).toBe(a[0]);
    expect(a[2]).toBe(a[0]);
    expect(await predictJsonl(jsonl)).toEqual(a);
  });

  it('a column the features need is required: one line, exit 1', async () => {
    const csv = writeLines(join(dir, 'nosize.csv'), ['x,color', '0.1,red']);
    const r = await cli('predict', out, '-i', csv, '--backend', 'wasm');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`mmoe-compile: ${csv}:1: column "size" not in the header; the header has: x, color`]);
    const jsonl = writeLines(join(dir, 'nosize.jsonl'), [JSON.stringify({ x: 0.1, color: 'red' })]);
    const j = await cli('predict', out, '-i', jsonl, '--backend', 'wasm');
    expect(j.code).toBe(1);
    expect(j.err).toEqual(['mmoe-compile: feature "size": column "size" not found; the data has: x, color']);
  });
});

describe('missing.policy error when scoring', () => {
  it('names the file and line of the record, in CSV and in JSON Lines', async () => {
    const d = tinyProject({ epochs: 1, sizePolicy: 'error' });
    dirs.push(d);
    const o = join(d, 'out');
    expect((await cli('train', join(d, 'spec.yaml'), '-o', o, '--backend', 'wasm', '--no-progress')).code).toBe(0);
    const csv = writeLines(join(d, 'rows.csv'), [TINY_HEADER, '0.1,red,S,yes', '0.2,red,?,no']);
    const r = await cli('predict', o, '-i', csv, '--backend', 'wasm');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `mmoe-compile: ${csv}:3: feature "size" (column "size") is missing and its missing.policy is error`,
    ]);
    const jsonl = writeLines(join(d, 'rows.jsonl'), [
      '{"x": 0.1, "color": "red", "size": "S"}',
      '',
      '{"x": 0.2, "color": "red"}',
    ]);
    const j = await cli('predict', o, '-i', jsonl, '--backend', 'wasm');
    expect(j.code).toBe(1);
    expect(j.err).toEqual([
      `mmoe-compile: ${jsonl}:3: feature "size" (column "size") is missing and its missing.policy is error`,
    ]);
  });
});
