// The rows a spec names: built-in synthetic data (train and test from independent row streams)
// or CSV files (a test file, or a seeded held-out fraction of the training file). Column types
// for CSV come from the features and tasks that read each column, unless data.columns says.
import { dirname, resolve } from 'node:path';
import type { ReadPolicy } from '../schema/paths.js';
import type { Spec } from '../schema/spec-schema.js';
import { readCsv } from './csv.js';
import { generateEcom } from './synthetic-ecom.js';
import { generateMmoeSynthetic } from './synthetic-mmoe.js';
import { splitTable, type ColumnType, type Table } from './table.js';
import { dataFilePath } from './vocabulary-file.js';

export interface SpecData {
  train: Table;
  test: Table;
  /** Human notes for the run report (rows skipped, split used). */
  notes: string[];
}

export function csvColumnTypes(spec: Spec): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const f of spec.features) {
    const col = f.column ?? f.name;
    // a numeric feature reads numbers; anything embedded by id reads tokens
    types[col] = f.type === 'numeric' && !(types[col] === 'string') ? 'number' : 'string';
  }
  for (const t of spec.tasks) {
    if (t.label) types[t.label] ??= t.type === 'regression' ? 'number' : 'string';
    if (t.sampleSpace) types[t.sampleSpace.column] ??= 'string';
  }
  if (spec.scenarios) types[spec.scenarios.feature] ??= 'string';
  if (spec.data.source === 'csv' && spec.data.columns) Object.assign(types, spec.data.columns);
  return types;
}

/** `policy`: which files the spec may name (the loaded spec's); default: the root holding the spec. */
export async function loadSpecData(spec: Spec, specFile: string, policy?: ReadPolicy): Promise<SpecData> {
  const d = spec.data;
  if (d.source === 'synthetic') {
    const gen = d.generator === 'mmoe-synthetic' ? generateMmoeSynthetic : generateEcom;
    const common = { seed: d.seed, correlation: d.correlation, ...(d.params ? { params: d.params } : {}) };
    return {
      train: gen({ ...common, rows: d.rows, stream: 'train' }),
      test: gen({ ...common, rows: d.testRows, stream: 'test' }),
      notes: [`synthetic ${d.generator}: ${d.rows} training rows, ${d.testRows} test rows, seed ${d.seed}, correlation ${d.correlation}`],
    };
  }
  const base = dirname(resolve(specFile));
  const opts = { delimiter: d.delimiter, naValues: d.naValues, types: csvColumnTypes(spec), otherColumns: 'drop' as const, badRows: d.badRows, ...(d.maxRows ? { maxRows: d.maxRows } : {}) };
  const notes: string[] = [];
  const train = await readCsv(dataFilePath(d.train, base, policy), opts);
  if (train.skipped) notes.push(`${d.train}: skipped ${train.skipped} bad rows (first: ${train.skipReasons[0]})`);
  if (d.test) {
    const test = await readCsv(dataFilePath(d.test, base, policy), { ...opts, maxRows: undefined });
    if (test.skipped) notes.push(`${d.test}: skipped ${test.skipped} bad rows (first: ${test.skipReasons[0]})`);
    notes.push(`csv: ${train.table.rowCount} training rows from ${d.train}, ${test.table.rowCount} test rows from ${d.test}`);
    return { train: train.table, test: test.table, notes };
  }
  const { kept, heldOut } = splitTable(train.table, d.testFraction, spec.training.seed, 'test');
  notes.push(`csv: ${d.train} split ${kept.rowCount} train / ${heldOut.rowCount} test (testFraction ${d.testFraction}, seed ${spec.training.seed})`);
  return { train: kept, test: heldOut, notes };
}
