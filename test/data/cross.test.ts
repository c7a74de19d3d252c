// Hashed crosses (`type: cross`): the ids the pipeline computes, and the ids a served record
// gets, equal an independent computation of the documented hash written here:
//   id = FNV-1a 32 (UTF-8 bytes of v_1 U+001F v_2 ...) mod hashBuckets; a missing component -> hashBuckets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitPipeline, Pipeline } from '../../src/data/pipeline.js';
import { createTable, numberColumn, stringColumn } from '../../src/data/table.js';
import { TORCH_RUNTIME_DIR } from '../../src/export/torch/export.js';
import type { CrossFeatureSpec, Feature } from '../../src/schema/spec-schema.js';
import { torch } from '../export/python.js';
import { categorical, numeric } from './features.js';

/** FNV-1a 32 by the definition (BigInt, TextEncoder bytes): independent of src/data/hash.ts. */
function fnvReference(text: string): number {
  let h = 0x811c9dc5n;
  for (const b of new TextEncoder().encode(text)) h = ((h ^ BigInt(b)) * 0x01000193n) & 0xffffffffn;
  return Number(h);
}
const expectedId = (values: (string | null)[], buckets: number) =>
  values.some((v) => v === null) ? buckets : fnvReference(values.join('\u001f')) % buckets;

const cross = (name: string, of: string[], hashBuckets: number): CrossFeatureSpec => ({
  type: 'cross',
  name,
  of,
  hashBuckets,
  embeddingDim: 4,
});

const G = ['m', 'f', 'm', null, 'f', 'f'];
const CAT = ['cat1', 'cat7', 'cat7', 'cat2', null, 'kätze 🐈'];
const AGE = [25, 45, NaN, 30, 10, 40];
const BOUNDARIES = [20, 40];
const table = createTable({
  g: stringColumn(G),
  cat: stringColumn(CAT),
  age: numberColumn(
    AGE,
    AGE.map((x) => (Number.isNaN(x) ? 1 : 0)),
  ),
});
// bucket index by the definition (boundaries <= x), as a decimal string
const bucket = (x: number) => (Number.isNaN(x) ? null : String(BOUNDARIES.filter((b) => b <= x).length));

const FEATURES: Feature[] = [
  categorical('g', { vocabulary: ['m', 'f'] }),
  categorical('cat', { encoding: 'hash', hashBuckets: 16 }),
  numeric('age', { boundaries: BOUNDARIES, embeddingDim: 2 }),
  cross('gxc', ['g', 'cat'], 97),
  cross('cxg', ['cat', 'g'], 97),
  cross('gxcxa', ['g', 'cat', 'age'], 1000),
];

describe('hashed crosses in the data pipeline', () => {
  const p = fitPipeline(FEATURES, table);
  const out = p.transform(table).features;

  it('ids equal FNV-1a of the joined raw values mod hashBuckets; a missing component gives hashBuckets', () => {
    const rows = G.map((_, i) => i);
    expect([...out.get('gxc')!]).toEqual(rows.map((i) => expectedId([G[i], CAT[i]], 97)));
    expect([...out.get('cxg')!]).toEqual(rows.map((i) => expectedId([CAT[i], G[i]], 97)));
    expect([...out.get('gxcxa')!]).toEqual(rows.map((i) => expectedId([G[i], CAT[i], bucket(AGE[i])], 1000)));
    // rows 3 and 4 miss a component; the others do not, and the order of `of` matters
    expect(out.get('gxc')![3]).toBe(97);
    expect(out.get('gxc')![4]).toBe(97);
    expect(out.get('gxcxa')![2]).toBe(1000);
    expect(out.get('gxc')![1]).not.toBe(out.get('cxg')![1]);
  });

  it('a known value: FNV-1a 32 of "m\\u001fcat1" is 0x5190ace2 (computed with a Python one-liner), mod 97 = 96', () => {
    expect(fnvReference('m\u001fcat1')).toBe(0x5190ace2);
    expect(out.get('gxc')![0]).toBe(0x5190ace2 % 97);
    expect(out.get('gxc')![0]).toBe(96);
  });

  it('the model sees an id input with its own table of hashBuckets + 1 rows', () => {
    const input = p.inputs.find((x) => x.name === 'gxcxa')!;
    expect(input).toMatchObject({
      type: 'categorical',
      dtype: 'int32',
      width: 1,
      vocabSize: 1001,
      embedding: 'feature:gxcxa',
      embeddingDim: 4,
    });
  });

  it('a number column hashes its values as their decimal strings (3 and "3" agree)', () => {
    const q = fitPipeline(
      [
        categorical('g', { vocabulary: ['m', 'f'] }),
        categorical('n', { encoding: 'hash', hashBuckets: 8 }),
        cross('gxn', ['g', 'n'], 50),
      ],
      createTable({ g: stringColumn(['m', 'f']), n: numberColumn([3, 12]) }),
    );
    expect([
      ...q.transform(createTable({ g: stringColumn(['m', 'f']), n: numberColumn([3, 12]) })).features.get('gxn')!,
    ]).toEqual([expectedId(['m', '3'], 50), expectedId(['f', '12'], 50)]);
  });

  it('serving: a raw record gives the id the pipeline gives its row, after a manifest round trip', () => {
    const served = Pipeline.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    G.forEach((_, i) => {
      const record = { g: G[i], cat: CAT[i], age: Number.isNaN(AGE[i]) ? null : AGE[i] };
      const got = served.transformRecord(record);
      for (const name of ['gxc', 'cxg', 'gxcxa'])
        expect([...got.get(name)!], `${name} row ${i}`).toEqual([out.get(name)![i]]);
    });
    // a missing spelling, a number category, and an absent field
    expect([...served.transformRecord({ g: 'NA', cat: 'cat1', age: 30 }).get('gxc')!]).toEqual([97]);
    expect([...served.transformRecord({ g: 'f', cat: 7, age: '41' }).get('gxcxa')!]).toEqual([
      expectedId(['f', '7', '2'], 1000),
    ]);
    expect([...served.transformRecord({ g: 'f', age: 30 }).get('cxg')!]).toEqual([97]);
  });
});

describe.skipIf(!torch.python)("the torch target's standalone pipeline.py", () => {
  it('refuses a manifest with a cross, naming it, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmoe-cross-py-'));
    try {
      const p = fitPipeline(FEATURES, table);
      writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(p.toJSON()));
      writeFileSync(join(dir, 'spec.json'), JSON.stringify({ features: FEATURES, tasks: [] }));
      writeFileSync(join(dir, 'ir.json'), '{}');
      writeFileSync(join(dir, 'data.csv'), 'g,cat,age\nm,cat1,25\n');
      const r = spawnSync(
        torch.python!,
        [
          join(TORCH_RUNTIME_DIR, 'pipeline.py'),
          ...['pipeline.json', 'spec.json', 'ir.json', 'data.csv', 'out.json'].map((f) => join(dir, f)),
        ],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('feature "gxc" is a hashed cross (type: cross)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
