// One error class for everything the data layer rejects (bad CSV rows, missing columns, a
// missing value under policy `error`, a malformed pipeline manifest). Its message is a
// complete one-line explanation, usually starting with `<file>:<line>:` or `row N:`, so a CLI
// can print `error.message` alone, without a stack.

import type { DiagnosticCode } from '../util/catalogue.js';

export class DataError extends Error {
  /** When the problem is about a spec setting rather than a row (an empty split, a constant
   * label): the spec path to point at and the catalogue code, so train reports it located. */
  constructor(
    message: string,
    readonly at?: { path: string; code: DataErrorCode },
  ) {
    super(message);
    this.name = 'DataError';
  }
}

export type DataErrorCode = Extract<DiagnosticCode, 'data-split' | 'data-constant-label'>;

/** A CSV problem at a place in a file: `<file>:<line>: <what>` (line 1 is the header), or
 * `<file>: <what>` for the file as a whole (not found, not gzip, empty). */
export class CsvError extends DataError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'CsvError';
  }
}
