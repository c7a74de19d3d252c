// Data-aware validation (`validate` on a spec whose data source is a local CSV): the header and
// a bounded sample of each data file (readCsvSample: the first SAMPLE_ROWS rows / SAMPLE_BYTES),
// checked against the spec, each problem located at the spec value that causes it:
//
//   data-file            a data or vocabulary file is missing or unreadable (at data.train,
//                        data.test or the feature's vocabularyFile; did-you-mean against the
//                        files next to it)
//   data-encoding        the sample is not valid UTF-8 (at data.train / data.test)
//   data-column          a feature, label or sample-space column is not in the header
//                        (at the name or column that reads it; did-you-mean against the header)
//   data-not-numeric     a numeric feature or regression label has a sampled value that is
//                        not a number (at the feature's type / the task's label)
//   data-all-missing     every sampled value of a feature's column is missing (an error for a
//                        numeric feature when the sample is the whole file, else a warning)
//   data-label-value     a binary label has a sampled value that is neither positive nor
//                        negative (at the task's positive, else its label)
//   data-rows            the sample has a malformed row under badRows: error, or no data rows
//                        (at data.train / data.test)
//
// The same rules as training (labels.ts, cells.ts, the CSV tokenizer), so what validate
// accepts, train reads; rows past the sample are still checked by train.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { didYouMean, type Diagnostic, type Severity } from '../util/diagnostics.js';
import { locate, pointer, type LocIndex } from '../schema/source.js';
import type { CsvDataSpec, Spec } from '../schema/spec-schema.js';
import { parseNumberCell } from './cells.js';
import { readCsvSample, SAMPLE_ROWS, parseCsvText } from './csv.js';
import type { ReadPolicy } from '../schema/paths.js';
import { dataFilePath } from './data-path.js';
import { csvColumnTypes } from './spec-data.js';
import { DataError } from './errors.js';
import { binaryLabeler, describeLabelValues } from './labels.js';
import { classLabeler } from './class-labels.js';
import { operandsOf } from '../schema/task-labels.js';
import { rowLocation, type StringColumn, type Table } from './table.js';

export const DATA_CODES = [
  'data-file',
  'data-encoding',
  'data-column',
  'data-not-numeric',
  'data-all-missing',
  'data-label-value',
  'data-rows',
  'data-sample-weight',
] as const;

export interface SampleCheckInput {
  spec: Spec;
  /** The root spec file (data paths are relative to it). */
  specPath: string;
  /** The spec file as shown in diagnostics (the fallback location). */
  file: string;
  locs: LocIndex;
  /** Which files the spec may read (the loaded spec's policy; default: the root holding it). */
  policy?: ReadPolicy;
}

/** The file a spec path names, or undefined when the read policy refuses it (a located path-* diagnostic reports that). */
function allowedPath(specPath: string, name: string, policy: ReadPolicy | undefined): string | undefined {
  try {
    return dataFilePath(specPath, name, policy);
  } catch (e) {
    if (e instanceof DataError) return undefined;
    throw e;
  }
}

/** Diagnostics for the data a CSV spec reads; none for synthetic data. */
export function checkDataSample({ spec, specPath, file, locs, policy }: SampleCheckInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: (typeof DATA_CODES)[number], path: string, message: string, severity: Severity = 'error') => {
    const at = locate(locs, path)?.value ?? { file, line: 1, column: 1 };
    out.push({ ...at, severity, code, message, path });
  };
  checkVocabularyFiles(spec, specPath, policy, report);
  const data = spec.data;
  if (data.source !== 'csv') return out;
  for (const which of ['train', 'test'] as const) {
    const name = data[which];
    if (name === undefined) continue;
    const path = allowedPath(specPath, name, policy);
    if (path !== undefined) checkFile(spec, data, name, path, `/data/${which}`, report);
  }
  return out;
}

type Reporter = (code: (typeof DATA_CODES)[number], path: string, message: string, severity?: Severity) => void;

function checkFile(spec: Spec, data: CsvDataSpec, name: string, path: string, at: string, report: Reporter): void {
  let text: string;
  let complete: boolean;
  try {
    ({ text, complete } = readCsvSample(path, data.encoding));
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    const message = err.message.replace(path, name);
    if (/invalid UTF-8/.test(message)) report('data-encoding', at, message);
    else
      report(
        'data-file',
        at,
        `${message}${/file not found/.test(message) ? siblings(path) : ''}`.replace(/ Did you mean/, '. Did you mean'),
      );
    return;
  }
  let table: Table;
  let header: string[];
  try {
    // the columns the spec reads, as text: the checks below say which values are wrong, and where
    const types = Object.fromEntries(Object.keys(csvColumnTypes(spec)).map((c) => [c, 'string' as const]));
    const read = parseCsvText(text, name, {
      delimiter: data.delimiter,
      naValues: data.naValues,
      maxRows: SAMPLE_ROWS,
      badRows: data.badRows,
      types,
      otherColumns: 'drop',
      requireColumns: false,
    });
    table = read.table;
    header = read.header;
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    report('data-rows', at, `${err.message} (in the first ${SAMPLE_ROWS} rows validate reads)`);
    return;
  }
  if (header.length === 1 && header[0] === '' && table.rowCount === 0) {
    report('data-rows', at, `${name}: the file is empty (expected a header row)`);
    return;
  }
  const has = new Set(header);
  const column = (path: string, who: string, col: string): StringColumn | undefined => {
    if (has.has(col)) return table.columns.get(col) as StringColumn;
    report(
      'data-column',
      path,
      `${who} reads column "${col}", which ${name} does not have.${didYouMean(col, header) || ` Its header has: ${header.join(', ')}.`}`,
    );
    return undefined;
  };

  spec.features.forEach((f, i) => {
    if (f.type === 'cross') return; // reads its components' columns, checked there
    const fp = pointer('/features', i);
    const col = column(
      pointer(fp, f.column !== undefined ? 'column' : 'name'),
      `feature "${f.name}"`,
      f.column ?? f.name,
    );
    if (col === undefined) return;
    if (table.rowCount > 0 && col.missing.every((m) => m === 1)) {
      // train refuses a numeric column with no value; of a sample, it may be only a warning
      const whole = complete && table.rowCount < SAMPLE_ROWS;
      if (f.type === 'numeric' || whole) {
        report(
          'data-all-missing',
          pointer(fp, f.column !== undefined ? 'column' : 'name'),
          `feature "${f.name}": every value of column "${f.column ?? f.name}" is missing in ${whole ? `all ${table.rowCount} rows of ${name}` : `the first ${table.rowCount} rows of ${name}`} (missing spellings: ${data.naValues.map((v) => JSON.stringify(v)).join(', ')})`,
          whole && f.type === 'numeric' ? 'error' : 'warning',
        );
      }
    }
    if (f.type !== 'numeric') return;
    notNumeric(table, col, (cell, row, count) =>
      report(
        'data-not-numeric',
        pointer(fp, 'type'),
        `feature "${f.name}" is numeric, but column "${f.column ?? f.name}" has ${JSON.stringify(cell)} at ${row}${countNote(count, table)}; make it categorical, or list the spelling in data.naValues if it means missing`,
      ),
    );
  });
  spec.tasks.forEach((t, i) => {
    const tp = pointer('/tasks', i);
    if (t.label !== undefined) {
      const col = column(pointer(tp, 'label'), `task "${t.name}"`, t.label);
      if (col !== undefined && t.type === 'regression') {
        notNumeric(table, col, (cell, row, count) =>
          report(
            'data-not-numeric',
            pointer(tp, 'label'),
            `task "${t.name}" is a regression, but its label column "${t.label}" has ${JSON.stringify(cell)} at ${row}${countNote(count, table)}`,
          ),
        );
      } else if (col !== undefined && t.type === 'multiclass') {
        if (t.unknownClass !== 'skip') checkClasses(t, tp, col, table, report);
      } else if (col !== undefined) checkLabels(t, tp, col, table, report);
    }
    if (t.sampleSpace)
      column(
        pointer(pointer(tp, 'sampleSpace'), 'column'),
        `the sample space of task "${t.name}"`,
        t.sampleSpace.column,
      );
    checkDerivedLabels(t, tp, table, column, report);
  });
  const tw = spec.training.sampleWeight;
  if (tw !== undefined) {
    const col = column('/training/sampleWeight', 'the training sample weight', tw);
    if (col !== undefined) checkWeights('the training sample weight', '/training/sampleWeight', tw, col, table, report);
  }
  if (table.rowCount === 0 && has.size > 0)
    report('data-rows', at, `${name}: no data rows (the file has a header only)`);
}

function checkLabels(task: Spec['tasks'][number], tp: string, col: StringColumn, table: Table, report: Reporter): void {
  let labelOf;
  try {
    labelOf = binaryLabeler(task, col);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    report('data-label-value', pointer(tp, 'positive'), err.message);
    return;
  }
  let first = -1;
  const unknown = new Map<string, number>();
  for (let i = 0; i < table.rowCount; i++) {
    if (col.missing[i] || labelOf(i) !== undefined) continue;
    if (first < 0) first = i;
    unknown.set(col.values[i], (unknown.get(col.values[i]) ?? 0) + 1);
  }
  if (first < 0) return;
  const values = [...unknown.keys()].slice(0, 5).map((v) => JSON.stringify(v));
  report(
    'data-label-value',
    pointer(tp, task.positive !== undefined ? 'positive' : 'label'),
    `task "${task.name}": label column "${task.label}" has ${values.join(', ')}${unknown.size > 5 ? ', ...' : ''} (first at ${rowLocation(table, first)}), neither positive nor negative (${describeLabelValues(task)}); list them in negative:, or write negative: other to count every other value as 0`,
  );
}

function checkClasses(
  task: Spec['tasks'][number],
  tp: string,
  col: StringColumn,
  table: Table,
  report: Reporter,
): void {
  const classOf = classLabeler(task, col);
  let first = -1;
  const unknown = new Set<string>();
  for (let i = 0; i < table.rowCount; i++) {
    if (col.missing[i] || classOf(i) >= 0) continue;
    if (first < 0) first = i;
    unknown.add(col.values[i]);
  }
  if (first < 0) return;
  const values = [...unknown].slice(0, 5).map((v) => JSON.stringify(v));
  report(
    'data-label-value',
    pointer(tp, task.classes !== undefined ? 'classes' : 'label'),
    `task "${task.name}": label column "${task.label}" has ${values.join(', ')}${unknown.size > 5 ? ', ...' : ''} (first at ${rowLocation(table, first)}), not among its ${task.classes?.length ?? 0} classes; add them to classes, or set unknownClass: skip to leave such rows out of this task`,
  );
}

/** Calls `bad` once with the first present cell that is not a number, and how many there are. */
function notNumeric(table: Table, col: StringColumn, bad: (cell: string, row: string, count: number) => void): void {
  let first = -1;
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (col.missing[i] || !Number.isNaN(parseNumberCell(col.values[i]))) continue;
    if (first < 0) first = i;
    count++;
  }
  if (first >= 0) bad(col.values[first], rowLocation(table, first), count);
}

function countNote(count: number, table: Table): string {
  return count > 1 ? ` (${count} of the ${table.rowCount} sampled rows are not numbers)` : '';
}

function checkVocabularyFiles(spec: Spec, specPath: string, policy: ReadPolicy | undefined, report: Reporter): void {
  spec.features.forEach((f, i) => {
    if (f.type === 'numeric' || f.type === 'cross' || f.vocabularyFile === undefined) return;
    const path = allowedPath(specPath, f.vocabularyFile, policy);
    if (path === undefined) return;
    let problem: string | undefined;
    try {
      if (!statSync(path).isFile()) problem = 'is not a file';
    } catch (err) {
      problem =
        (err as { code?: string }).code === 'ENOENT'
          ? `not found${siblings(path).replace(/^ /, '. ')}`
          : `cannot be read (${(err as Error).message})`;
    }
    if (problem)
      report(
        'data-file',
        pointer(pointer('/features', i), 'vocabularyFile'),
        `feature "${f.name}": vocabulary file ${JSON.stringify(f.vocabularyFile)} ${problem}`,
      );
  });
}

/** " Did you mean ...?" against the files next to `path` (a misspelt file name). */
function siblings(path: string): string {
  try {
    return didYouMean(basename(path), readdirSync(dirname(path)));
  } catch {
    return '';
  }
}

type ColumnOf = (path: string, who: string, col: string) => StringColumn | undefined;

/** labelFrom / evaluation columns exist (thresholds read numbers); a task's weight column holds
 * finite numbers >= 0. */
function checkDerivedLabels(
  t: Spec['tasks'][number],
  tp: string,
  table: Table,
  column: ColumnOf,
  report: Reporter,
): void {
  const who = `task "${t.name}"`;
  const exprs = [
    ...(t.labelFrom ? [{ e: t.labelFrom, at: `${tp}/labelFrom` }] : []),
    ...(t.evaluation?.labelFrom ? [{ e: t.evaluation.labelFrom, at: `${tp}/evaluation/labelFrom` }] : []),
  ];
  for (const { e, at } of exprs) {
    for (const { operand, path } of operandsOf(e, at)) {
      const name = typeof operand === 'string' ? operand : operand.column;
      if (name === undefined) continue;
      const col = column(typeof operand === 'string' ? path : `${path}/column`, who, name);
      const threshold = typeof operand !== 'string' && operand.in === undefined && operand.equals === undefined;
      if (col !== undefined && threshold)
        notNumeric(table, col, (cell, row, count) =>
          report(
            'data-not-numeric',
            `${path}/column`,
            `${who}: labelFrom compares column "${name}" with a number, but it has ${JSON.stringify(cell)} at ${row}${countNote(count, table)}`,
          ),
        );
    }
  }
  const ev = t.evaluation;
  if (ev?.label !== undefined) column(`${tp}/evaluation/label`, who, ev.label);
  if (ev?.sampleSpace)
    column(`${tp}/evaluation/sampleSpace/column`, `the evaluation sample space of ${who}`, ev.sampleSpace.column);
  if (t.sampleWeight !== undefined) {
    const col = column(`${tp}/sampleWeight`, `the sample weight of ${who}`, t.sampleWeight);
    if (col !== undefined)
      checkWeights(`the sample weight of ${who}`, `${tp}/sampleWeight`, t.sampleWeight, col, table, report);
  }
}

function checkWeights(
  who: string,
  path: string,
  name: string,
  col: StringColumn,
  table: Table,
  report: Reporter,
): void {
  let first = -1;
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) {
    const w = col.missing[i] ? NaN : parseNumberCell(col.values[i]);
    if (w >= 0 && Number.isFinite(w)) continue;
    if (first < 0) first = i;
    count++;
  }
  if (first < 0) return;
  const value = col.missing[first] ? 'a missing value' : JSON.stringify(col.values[first]);
  report(
    'data-sample-weight',
    path,
    `${who}: sample weight column "${name}" has ${value} at ${rowLocation(table, first)}${count > 1 ? ` (${count} of the ${table.rowCount} sampled rows are not)` : ''}; weights are finite numbers >= 0, present on every row`,
  );
}
