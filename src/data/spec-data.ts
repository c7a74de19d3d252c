// The rows a spec names: built-in synthetic data (train and test from independent row streams)
// or CSV files (a test file, or a seeded held-out fraction of the training file). Column types
// for CSV come from the features and tasks that read each column, unless data.columns says.
import type { ReadPolicy } from '../schema/paths.js';
import type { Spec, TaskSpec } from '../schema/spec-schema.js';
import { readCsv, type CsvReadResult } from './csv.js';
import { dataFilePath } from './data-path.js';
import { DataError } from './errors.js';
import { evaluationLabelColumns, trainingLabelColumns } from '../schema/task-labels.js';
import { binaryLabeler, unknownLabelMessage } from './labels.js';
import { classLabeler, unknownClassMessage } from './class-labels.js';
import { generateEcom } from './synthetic-ecom.js';
import { generateMmoeSynthetic } from './synthetic-mmoe.js';
import { getColumn, selectRows, splitTable, type Column, type ColumnType, type Table } from './table.js';

export interface SpecData {
  train: Table;
  test: Table;
  /** Human notes for the run report (rows skipped, split used). */
  notes: string[];
}

export function csvColumnTypes(spec: Spec): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const f of spec.features) {
    if (f.type === 'cross') continue; // its components read the columns
    const col = f.column ?? f.name;
    // a numeric feature reads numbers; anything embedded by id reads tokens
    types[col] = f.type === 'numeric' && !(types[col] === 'string') ? 'number' : 'string';
  }
  for (const t of spec.tasks) {
    if (t.label) types[t.label] ??= t.type === 'regression' ? 'number' : 'string';
    if (t.sampleSpace) types[t.sampleSpace.column] ??= 'string';
    // derived and evaluation labels compare strings (a threshold parses the cell itself)
    for (const c of [...trainingLabelColumns(t), ...evaluationLabelColumns(t)]) types[c.column] ??= 'string';
    if (t.evaluation?.sampleSpace) types[t.evaluation.sampleSpace.column] ??= 'string';
    if (t.sampleWeight) types[t.sampleWeight] ??= 'string';
  }
  // read as text and parsed per row, so a bad weight is an error naming its row
  if (spec.training.sampleWeight) types[spec.training.sampleWeight] ??= 'string';
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
      notes: [
        `synthetic ${d.generator}: ${d.rows} training rows, ${d.testRows} test rows, seed ${d.seed}, correlation ${d.correlation}`,
      ],
    };
  }
  const opts = {
    delimiter: d.delimiter,
    naValues: d.naValues,
    types: csvColumnTypes(spec),
    otherColumns: 'drop' as const,
    badRows: d.badRows,
    encoding: d.encoding,
    ...(d.maxRows ? { maxRows: d.maxRows } : {}),
  };
  const notes: string[] = [];
  const train = checkRows(spec, d.train, await readCsv(dataFilePath(specFile, d.train, policy), opts), notes);
  if (d.test) {
    const test = checkRows(
      spec,
      d.test,
      await readCsv(dataFilePath(specFile, d.test, policy), { ...opts, maxRows: undefined }),
      notes,
    );
    notes.push(`csv: ${train.rowCount} training rows from ${d.train}, ${test.rowCount} test rows from ${d.test}`);
    return { train, test, notes };
  }
  const { kept, heldOut } = splitTable(train, d.testFraction, spec.training.seed, 'test');
  for (const [part, rows] of [
    ['training', kept.rowCount],
    ['test', heldOut.rowCount],
  ] as const) {
    if (rows === 0) {
      throw new DataError(
        `${d.train}: the ${part} split is empty (${train.rowCount} data rows, testFraction ${d.testFraction}); add rows, change data.testFraction or give data.test`,
        { path: '/data/testFraction', code: 'data-split' },
      );
    }
  }
  notes.push(
    `csv: ${d.train} split ${kept.rowCount} train / ${heldOut.rowCount} test (testFraction ${d.testFraction}, seed ${spec.training.seed})`,
  );
  return { train: kept, test: heldOut, notes };
}

/**
 * The rows of one CSV file, refused when there is nothing to learn from or test on: no data
 * rows, or every row skipped. A binary label that is neither positive nor negative is an
 * error at its row, or under `badRows: skip` a dropped row, counted with the CSV's own bad
 * rows in the notes.
 */
function checkRows(spec: Spec, name: string, read: CsvReadResult, notes: string[]): Table {
  let table = read.table;
  let skipped = read.skipped;
  const reasons = [...read.skipReasons];
  const bad = spec.data.source === 'csv' && spec.data.badRows === 'skip' ? 'skip' : 'error';
  const dropped = unknownLabelRows(table, spec.tasks, bad);
  if (dropped.rows.length > 0) {
    skipped += dropped.rows.length;
    reasons.push(...dropped.reasons);
    const drop = new Set(dropped.rows);
    const keep: number[] = [];
    for (let i = 0; i < read.table.rowCount; i++) if (!drop.has(i)) keep.push(i);
    table = selectRows(read.table, keep);
  }
  if (skipped > 0) notes.push(`${name}: skipped ${skipped} bad rows (first: ${reasons[0]})`);
  if (table.rowCount === 0) {
    throw new DataError(
      skipped > 0
        ? `${name}: every data row was skipped as bad (${skipped} rows; first: ${reasons[0]})`
        : `${name}: no data rows (the file has a header only)`,
    );
  }
  return table;
}

function knownBinary(task: TaskSpec, col: Column): (i: number) => boolean {
  const labelOf = binaryLabeler(task, col);
  return (i) => labelOf(i) !== undefined;
}

function knownClass(task: TaskSpec, col: Column): (i: number) => boolean {
  const classOf = classLabeler(task, col);
  return (i) => classOf(i) >= 0;
}

/** Rows whose binary label is neither positive nor negative: the first is an error under
 * policy 'error'; under 'skip' all are returned with the first few reasons. */
function unknownLabelRows(
  table: Table,
  tasks: readonly TaskSpec[],
  policy: 'error' | 'skip',
): { rows: number[]; reasons: string[] } {
  const rows = new Set<number>();
  const reasons: string[] = [];
  for (const task of tasks) {
    if (task.label === undefined) continue;
    const multiclass = task.type === 'multiclass';
    if (multiclass ? task.unknownClass === 'skip' : (task.type ?? 'binary') !== 'binary') continue;
    const col = getColumn(table, task.label, `task "${task.name}"`);
    const known = multiclass ? knownClass(task, col) : knownBinary(task, col);
    for (let i = 0; i < table.rowCount; i++) {
      if (col.missing[i] || known(i)) continue;
      const message = multiclass ? unknownClassMessage(table, i, task, col) : unknownLabelMessage(table, i, task, col);
      if (policy === 'error') throw new DataError(message);
      if (!rows.has(i) && reasons.length < 10) reasons.push(message);
      rows.add(i);
    }
  }
  return { rows: [...rows].sort((a, b) => a - b), reasons };
}
