import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors.js';
import { fnv1a32 } from '../../src/data/hash.js';
import { fitPipeline, Pipeline } from '../../src/data/pipeline.js';
import { parseCsvText } from '../../src/data/csv.js';
import { createTable, numberColumn, selectRows, stringColumn, type Table } from '../../src/data/table.js';
import { categorical, numeric, sequence } from './features.js';

const train = createTable({
  age: numberColumn([20, 30, NaN, 50]),
  city: stringColumn(['b', 'a', 'b', null]),
  tags: stringColumn(['x|y', 'y', '', 'y|z|y|x|w']),
  item: stringColumn(['x', 'z', 'q', 'y']),
});

const arr = (a: Float32Array | Int32Array | undefined) => [...(a ?? [])];

describe('numeric features', () => {
  it('standardises with the training mean and population sd; missing -> 0', () => {
    const p = fitPipeline([numeric('age')], train);
    const m = p.toJSON().features[0];
    // hand computation over 20, 30, 50: mean 33.333..., sd sqrt(((13.33)^2 + (3.33)^2 + (16.67)^2) / 3)
    const mean = 100 / 3;
    const sd = Math.sqrt(((20 - mean) ** 2 + (30 - mean) ** 2 + (50 - mean) ** 2) / 3);
    expect(m).toMatchObject({ type: 'numeric', normalization: 'standard', center: mean, scale: sd, fillValue: 0 });
    const out = p.transform(train).features.get('age') as Float32Array;
    expect(out).toBeInstanceOf(Float32Array);
    expect(arr(out)).toEqual([(20 - mean) / sd, (30 - mean) / sd, 0, (50 - mean) / sd].map(Math.fround));
  });

  it('supports minmax, log and none; a constant column scales by 1', () => {
    const t = createTable({ v: numberColumn([1, 3, 5]), k: numberColumn([2, 2, 2]) });
    const p = fitPipeline(
      [numeric('v', { normalization: 'minmax' }), numeric('lv', { column: 'v', normalization: 'log' }), numeric('k')],
      t,
    );
    const f = p.transform(t).features;
    expect(arr(f.get('v'))).toEqual([0, 0.5, 1]);
    expect(arr(f.get('lv'))).toEqual([Math.log1p(1), Math.log1p(3), Math.log1p(5)].map(Math.fround));
    expect(arr(f.get('k'))).toEqual([0, 0, 0]);
  });

  it('uses an explicit fill in raw units', () => {
    const p = fitPipeline([numeric('age', { normalization: 'none', missing: { policy: 'fill', fill: 99 } })], train);
    expect(arr(p.transform(train).features.get('age'))).toEqual([20, 30, 99, 50]);
  });

  it('bucketises: id = number of boundaries <= x, missing -> B + 1', () => {
    const p = fitPipeline([numeric('age', { boundaries: [25, 30, 40] })], train);
    expect(arr(p.transform(train).features.get('age'))).toEqual([0, 2, 4, 3]);
    expect(p.inputs[0]).toMatchObject({ type: 'bucketized', dtype: 'int32', vocabSize: 5 });
    expect(() => fitPipeline([numeric('age', { boundaries: [3, 3] })], train)).toThrow(
      'feature "age": boundaries must be strictly increasing (3 then 3)',
    );
  });

  it('parses numbers from a string column, naming the row of a bad one', () => {
    const t = parseCsvText('a\n1\n2\nabc\n', 'in.csv').table;
    const p = fitPipeline([numeric('a', { normalization: 'none' })], selectRows(t, [0, 1]));
    expect(arr(p.transform(selectRows(t, [0, 1])).features.get('a'))).toEqual([1, 2]);
    expect(() => p.transform(t)).toThrow('in.csv:4: feature "a": "abc" is not a number');
  });
});

describe('missing policies', () => {
  it('error names the row (the file line when known)', () => {
    const p = fitPipeline([numeric('age', { missing: { policy: 'error' } })], train);
    expect(() => p.transform(train)).toThrow(
      'row 3: feature "age" (column "age") is missing and its missing.policy is error',
    );
    const csv = parseCsvText('age\n1\n\n2\nNA\n', 'ages.csv', { types: { age: 'number' } });
    expect(() => p.transform(csv.table)).toThrow(
      new DataError('ages.csv:5: feature "age" (column "age") is missing and its missing.policy is error'),
    );
  });

  it('skip drops the row from every output and counts it', () => {
    const p = fitPipeline(
      [numeric('age', { missing: { policy: 'skip' } }), categorical('city', { missing: { policy: 'skip' } })],
      train,
    );
    const r = p.transform(train);
    expect(r.rowCount).toBe(2);
    expect([...r.rows]).toEqual([0, 1]);
    expect(r.skipped).toBe(2);
    expect(r.skipReasons).toEqual(['row 3: feature "age" is missing', 'row 4: feature "city" is missing']);
    expect(r.features.get('city')!.length).toBe(2);
  });
});

describe('categorical features', () => {
  it('learns a vocabulary by frequency, then value; ids start after the OOV bucket', () => {
    const t = createTable({ c: stringColumn(['b', 'c', 'a', 'c', 'b', 'd', 'c']) });
    const p = fitPipeline([categorical('c')], t);
    expect(p.toJSON().idSpaces['feature:c']).toEqual({
      encoding: 'vocabulary',
      offset: 0,
      oovBuckets: 1,
      values: ['c', 'b', 'a', 'd'],
    });
    expect(arr(p.transform(t).features.get('c'))).toEqual([2, 1, 3, 1, 2, 4, 1]);
    expect(p.inputs[0]).toMatchObject({ vocabSize: 5, embedding: 'feature:c' });
  });

  it('applies minCount and topK', () => {
    const t = createTable({ c: stringColumn(['b', 'c', 'a', 'c', 'b', 'd', 'c', 'a']) });
    const values = (extra: object) =>
      (fitPipeline([categorical('c', extra)], t).toJSON().idSpaces['feature:c'] as { values: string[] }).values;
    expect(values({ minCount: 2 })).toEqual(['c', 'a', 'b']);
    expect(values({ topK: 2 })).toEqual(['c', 'a']);
  });

  it('maps unseen and missing values to the OOV ids, hashing unseen ones over oovBuckets', () => {
    const p = fitPipeline([categorical('city')], train);
    const test = createTable({ city: stringColumn(['a', 'zzz', null]) });
    expect(arr(p.transform(test).features.get('city'))).toEqual([2, 0, 0]);
    const p3 = fitPipeline([categorical('city', { oovBuckets: 3 })], train);
    expect(arr(p3.transform(test).features.get('city'))).toEqual([4, fnv1a32('zzz') % 3, 0]);
  });

  it('uses a fixed vocabulary or a loaded vocabulary file', () => {
    const p = fitPipeline([categorical('city', { vocabulary: ['a', 'b'] })], train);
    expect(arr(p.transform(train).features.get('city'))).toEqual([2, 1, 2, 0]);
    const files = new Map([['vocab/city.txt', ['b', 'a']]]);
    const pf = fitPipeline([categorical('city', { vocabularyFile: 'vocab/city.txt' })], train, {
      vocabularyFiles: files,
    });
    expect(arr(pf.transform(train).features.get('city'))).toEqual([1, 2, 1, 0]);
    expect(() => fitPipeline([categorical('city', { vocabularyFile: 'v.txt' })], train)).toThrow(
      /vocabularyFile "v.txt" was not loaded/,
    );
  });

  it('hashes with FNV-1a mod hashBuckets; missing -> hashBuckets', () => {
    const p = fitPipeline([categorical('city', { encoding: 'hash', hashBuckets: 16 })], train);
    expect(arr(p.transform(train).features.get('city'))).toEqual([
      fnv1a32('b') % 16,
      fnv1a32('a') % 16,
      fnv1a32('b') % 16,
      16,
    ]);
    expect(fnv1a32('b') % 16).toBe(0xe70c2de5 % 16); // FNV-1a("b") = 0xe70c2de5: pinned across platforms
    expect(p.inputs[0].vocabSize).toBe(17);
  });

  it('identity: integers in [0, numIds), anything else -> numIds', () => {
    const t = createTable({ n: numberColumn([0, 4, 5, 2.5, NaN]), s: stringColumn(['3', 'x', '-1', ' ', null]) });
    const p = fitPipeline(
      [categorical('n', { encoding: 'identity', numIds: 5 }), categorical('s', { encoding: 'identity', numIds: 5 })],
      t,
    );
    const f = p.transform(t).features;
    expect(arr(f.get('n'))).toEqual([0, 4, 5, 5, 5]);
    expect(arr(f.get('s'))).toEqual([3, 5, 5, 5, 5]);
    expect(p.inputs[0].vocabSize).toBe(6);
  });

  it('treats a number column as tokens written by String()', () => {
    const t = createTable({ n: numberColumn([3, 1, 3]) });
    const p = fitPipeline([categorical('n')], t);
    expect(arr(p.transformRecord({ n: '3' }).get('n'))).toEqual(arr(p.transformRecord({ n: 3 }).get('n')));
  });
});

describe('sequence features', () => {
  it('splits, keeps the first maxLength values, pads with 0; ids shift by one', () => {
    const p = fitPipeline([sequence('tags', { maxLength: 3 })], train);
    // counts over kept values: y 3, x 2, z 1 -> ids: pad 0, oov 1, y 2, x 3, z 4
    expect(p.toJSON().idSpaces['feature:tags']).toEqual({
      encoding: 'vocabulary',
      offset: 1,
      oovBuckets: 1,
      values: ['y', 'x', 'z'],
    });
    const out = p.transform(train).features.get('tags') as Int32Array;
    expect(out).toBeInstanceOf(Int32Array);
    expect(arr(out)).toEqual([3, 2, 0, 2, 0, 0, 0, 0, 0, 2, 4, 2]);
    expect(p.inputs[0]).toMatchObject({ type: 'sequence', width: 3, vocabSize: 5, padId: 0, pooling: 'mean' });
    expect(arr(p.transformRecord({ tags: ['x', 'new', 'y', 'y'] }).get('tags'))).toEqual([3, 1, 2]);
    expect(arr(p.transformRecord({ tags: null }).get('tags'))).toEqual([0, 0, 0]);
  });
});

describe('shared embeddings', () => {
  it('fits one id space over all features that share it', () => {
    const features = [
      categorical('item', { sharedEmbedding: 'items' }),
      sequence('tags', { sharedEmbedding: 'items', maxLength: 3 }),
    ];
    const p = fitPipeline(features, train);
    const m = p.toJSON();
    // joint counts: y 4, x 3, z 2, q 1; offset 1 because a sequence shares the table
    expect(m.idSpaces).toEqual({
      'shared:items': { encoding: 'vocabulary', offset: 1, oovBuckets: 1, values: ['y', 'x', 'z', 'q'] },
    });
    const f = p.transform(train).features;
    expect(arr(f.get('item'))).toEqual([3, 4, 5, 2]);
    expect(arr(f.get('tags')).slice(0, 3)).toEqual([3, 2, 0]);
    expect(p.inputs.map((i) => [i.embedding, i.vocabSize])).toEqual([
      ['shared:items', 6],
      ['shared:items', 6],
    ]);
  });

  it('rejects features that share a table but disagree on its settings', () => {
    const features = [
      categorical('item', { sharedEmbedding: 'items' }),
      sequence('tags', { sharedEmbedding: 'items', oovBuckets: 2 }),
    ];
    expect(() => fitPipeline(features, train)).toThrow(
      'features "item" and "tags" share embedding "items" but differ in oovBuckets (1 vs 2)',
    );
  });
});

describe('manifest', () => {
  const features = [
    numeric('age'),
    numeric('age_bucket', { column: 'age', boundaries: [25, 40] }),
    categorical('city', { oovBuckets: 2, missing: { policy: 'fill', fill: 'a' } }),
    sequence('tags', { maxLength: 2, pooling: 'sum' }),
    categorical('item', { encoding: 'hash', hashBuckets: 8 }),
  ];

  it('round-trips through JSON: same transform, same manifest', () => {
    const p = fitPipeline(features, train);
    const json = JSON.stringify(p.toJSON());
    const loaded = Pipeline.fromJSON(JSON.parse(json));
    expect(JSON.stringify(loaded.toJSON())).toBe(json);
    expect(loaded.transform(train)).toEqual(p.transform(train));
    expect(loaded.inputs).toEqual(p.inputs);
    // fitting twice gives byte-identical JSON
    expect(JSON.stringify(fitPipeline(features, train).toJSON())).toBe(json);
  });

  it('transformRecord equals transform of the same row', () => {
    const p = fitPipeline(features, train);
    const full = p.transform(train).features;
    const one = p.transformRecord({ age: 30, city: 'a', tags: 'y', item: 'z' });
    for (const [name, values] of one) {
      const width = values.length;
      expect(arr(values)).toEqual(arr(full.get(name)).slice(width, 2 * width));
    }
    const missing = p.transformRecord({ age: '?', city: '' });
    expect(arr(missing.get('age'))).toEqual([0]);
    expect(arr(missing.get('city'))).toEqual(arr(one.get('city'))); // fill 'a'
    expect(() => p.transformRecord({ age: 'old' })).toThrow('record: field "age": "old" is not a number');
  });

  it('keeps canonical key order and no paths', () => {
    const m = fitPipeline(features, train, { vocabularyFiles: new Map() }).toJSON();
    expect(Object.keys(m)).toEqual(['format', 'version', 'naValues', 'idSpaces', 'features']);
    expect(Object.keys(m.features[0])).toEqual([
      'name',
      'type',
      'column',
      'missing',
      'normalization',
      'center',
      'scale',
      'fillValue',
    ]);
  });

  it('rejects a damaged manifest with the field path', () => {
    const m = JSON.parse(JSON.stringify(fitPipeline(features, train).toJSON()));
    m.features[1].boundaries[0] = 'x';
    expect(() => Pipeline.fromJSON(m)).toThrow(
      'pipeline manifest: manifest.features[1].boundaries[0] must be a finite number, found "x"',
    );
    expect(() => Pipeline.fromJSON({ ...m, version: 9 })).toThrow(/version 9 is not supported/);
    expect(() => Pipeline.fromJSON(null)).toThrow('pipeline manifest: manifest must be an object, found null');
  });
});

describe('errors', () => {
  it('names a column the data does not have', () => {
    const t: Table = createTable({ a: numberColumn([1]) });
    expect(() => fitPipeline([numeric('b')], t)).toThrow('feature "b": column "b" not found; the data has: a');
  });
});
