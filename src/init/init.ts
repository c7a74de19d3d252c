// `mmoe-compile init`: a bounded sample of a CSV -> column decisions -> spec text. Reads the
// first `sampleRows` rows as text (no types: every column is profiled the same way).
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../data/csv.js';
import { DEFAULT_NA_VALUES, type StringColumn } from '../data/table.js';
import { inferColumn, type ColumnDecision, type LabelIndicator } from './infer-columns.js';
import {
  InitError,
  type LabelValues,
  detectPositive,
  isPositive,
  parsePositiveArgs,
  parseTaskArg,
  specName,
  type InitTask,
} from './tasks.js';
import { writeSpec, type Family } from './write-spec.js';

export const DEFAULT_SAMPLE_ROWS = 10_000;

export interface InitOptions {
  csv: string;
  tasks: readonly string[];
  positive?: readonly string[];
  family?: Family;
  /** Where the spec will be written (paths in it are relative to its folder); default: cwd. */
  specPath?: string;
  sampleRows?: number;
  delimiter?: string;
}

export interface InitResult {
  text: string;
  decisions: ColumnDecision[];
  tasks: InitTask[];
}

const SCHEMA_FILE = fileURLToPath(new URL('../../schema/spec.schema.json', import.meta.url));

export async function initSpec(opts: InitOptions): Promise<InitResult> {
  if (opts.tasks.length === 0) throw new InitError('name at least one task column: --task <label column>');
  const args = opts.tasks.map(parseTaskArg);
  const positives = parsePositiveArgs(opts.positive ?? []);
  const { table, header } = await readCsv(opts.csv, {
    maxRows: opts.sampleRows ?? DEFAULT_SAMPLE_ROWS,
    naValues: DEFAULT_NA_VALUES,
    delimiter: opts.delimiter,
  });
  const column = (name: string, what: string): StringColumn => {
    const c = table.columns.get(name);
    if (!c) throw new InitError(`${opts.csv}: ${what} "${name}" is not a column (columns: ${header.join(', ')})`);
    return c as StringColumn; // no `types` given: every column is read as text
  };
  for (const p of positives.keys()) {
    if (!args.some((a) => a.label === p)) throw new InitError(`--positive ${p}=...: "${p}" is not a task column`);
  }
  const labelInfo = new Map<string, LabelValues>();
  const labelOf = (name: string) => {
    let info = labelInfo.get(name);
    if (!info) {
      try {
        info = detectPositive(name, column(name, 'label'), positives.get(name));
      } catch (e) {
        if (e instanceof InitError) throw new InitError(`${opts.csv}: ${e.message}`);
        throw e;
      }
      labelInfo.set(name, info);
    }
    return info;
  };
  const tasks: InitTask[] = [];
  for (const a of args) {
    const info = labelOf(a.label);
    const name = specName(a.label);
    if (tasks.some((t) => t.name === name)) throw new InitError(`--task ${a.label}: task "${name}" is named twice`);
    const task: InitTask = {
      name,
      label: a.label,
      positive: info.positive,
      ...(info.negative ? { negative: info.negative } : {}),
      values: info.values,
    };
    if (a.given !== undefined) {
      column(a.given, 'sample-space column');
      task.sampleSpace = { column: a.given, equals: labelOf(a.given).positive };
    }
    tasks.push(task);
  }

  // Label columns and sample-space columns are never features.
  const notFeatures = new Set([...args.map((a) => a.label), ...args.flatMap((a) => (a.given ? [a.given] : []))]);
  const indicators: LabelIndicator[] = [...labelInfo].map(([name, info]) => {
    const c = column(name, 'label');
    return {
      column: name,
      values: Float64Array.from(c.values, (v, i) => (c.missing[i] ? NaN : isPositive(v, info.positive) ? 1 : 0)),
    };
  });
  const decisions: ColumnDecision[] = header.map((name) =>
    notFeatures.has(name)
      ? {
          kind: 'excluded',
          column: name,
          reason: args.some((a) => a.label === name) ? 'a task label' : 'a sample-space column',
        }
      : inferColumn(name, column(name, 'column'), indicators),
  );
  // non-numeric spellings inside numeric columns ('unknown', '-') are read as missing
  const naValues = [
    ...new Set([...DEFAULT_NA_VALUES, ...decisions.flatMap((d) => (d.kind === 'numeric' ? d.naSpellings : []))]),
  ];
  if (!decisions.some((d) => d.kind !== 'excluded'))
    throw new InitError(`${opts.csv}: no column is usable as a feature (all are labels, constant, ids or leaks)`);

  const specPath = resolve(opts.specPath ?? 'spec.yaml');
  const rel = (p: string) => relative(dirname(specPath), p).split('\\').join('/') || '.';
  const text = writeSpec({
    name: specName(basename(opts.specPath ?? opts.csv, extname(opts.specPath ?? opts.csv)).replace(/\.csv$/, '')),
    schemaPath: rel(SCHEMA_FILE),
    train: rel(resolve(opts.csv)),
    csv: opts.csv,
    sampledRows: table.rowCount,
    naValues,
    delimiter: opts.delimiter ?? ',',
    decisions,
    tasks,
    family: opts.family ?? 'mmoe',
  });
  return { text, decisions, tasks };
}
