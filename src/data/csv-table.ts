// Turns CSV rows (from CsvChunkParser) into a typed column Table: the header names the
// columns, each kept column is a number or string column, NA spellings become missing cells,
// and a malformed row either stops the read with `<file>:<line>: <what>` or is skipped and
// counted. Browser-safe; `readCsv` in csv.ts adds the file I/O.
//
// A number cell that is not an NA spelling and does not parse is an error, never a NaN.
import { parseNumberCell } from './cells.js';
import { CsvChunkParser } from './csv-chunks.js';
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
}
type Slot = NumberSlot | StringSlot;

export class CsvTableBuilder {
  private header: string[] | undefined;
  private slots: Slot[] = [];
  private lines = new Uint32Array(1024);
  private count = 0;
  private skipped = 0;
  private readonly skipReasons: string[] = [];
  private readonly na: Set<string>;
  private readonly maxRows: number;

  constructor(
    private readonly file: string,
    private readonly options: CsvReadOptions = {},
  ) {
    this.na = new Set(options.naValues ?? DEFAULT_NA_VALUES);
    this.maxRows = options.maxRows ?? Infinity;
    if (this.maxRows === 0) this.lines = new Uint32Array(0);
  }

  /** A RowSink: returns true once maxRows rows are in. */
  readonly addRow = (fields: string[], line: number, problem: string | undefined): boolean => {
    if (this.header === undefined) {
      this.setHeader(fields, line, problem);
      return this.maxRows === 0;
    }
    if (problem !== undefined) return this.bad(line, problem);
    // A blank line is skipped, even in a one-column file (as pandas does): a trailing blank
    // line is common and is not a missing value.
    if (fields.length === 1 && fields[0] === '') return false;
    const width = this.header.length;
    if (fields.length !== width) return this.bad(line, `expected ${width} fields, found ${fields.length}`);
    this.ensureCapacity();
    const row = this.count;
    for (const slot of this.slots) {
      const cell = fields[slot.index];
      if (this.na.has(cell)) {
        slot.missing[row] = 1;
        if (slot.kind === 'number') slot.values[row] = NaN;
        else slot.values[row] = '';
        continue;
      }
      slot.missing[row] = 0;
      if (slot.kind === 'string') {
        slot.values[row] = cell;
        continue;
      }
      const n = parseNumberCell(cell);
      if (n !== n) return this.bad(line, `column "${slot.name}": ${quote(cell)} is not a number${this.naHint()}`);
      slot.values[row] = n;
    }
    this.lines[row] = line;
    this.count++;
    return this.count >= this.maxRows;
  };

  finish(): CsvReadResult {
    if (this.header === undefined) throw new CsvError(this.file, undefined, 'the file is empty (expected a header row)');
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
        throw new CsvError(this.file, line, `duplicate column name ${quote(name)} (columns ${first + 1} and ${index + 1})`);
      }
      seen.set(name, index);
      const kind = Object.hasOwn(types, name) ? types[name] : dropOthers ? undefined : 'string';
      if (kind === undefined) return;
      if (name === '') {
        throw new CsvError(this.file, line, `column ${index + 1} has no name in the header (use otherColumns: 'drop' to ignore unnamed columns)`);
      }
      const capacity = this.lines.length;
      this.slots.push(
        kind === 'number'
          ? { kind, name, index, values: new Float64Array(capacity), missing: new Uint8Array(capacity) }
          : { kind, name, index, values: [], missing: new Uint8Array(capacity) },
      );
    });
    const absent = Object.keys(types).filter((name) => !seen.has(name));
    if (absent.length > 0) {
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
