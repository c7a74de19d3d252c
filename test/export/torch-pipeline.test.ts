// pipeline.py (the exported package's) encodes raw CSV rows exactly as the TypeScript pipeline:
// same ids, normalised values, labels, masks and kept rows, on a CSV with every encoding
// (vocabulary with out-of-vocabulary buckets, hash, identity, bucketised, shared sequence
// table), missing-value policies, quoted cells, unicode and unseen values; and on UCI Adult.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelIR } from '../../src/compiler/ir.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { loadSpecData } from '../../src/data/spec-data.js';
import type { Spec } from '../../src/schema/spec-schema.js';
import { toModelData } from '../../src/train/model-data.js';
import { TORCH_RUNTIME_DIR } from '../../src/export/torch/export.js';
import { cli, HAVE_ADULT, ROOT } from '../train/helpers.js';
import { torch } from './python.js';

async function compare(specFile: string, csvOf: (spec: Spec) => string): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'mmoe-torch-pipeline-'));
  const built = await cli(specFile, '-o', join(folder, 'model'), '--backend', 'cpu');
  expect(built.code, built.err.join('\n')).toBe(0);
  const dir = join(folder, 'model');
  const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')) as Spec;
  const ir = JSON.parse(readFileSync(join(dir, 'ir.json'), 'utf8')) as ModelIR;
  const pipeline = Pipeline.fromJSON(JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8')));
  const { test } = await loadSpecData(spec, join(ROOT, specFile));
  const want = toModelData(spec, ir, pipeline, test);
  const out = join(folder, 'py.json');
  const r = spawnSync(
    torch.python!,
    [
      join(TORCH_RUNTIME_DIR, 'pipeline.py'),
      ...['pipeline.json', 'spec.json', 'ir.json'].map((f) => join(dir, f)),
      csvOf(spec),
      out,
    ],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  const got = JSON.parse(readFileSync(out, 'utf8')) as { rows: number; arrays: Record<string, number[]> };
  expect(got.rows).toBe(want.n);
  let compared = 0;
  for (const [name, col] of want.inputs) {
    const g = got.arrays[name];
    expect(g, name).toBeDefined();
    expect(g.length, name).toBe(col.data.length);
    if (col.dtype === 'int32') expect(g, name).toEqual(Array.from(col.data));
    else for (let i = 0; i < g.length; i++) expect(Math.fround(g[i]), `${name}[${i}]`).toBe(col.data[i]);
    compared++;
  }
  for (const [task, labels] of want.labels) {
    expect(got.arrays[`label:${task}`], task).toEqual(Array.from(labels));
    expect(got.arrays[`mask:${task}`], task).toEqual(Array.from(want.masks.get(task)!));
    compared++;
  }
  return compared;
}

describe.skipIf(!torch.python)('pipeline.py equals the TypeScript pipeline', () => {
  it('every encoding, missing policies, quoting, unicode, unseen values', async () => {
    const spec = 'test/export/pipeline/spec.yaml';
    expect(await compare(spec, () => join(ROOT, 'test/export/pipeline/test.csv'))).toBe(12);
  }, 60_000);
  it.skipIf(!HAVE_ADULT)(
    'UCI Adult (census spec, test file)',
    async () => {
      expect(
        await compare('configs/census.yaml', (s) => join(ROOT, 'configs', (s.data as { test: string }).test)),
      ).toBe(13);
    },
    120_000,
  );
});
