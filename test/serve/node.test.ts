// The serving API in Node: scores equal the `predict` / `evaluate` path for the same rows, and
// bad records fail one by one (missing field, mistyped field, not an object, missing value under
// policy error) while the others still score; unknown categories go to the OOV bucket.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { initBackend } from '../../src/engine/backend.js';
import { loadServable, readModelFiles, type Servable } from '../../src/serve/index.js';
import { dirLoader, loadServableFromDir } from '../../src/serve/node.js';
import { readModelFolder, scoreTable } from '../../src/train/score.js';
import { compileConfig, tableRecords, tempDir, testTable } from './helpers.js';

const CLOSE = 1e-6;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(dirname(d), { recursive: true, force: true });
});

async function compiled(config: string): Promise<string> {
  const dir = await compileConfig(config);
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe.each(['mmoe', 'multi-scenario', 'esmm'])(
  'configs/%s.yaml: serving scores equal the evaluate / predict path',
  (config) => {
    it('for every test row', async () => {
      const dir = await compiled(config);
      const table = await testTable(dir, config);
      const { preds, data } = await scoreTable(readModelFolder(dir), table, 'cpu');
      const servable = await loadServableFromDir(dir, { tf });
      const { scores, errors } = await servable.score(tableRecords(table));
      servable.dispose();
      expect(errors).toEqual([]);
      expect(data.n).toBe(table.rowCount);
      expect(servable.tasks.map((t) => t.name)).toEqual([...preds.keys()]);
      let worst = 0;
      for (let i = 0; i < data.n; i++) {
        const s = scores[data.rows[i]]!;
        for (const [task, p] of preds) worst = Math.max(worst, Math.abs(s[task] - p[i]));
      }
      expect(worst).toBeLessThanOrEqual(CLOSE);
    });
  },
);

describe('record handling (configs/multi-scenario.yaml)', () => {
  let dir: string;
  let servable: Servable;
  let records: Record<string, unknown>[];
  let base: { ctr: number; cvr: number }[];

  beforeAll(async () => {
    dir = await compiled('multi-scenario');
    records = tableRecords(await testTable(dir, 'multi-scenario'), 20);
    servable = await loadServableFromDir(dir, { tf });
    base = (await servable.score(records)).scores as { ctr: number; cvr: number }[];
  });
  afterAll(() => servable?.dispose());

  const scoreOf = async (record: unknown) => {
    const r = await servable.score([record]);
    expect(r.errors).toEqual([]);
    return r.scores[0]!;
  };

  it('equals the predict command on the same records (JSON Lines)', async () => {
    const work = tempDir();
    const input = join(work, 'records.jsonl');
    const output = join(work, 'scores.jsonl');
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const err: string[] = [];
    const code = await main(['predict', dir, '--input', input, '--output', output, '--backend', 'cpu'], {
      out: () => {},
      err: (s) => void err.push(s),
    });
    expect(code, err.join('\n')).toBe(0);
    const predicted = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    rmSync(work, { recursive: true, force: true });
    expect(predicted).toHaveLength(records.length);
    predicted.forEach((p, i) => {
      for (const task of ['ctr', 'cvr']) expect(Math.abs(p[task] - base[i][task as 'ctr'])).toBeLessThanOrEqual(CLOSE);
    });
  });

  it('describes the fields a record needs', () => {
    expect(servable.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'user_id:category',
      'user_age:number',
      'user_gender:category',
      'user_city:category',
      'user_history:sequence',
      'item_id:category',
      'item_category:category',
      'item_price:number',
      'context_hour:number',
      'scene:category',
    ]);
    expect(servable.fields.find((f) => f.name === 'user_gender')?.vocabulary).toEqual(['m', 'f']);
    expect(servable.scenario).toEqual({ field: 'scene', values: ['home', 'search', 'detail'] });
    expect(servable.tasks).toEqual([
      { name: 'ctr', type: 'binary' },
      { name: 'cvr', type: 'binary' },
    ]);
  });

  it('a record without a field gets an error naming it; the others still score', async () => {
    const { item_price: _, ...noPrice } = records[1];
    const r = await servable.score([records[0], noPrice, records[2]]);
    expect(r.errors).toEqual([
      {
        index: 1,
        field: 'item_price',
        message: 'missing field "item_price" (read by feature "item_price"); send null for a missing value',
      },
    ]);
    expect(r.scores[1]).toBeNull();
    expect(r.scores[0]).toEqual(base[0]);
    expect(r.scores[2]).toEqual(base[2]);
  });

  it("absentFields: 'missing' reads an absent field as a missing value (the feature's fill)", async () => {
    const lenient = await loadServableFromDir(dir, { tf, absentFields: 'missing' });
    const { item_price: _, ...noPrice } = records[1];
    const r = await lenient.score([noPrice]);
    lenient.dispose();
    expect(r.errors).toEqual([]);
    expect(r.scores[0]).toEqual(await scoreOf({ ...records[1], item_price: null }));
  });

  it('a mistyped field gets an error naming the field; every problem of the record is listed', async () => {
    const bad = [
      { ...records[0], user_age: 'thirty' },
      { ...records[1], item_price: { amount: 3 }, user_gender: ['m'] },
      { ...records[2], user_history: [{ id: 1 }] },
      { ...records[3], context_hour: Infinity },
      records[4],
    ];
    const r = await servable.score(bad);
    expect(r.errors).toEqual([
      { index: 0, field: 'user_age', message: 'field "user_age" must be a number, found the string "thirty"' },
      {
        index: 1,
        field: 'user_gender',
        message: 'field "user_gender" must be a string or number (a category), found an array',
      },
      { index: 1, field: 'item_price', message: 'field "item_price" must be a number, found an object' },
      {
        index: 2,
        field: 'user_history',
        message:
          'field "user_history" must be a string (values separated by "|") or an array of strings, found an array',
      },
      { index: 3, field: 'context_hour', message: 'field "context_hour" must be a finite number, found Infinity' },
    ]);
    expect(r.scores.slice(0, 4)).toEqual([null, null, null, null]);
    expect(r.scores[4]).toEqual(base[4]);
  });

  it('a record that is not an object gets one error', async () => {
    const r = await servable.score([null, 'user_id=3', [records[0]], records[0]]);
    expect(r.errors.map((e) => [e.index, e.field, e.message])).toEqual([
      [0, undefined, 'a record must be an object with one field per column, found null'],
      [1, undefined, 'a record must be an object with one field per column, found the string "user_id=3"'],
      [2, undefined, 'a record must be an object with one field per column, found an array'],
    ]);
    expect(r.scores[3]).toEqual(base[0]);
  });

  it('an unknown category goes to the OOV bucket (same id as any other unknown value), no error', async () => {
    const pipeline = servable.pipeline;
    const oov = pipeline.transformRecord({ ...records[0], user_gender: 'x' }).get('user_gender')![0];
    expect(oov).toBe(0); // vocabulary [m, f] with 1 OOV bucket: ids 0 = OOV (and missing), 1 = m, 2 = f
    expect(pipeline.transformRecord({ ...records[0], user_gender: 'nonbinary' }).get('user_gender')![0]).toBe(oov);
    const unknown = await scoreOf({ ...records[0], user_gender: 'x' });
    expect(await scoreOf({ ...records[0], user_gender: 'nonbinary' })).toEqual(unknown);
    expect(Number.isFinite(unknown.ctr) && Number.isFinite(unknown.cvr)).toBe(true);
    // An unknown scenario is the unknown scenario (index S), like a missing one.
    expect(await scoreOf({ ...records[0], scene: 'checkout' })).toEqual(await scoreOf({ ...records[0], scene: null }));
    expect(await scoreOf({ ...records[0], scene: 'checkout' })).not.toEqual(
      await scoreOf({ ...records[0], scene: 'home' }),
    );
  });

  it('numbers may come as numeric strings; null, NaN and the naValues are missing values', async () => {
    const r0 = records[0];
    expect(await scoreOf({ ...r0, user_age: String(r0.user_age) })).toEqual(base[0]);
    const missing = await scoreOf({ ...r0, user_age: null });
    expect(await scoreOf({ ...r0, user_age: 'NA' })).toEqual(missing);
    expect(await scoreOf({ ...r0, user_age: '' })).toEqual(missing);
    expect(await scoreOf({ ...r0, user_age: NaN })).toEqual(missing);
    expect(await scoreOf({ ...r0, user_history: String(r0.user_history).split('|') })).toEqual(base[0]);
  });

  it('a missing value under missing.policy error fails only that record', async () => {
    const files = await readModelFiles(dirLoader(dir));
    const manifest = JSON.parse(files.pipeline as string) as { features: { name: string; missing: string }[] };
    manifest.features.find((f) => f.name === 'user_age')!.missing = 'error';
    Pipeline.fromJSON(manifest); // still a valid manifest
    const strict = await loadServable({ ...files, pipeline: manifest }, { tf });
    const r = await strict.score([{ ...records[0], user_age: null }, records[1]]);
    strict.dispose();
    expect(r.errors).toEqual([
      {
        index: 0,
        field: 'user_age',
        message: 'feature "user_age" (field "user_age") is missing and its missing.policy is error',
      },
    ]);
    expect(r.scores[1]).toEqual(base[1]);
  });

  it('scores the same in batches of any size', async () => {
    const small = await loadServableFromDir(dir, { tf, batchSize: 3 });
    const r = await small.score(records);
    small.dispose();
    r.scores.forEach((s, i) => {
      for (const task of ['ctr', 'cvr'] as const) expect(Math.abs(s![task] - base[i][task])).toBeLessThanOrEqual(CLOSE);
    });
    expect(await servable.score([])).toEqual({ scores: [], errors: [] });
  });

  it('a folder that is not a model output folder is a clear error', async () => {
    const empty = tempDir();
    await expect(loadServableFromDir(empty, { tf })).rejects.toThrow(
      `cannot read ${join(empty, 'model.json')}: no such file (is this a compiled or trained output folder?)`,
    );
    rmSync(empty, { recursive: true, force: true });
  });
});
