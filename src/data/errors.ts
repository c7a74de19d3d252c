// One error class for everything the data layer rejects (bad CSV rows, missing columns, a
// missing value under policy `error`, a malformed pipeline manifest). Its message is a
// complete one-line explanation, usually starting with `<file>:<line>:` or `row N:`, so a CLI
// can print `error.message` alone, without a stack.

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

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
