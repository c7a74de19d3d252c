// Turns CSV rows (from CsvChunkParser) into a typed column Table: the header names the
// columns, each kept column is a number or string column, NA spellings become missing cells,
// and a malformed row either stops the read with `<file>:<line>: <what>` or is skipped and
// counted. Browser-safe; `readCsv` in csv.ts adds the file I/O.
//
// A number cell that is not an NA spelling and does not parse is an error, never a NaN.
import { parseNumberCell } from './cells.js';
import { CsvChunkParser, fieldText, rowFields, type CsvRow } from './csv-chunks.js';
import { CsvError } from './errors.js';
import { DEFAULT_NA_VALUES, createTable, type Column, type ColumnType, type Table } from './table.js';

export { DEFAULT_NA_VALUES } from './table.js';

export interface CsvReadOptions {
  /** One character; default ','. */
  delimiter?: string;
  /** Cells read as missing; default ['', 'NA', '?']. Compared exactly (no trimming). */
  naValues?: readonly string[];
  /** Column types, normally derived from the features that read each column. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Columns not in `types`: kept as strings (default; labels and sample-space columns
   * stay available) or dropped (saves memory on wide files). */
  otherColumns?: 'string' | 'drop';
  /** Stop after this many good data rows. */
  maxRows?: number;
  /** 'error' (default): the first bad row stops the read; 'skip': bad rows are dropped and counted. */
  badRows?: 'error' | 'skip';
  /** How many skip reasons to keep for the report; default 10. */
  maxSkipReasons?: number;
  /** false: a column of `types` absent from the header is not an error (it is just not in the
   * table; validate reports it at the spec line). Default true. */
  requireColumns?: boolean;
  /** Text encoding of the file (readCsv): 'utf-8' (default; an invalid byte is an error at
   * its line) or 'latin1'. */
  encoding?: 'utf-8' | 'latin1';
}

export interface CsvReadResult {
  table: Table;
  /** Column names from the header row, in file order (dropped columns included). */
  header: string[];
  /** Rows dropped under badRows 'skip'. */
  skipped: number;
  /** The first few reasons, each `<file>:<line>: <what>`. */
  skipReasons: string[];
}

const DEFAULT_MAX_SKIP_REASONS = 10;

// A growable column: rows are written at index `count` and only committed when the whole row
// was good, so a skipped bad row leaves nothing behind.
interface NumberSlot {
  kind: 'number';
  name: string;
  index: number;
  values: Float64Array;
  missing: Uint8Array;
}
interface StringSlot {
  kind: 'string';
  name: string;
  index: number;
  values: string[];
  missing: Uint8Array;
  /** Recent values by hash, so a repeated category is one string, not one per row. */
  cache: string[];
}
type Slot = NumberSlot | StringSlot;

export class CsvTableBuilder {
  private header: string[] | undefined;
  private slots: Slot[] = [];
  private numberSlots: NumberSlot[] = [];
  private stringSlots: StringSlot[] = [];
  private lines = new Uint32Array(1024);
  private count = 0;
  private skipped = 0;
  private readonly skipReasons: string[] = [];
  private readonly na: Set<string>;
  /** The naValues by length, for matching cells in place. */
  private readonly naByLength: (string[] | undefined)[] = [];
  private readonly maxRows: number;

  constructor(
    private readonly file: string,
    private readonly options: CsvReadOptions = {},
  ) {
    this.na = new Set(options.naValues ?? DEFAULT_NA_VALUES);
    for (const na of this.na) {
      while (this.naByLength.length <= na.length) this.naByLength.push(undefined);
      (this.naByLength[na.length] ??= []).push(na);
    }
    this.maxRows = options.maxRows ?? Infinity;
    if (this.maxRows === 0) this.lines = new Uint32Array(0);
  }

  /** A RowSink: returns true once maxRows rows are in. */
  readonly addRow = (row: CsvRow): boolean => {
    const line = row.line;
    if (this.header === undefined) {
      this.setHeader(rowFields(row), line, row.problem);
      return this.maxRows === 0;
    }
    if (row.problem !== undefined) return this.bad(line, row.problem);
    const { text, starts, ends, escaped } = row;
    // A blank line is skipped, even in a one-column file (as pandas does): a trailing blank
    // line is common and is not a missing value.
    if (row.count === 1 && starts[0] === ends[0]) return false;
    const width = this.header.length;
    if (row.count !== width) return this.bad(line, `expected ${width} fields, found ${row.count}`);
    this.ensureCapacity();
    const r = this.count;
    // Number columns first: only they can reject the row (and in column order, so the error is
    // the one for the leftmost bad cell); a rejected row is not committed, so nothing written
    // here for it matters.
    const numberSlots = this.numberSlots;
    for (let k = 0; k < numberSlots.length; k++) {
      const slot = numberSlots[k];
      const index = slot.index;
      const s = starts[index];
      const e = ends[index];
      let n: number;
      if (escaped[index] === 1) {
        // a quoted cell with '""' in it: the rare general path
        const cell = fieldText(row, index);
        if (this.na.has(cell)) {
          slot.missing[r] = 1;
          slot.values[r] = NaN;
          continue;
        }
        n = parseNumberCell(cell);
        if (n !== n) return this.notANumber(line, slot, cell);
      } else {
        if (this.isNa(text, s, e)) {
          slot.missing[r] = 1;
          slot.values[r] = NaN;
          continue;
        }
        n = parseDecimal(text, s, e);
        if (n !== n) {
          const cell = text.substring(s, e);
          n = parseNumberCell(cell);
          if (n !== n) return this.notANumber(line, slot, cell);
        }
      }
      slot.missing[r] = 0;
      slot.values[r] = n;
    }
    const stringSlots = this.stringSlots;
    for (let k = 0; k < stringSlots.length; k++) {
      const slot = stringSlots[k];
      const index = slot.index;
      const s = starts[index];
      const e = ends[index];
      if (escaped[index] === 1) {
        const cell = fieldText(row, index);
        const na = this.na.has(cell);
        slot.missing[r] = na ? 1 : 0;
        slot.values[r] = na ? '' : cell;
      } else if (this.isNa(text, s, e)) {
        slot.missing[r] = 1;
        slot.values[r] = '';
      } else {
        slot.missing[r] = 0;
        slot.values[r] = intern(slot.cache, text, s, e);
      }
    }
    this.lines[r] = line;
    this.count++;
    return this.count >= this.maxRows;
  };

  /** Whether text[s, e) is one of the naValues, without making a string of it. */
  private isNa(text: string, s: number, e: number): boolean {
    const n = e - s;
    if (n >= this.naByLength.length) return false;
    const spellings = this.naByLength[n];
    if (spellings === undefined) return false;
    if (n === 0) return true;
    for (const na of spellings) {
      if (n === 1 ? text.charCodeAt(s) === na.charCodeAt(0) : text.startsWith(na, s)) return true;
    }
    return false;
  }

  private notANumber(line: number, slot: NumberSlot, cell: string): boolean {
    return this.bad(line, `column "${slot.name}": ${quote(cell)} is not a number${this.naHint()}`);
  }

  finish(): CsvReadResult {
    if (this.header === undefined)
      throw new CsvError(this.file, undefined, 'the file is empty (expected a header row)');
    const n = this.count;
    const columns = new Map<string, Column>();
    for (const slot of this.slots) {
      const missing = slot.missing.slice(0, n);
      if (slot.kind === 'number') columns.set(slot.name, { kind: 'number', values: slot.values.slice(0, n), missing });
      else {
        slot.values.length = n;
        columns.set(slot.name, { kind: 'string', values: slot.values, missing });
      }
    }
    return {
      table: createTable(columns, { file: this.file, lines: this.lines.slice(0, n) }),
      header: this.header,
      skipped: this.skipped,
      skipReasons: this.skipReasons,
    };
  }

  private setHeader(fields: string[], line: number, problem: string | undefined): void {
    if (problem !== undefined) throw new CsvError(this.file, line, `header row: ${problem}`);
    const types = this.options.types ?? {};
    const dropOthers = this.options.otherColumns === 'drop';
    const seen = new Map<string, number>();
    fields.forEach((name, index) => {
      const first = seen.get(name);
      if (first !== undefined && name !== '') {
        throw new CsvError(
          this.file,
          line,
          `duplicate column name ${quote(name)} (columns ${first + 1} and ${index + 1})`,
        );
      }
      seen.set(name, index);
      const kind = Object.hasOwn(types, name) ? types[name] : dropOthers ? undefined : 'string';
      if (kind === undefined) return;
      if (name === '') {
        throw new CsvError(
          this.file,
          line,
          `column ${index + 1} has no name in the header (use otherColumns: 'drop' to ignore unnamed columns)`,
        );
      }
      const capacity = this.lines.length;
      if (kind === 'number') {
        const slot: NumberSlot = {
          kind,
          name,
          index,
          values: new Float64Array(capacity),
          missing: new Uint8Array(capacity),
        };
        this.slots.push(slot);
        this.numberSlots.push(slot);
      } else {
        const slot: StringSlot = {
          kind,
          name,
          index,
          values: [],
          missing: new Uint8Array(capacity),
          cache: new Array<string>(CACHE_SIZE).fill(''),
        };
        this.slots.push(slot);
        this.stringSlots.push(slot);
      }
    });
    const absent = Object.keys(types).filter((name) => !seen.has(name));
    if (absent.length > 0 && this.options.requireColumns !== false) {
      throw new CsvError(
        this.file,
        line,
        `column${absent.length > 1 ? 's' : ''} ${absent.map(quote).join(', ')} not in the header; the header has: ${fields.join(', ')}`,
      );
    }
    this.header = fields;
  }

  private bad(line: number, reason: string): boolean {
    if (this.options.badRows !== 'skip') throw new CsvError(this.file, line, reason);
    this.skipped++;
    if (this.skipReasons.length < (this.options.maxSkipReasons ?? DEFAULT_MAX_SKIP_REASONS)) {
      this.skipReasons.push(`${this.file}:${line}: ${reason}`);
    }
    return false;
  }

  private ensureCapacity(): void {
    if (this.count < this.lines.length) return;
    const capacity = Math.max(1024, this.lines.length * 2);
    this.lines = grow(this.lines, capacity);
    for (const slot of this.slots) {
      slot.missing = grow(slot.missing, capacity);
      if (slot.kind === 'number') slot.values = grow(slot.values, capacity);
    }
  }

  private naHint(): string {
    return this.na.size === 0 ? '' : ` (missing values are written ${[...this.na].map(quote).join(', ')})`;
  }
}

function grow<T extends Float64Array | Uint8Array | Uint32Array>(array: T, capacity: number): T {
  const out = new (array.constructor as new (n: number) => T)(capacity);
  out.set(array);
  return out;
}

const CACHE_SIZE = 1024;
const CACHE_MAX_LENGTH = 64;

/** text[s, e) as a string: the cached one if the same text was seen recently in this column
 * (saves allocating, and collecting, a string per cell of a category column). */
function intern(cache: string[], text: string, s: number, e: number): string {
  const n = e - s;
  if (n > CACHE_MAX_LENGTH) return text.substring(s, e);
  // a cheap hash (length and three characters); a collision only costs a fresh string
  let h = n;
  if (n > 0) h = h * 961 + text.charCodeAt(s) * 31 + text.charCodeAt(s + (n >> 1)) * 7 + text.charCodeAt(e - 1);
  h = (h ^ (h >>> 10)) & (CACHE_SIZE - 1);
  const cached = cache[h];
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === text.charCodeAt(s + i)) i++;
    if (i === n) return cached;
  }
  // a copy of its own, not a slice of the chunk: keeps the chunk collectable and the
  // comparisons above fast
  const value = n < 13 ? text.substring(s, e) : (' ' + text.substring(s, e)).slice(1);
  cache[h] = value;
  return value;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * text[s, e) as a number when it is a plain decimal (`-12`, `3.25`, `.5`, `1e-3`; at most 15
 * digits), else NaN: the caller then falls back to parseNumberCell, which decides. The result
 * equals Number(cell): the digits make an exact integer below 2^53 and one multiplication or
 * division by an exact power of ten (up to 1e22) is correctly rounded.
 */
export function parseDecimal(text: string, s: number, e: number): number {
  let i = s;
  if (i === e) return NaN;
  let c = text.charCodeAt(i);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    if (++i === e) return NaN;
    c = text.charCodeAt(i);
  }
  let m = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    digits++;
    if (++i === e) break;
    c = text.charCodeAt(i);
  }
  let scale = 0;
  if (i < e && c === 46) {
    const dot = i;
    while (++i < e) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      m = m * 10 + (c - 48);
      digits++;
    }
    scale = i - dot - 1;
  }
  if (digits === 0 || digits > 15) return NaN;
  if (i < e) {
    if (c !== 101 && c !== 69) return NaN;
    if (++i === e) return NaN;
    c = text.charCodeAt(i);
    let expNegative = false;
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      if (++i === e) return NaN;
      c = text.charCodeAt(i);
    }
    let exp = 0;
    const expStart = i;
    while (i < e) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      exp = exp * 10 + (c - 48);
      if (exp > 1000) return NaN;
      i++;
    }
    if (i === expStart) return NaN;
    scale -= expNegative ? -exp : exp;
  }
  let v: number;
  if (scale === 0) v = m;
  else if (scale > 0 && scale <= 22) v = m / POW10[scale];
  else if (scale < 0 && scale >= -22) v = m * POW10[-scale];
  else return NaN;
  return negative ? -v : v;
}

function quote(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 37)}...` : cell);
}

/** Parses a whole CSV text already in memory (tests, browsers); see readCsv for files. */
export function parseCsvText(text: string, file: string, options: CsvReadOptions = {}): CsvReadResult {
  const parser = new CsvChunkParser(options.delimiter ?? ',');
  const builder = new CsvTableBuilder(file, options);
  if (!parser.push(text, builder.addRow)) parser.end(builder.addRow);
  return builder.finish();
}
