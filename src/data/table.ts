// The in-memory table every data source produces and the pipeline reads: named columns of one
// length. Numbers live in Float64Arrays (one allocation per column, no boxing; the pipeline
// converts to Float32 at the end, after normalisation). Strings stay JS strings.
//
// Missing cells: every column has a `missing` byte per row (1 = missing). The value slot of a
// missing cell holds NaN (number columns) or '' (string columns): a number column read
// without looking at `missing` then shows NaN in the loss instead of a silently wrong 0.
//
// A table may remember where its rows came from (`origin`: the file and the 1-based line of
// each row), so errors found later, e.g. by the feature pipeline, can still say `file:line`.
import { DataError } from './errors.js';
import { Rng, deriveSeed } from './random.js';

export type ColumnType = 'number' | 'string';

/** The spec's default `data.csv.naValues`: cells read as missing. */
export const DEFAULT_NA_VALUES: readonly string[] = ['', 'NA', '?'];

export interface NumberColumn {
  readonly kind: 'number';
  readonly values: Float64Array;
  readonly missing: Uint8Array;
}

export interface StringColumn {
  readonly kind: 'string';
  readonly values: readonly string[];
  readonly missing: Uint8Array;
}

export type Column = NumberColumn | StringColumn;

export interface RowOrigin {
  /** The file as the user named it (never made absolute). */
  readonly file: string;
  /** Line in `file` where each row starts (1-based; the header is line 1). */
  readonly lines: Uint32Array;
}

export interface Table {
  readonly rowCount: number;
  readonly columns: ReadonlyMap<string, Column>;
  readonly origin?: RowOrigin;
}

/** A number column; NaN entries (and entries flagged in `missing`) are missing. */
export function numberColumn(values: ArrayLike<number>, missing?: ArrayLike<number>): NumberColumn {
  const v = Float64Array.from(values);
  const m = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i]) || (missing !== undefined && missing[i])) {
      m[i] = 1;
      v[i] = NaN;
    }
  }
  return { kind: 'number', values: v, missing: m };
}

/** A string column; null / undefined entries are missing. An empty string is a value. */
export function stringColumn(values: readonly (string | null | undefined)[]): StringColumn {
  const v = new Array<string>(values.length);
  const m = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === null || x === undefined) {
      m[i] = 1;
      v[i] = '';
    } else {
      v[i] = x;
    }
  }
  return { kind: 'string', values: v, missing: m };
}

/** Builds a table, checking that all columns have the same length. */
export function createTable(
  columns: ReadonlyMap<string, Column> | Readonly<Record<string, Column>>,
  origin?: RowOrigin,
): Table {
  const map = columns instanceof Map ? new Map(columns) : new Map(Object.entries(columns));
  let rowCount: number | undefined;
  for (const [name, col] of map) {
    if (col.values.length !== col.missing.length) {
      throw new DataError(`column "${name}": ${col.values.length} values but ${col.missing.length} missing flags`);
    }
    if (rowCount === undefined) rowCount = col.values.length;
    else if (col.values.length !== rowCount) {
      throw new DataError(`column "${name}" has ${col.values.length} rows, the others ${rowCount}`);
    }
  }
  rowCount ??= origin?.lines.length ?? 0;
  if (origin !== undefined && origin.lines.length !== rowCount) {
    throw new DataError(`origin has ${origin.lines.length} lines for ${rowCount} rows`);
  }
  return origin === undefined ? { rowCount, columns: map } : { rowCount, columns: map, origin };
}

/** The column `name`, or an error that lists the columns there are. */
export function getColumn(table: Table, name: string, usedBy?: string): Column {
  const col = table.columns.get(name);
  if (col === undefined) {
    const who = usedBy === undefined ? '' : `${usedBy}: `;
    const have = [...table.columns.keys()].join(', ') || '(none)';
    throw new DataError(`${who}column "${name}" not found; the data has: ${have}`);
  }
  return col;
}

/** Where row `i` came from, for messages: `file:line`, else `row <i+1>`. */
export function rowLocation(table: Table, i: number): string {
  return table.origin === undefined ? `row ${i + 1}` : `${table.origin.file}:${table.origin.lines[i]}`;
}

/** A new table holding the given rows (any order, repeats allowed) of every column. */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    if (!(r >= 0 && r < table.rowCount) || !Number.isInteger(r)) {
      throw new RangeError(`selectRows: row index ${r} outside 0..${table.rowCount - 1}`);
    }
  }
  const columns = new Map<string, Column>();
  for (const [name, col] of table.columns) {
    const missing = new Uint8Array(n);
    for (let k = 0; k < n; k++) missing[k] = col.missing[rows[k]];
    if (col.kind === 'number') {
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) values[k] = col.values[rows[k]];
      columns.set(name, { kind: 'number', values, missing });
    } else {
      const values = new Array<string>(n);
      for (let k = 0; k < n; k++) values[k] = col.values[rows[k]];
      columns.set(name, { kind: 'string', values, missing });
    }
  }
  if (table.origin === undefined) return { rowCount: n, columns };
  const lines = new Uint32Array(n);
  for (let k = 0; k < n; k++) lines[k] = table.origin.lines[rows[k]];
  return { rowCount: n, columns, origin: { file: table.origin.file, lines } };
}

export interface RowSplit {
  /** Rows not held out, ascending. */
  readonly kept: Uint32Array;
  /** round(fraction * rowCount) rows, ascending. */
  readonly heldOut: Uint32Array;
}

/**
 * A seeded random split of row indices 0..rowCount-1. `label` names the split ('test',
 * 'validation', ...) so that different splits from one seed use independent streams. Both
 * parts are sorted, so the rows keep their file order (stable output, readable line numbers).
 */
export function seededSplit(rowCount: number, fraction: number, seed: number, label: string): RowSplit {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`split fraction must be in [0, 1], got ${fraction}`);
  const perm = new Rng(deriveSeed(seed, `split:${label}`)).permutation(rowCount);
  const k = Math.round(fraction * rowCount);
  return { heldOut: perm.slice(0, k).sort(), kept: perm.slice(k).sort() };
}

/** `seededSplit` applied to a table: e.g. train/test with label 'test', train/validation with 'validation'. */
export function splitTable(
  table: Table,
  fraction: number,
  seed: number,
  label: string,
): { kept: Table; heldOut: Table } {
  const split = seededSplit(table.rowCount, fraction, seed, label);
  return { kept: selectRows(table, split.kept), heldOut: selectRows(table, split.heldOut) };
}
