// Shared by the serving tests: small compiled model folders in temp dirs, and the spec's test
// rows as raw records (what a client would send).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileSpec } from '../../src/driver/compile.js';
import { loadSpecData } from '../../src/data/spec-data.js';
import type { Table } from '../../src/data/table.js';
import { readModelFolder } from '../../src/train/score.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Small data: the pipeline fits in well under a second. */
export const SMALL_DATA = ['data.rows=2000', 'data.testRows=300'];

export function tempDir(prefix = 'mmoe-serve-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Compile configs/<config>.yaml (small data, cpu backend) into a fresh temp folder. */
export async function compileConfig(config: string, sets: readonly string[] = SMALL_DATA): Promise<string> {
  const outDir = join(tempDir(), config);
  const r = await compileSpec(join(ROOT, 'configs', `${config}.yaml`), { outDir, backend: 'cpu', sets: [...sets] });
  if (!r.ok)
    throw new Error(`configs/${config}.yaml did not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return outDir;
}

/** The folder's spec's test split (as the `evaluate` command reads it). */
export async function testTable(dir: string, config: string): Promise<Table> {
  return (await loadSpecData(readModelFolder(dir).spec, join(ROOT, 'configs', `${config}.yaml`))).test;
}

/** Rows of a table as raw records: every column, numbers as numbers, missing cells as null. */
export function tableRecords(table: Table, limit = table.rowCount): Record<string, unknown>[] {
  const n = Math.min(limit, table.rowCount);
  return Array.from({ length: n }, (_, i) => {
    const r: Record<string, unknown> = {};
    for (const [name, col] of table.columns) r[name] = col.missing[i] ? null : col.values[i];
    return r;
  });
}
