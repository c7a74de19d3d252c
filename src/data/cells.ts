// Reading one cell of either column kind the way the pipeline and the labels need it: as a
// number (a string column is parsed strictly; a bad cell is an error at its row), as a token
// (a number is written the way String() writes it, so 3 and "3" are the same category), or
// compared with a spec value (`positive`, `sampleSpace.equals`).
import { DataError } from './errors.js';
import { rowLocation, type Column, type Table } from './table.js';

/** Strict number parsing: finite numbers only; '' and whitespace are not 0. NaN if invalid. */
export function parseNumberCell(cell: string): number {
  const n = +cell;
  if (n === n && n !== Infinity && n !== -Infinity && (n !== 0 || cell.trim() !== '')) return n;
  return NaN;
}

/** The number in a present cell; a string cell that is not a number is an error naming the row. */
export function cellNumber(table: Table, col: Column, i: number, usedBy: string): number {
  if (col.kind === 'number') return col.values[i];
  const n = parseNumberCell(col.values[i]);
  if (n !== n)
    throw new DataError(`${rowLocation(table, i)}: ${usedBy}: ${JSON.stringify(col.values[i])} is not a number`);
  return n;
}

/** A present cell as a category token. */
export function cellToken(col: Column, i: number): string {
  return col.kind === 'string' ? col.values[i] : String(col.values[i]);
}

/**
 * Whether a present cell equals a spec value. Numbers compare numerically ("1.0" matches 1),
 * strings exactly, and `true` / `false` match 1 / 0 and "true" / "false" (any case), so a
 * default `positive` works for 0/1 columns of either kind and for true/false columns.
 */
export function cellEquals(col: Column, i: number, target: string | number | boolean): boolean {
  if (col.kind === 'number') {
    const v = col.values[i];
    if (typeof target === 'number') return v === target;
    if (typeof target === 'boolean') return v === (target ? 1 : 0);
    const t = parseNumberCell(target);
    return t === v;
  }
  const s = col.values[i];
  if (typeof target === 'string') return s === target;
  if (typeof target === 'number') return s === String(target) || parseNumberCell(s) === target;
  return s.toLowerCase() === String(target) || parseNumberCell(s) === (target ? 1 : 0);
}

/** Whether a spec value can ever equal a cell of this column kind (catches `positive: ">50K"`
 * on a number column, which would silently give all-zero labels). */
export function canEqual(col: Column, target: string | number | boolean): boolean {
  return col.kind === 'string' || typeof target !== 'string' || !Number.isNaN(parseNumberCell(target));
}
