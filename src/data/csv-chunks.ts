// Splits CSV text that arrives in chunks into rows, with the file line on which each row
// starts. Browser-safe (no node: imports): the Node reader feeds it file chunks, tests feed
// it strings.
//
// Why not Papa.parse(stream): its stream mode calls back from inside the stream's 'data'
// handler, so a thrown error escapes as an uncaught exception, and it does not report where
// a row starts. Driving papaparse's core `Parser` ourselves (the same "parse what is
// complete, keep the partial last row" loop its ChunkStreamer uses) keeps control flow
// ordinary: rows come out of `push`, errors are thrown to our caller.
//
// Line numbers: a row normally spans one line; a quoted field may hold line breaks, and each
// one moves the next row down a line. So the next row's line = this row's line + 1 + the
// line breaks inside this row's fields (counted only when the text had quotes at all).
import Papa from 'papaparse';

type Newline = '\n' | '\r\n' | '\r';

/** Receives each row; returns true to stop reading (e.g. maxRows reached). */
export type RowSink = (fields: string[], line: number, problem: string | undefined) => boolean;

interface PapaError {
  code: string;
  row: number;
}

interface PapaResult {
  data: string[][];
  errors: PapaError[];
  meta: { cursor: number };
}

export class CsvChunkParser {
  private parser: Papa.Parser | undefined;
  private newline: Newline | undefined;
  private remainder = '';
  private line = 1;
  private started = false;

  constructor(private readonly delimiter: string) {}

  /** Parses the complete rows now available; returns true if the sink asked to stop. */
  push(chunk: string, sink: RowSink): boolean {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // UTF-8 byte order mark
    }
    const text = this.remainder + chunk;
    const parser = this.parserFor(text, false);
    if (parser === undefined) {
      this.remainder = text; // no line break seen yet: the header is not complete
      return false;
    }
    const result = parser.parse(text, 0, true) as PapaResult;
    this.remainder = text.substring(result.meta.cursor);
    return this.emit(result, text, sink);
  }

  /** Parses what is left after the last chunk. */
  end(sink: RowSink): boolean {
    const text = this.remainder;
    this.remainder = '';
    if (text === '') return false;
    const parser = this.parserFor(text, true) as Papa.Parser;
    return this.emit(parser.parse(text, 0, false) as PapaResult, text, sink);
  }

  private emit(result: PapaResult, text: string, sink: RowSink): boolean {
    const problems = new Map<number, string>();
    for (const e of result.errors) {
      // Papa reports the index of the row being built; errors of the partial last row (not
      // in `data`) are reported again when that row is complete.
      if (e.row < result.data.length && !problems.has(e.row)) {
        problems.set(e.row, e.code === 'MissingQuotes' ? 'quoted field is never closed' : 'malformed quotes (a quote inside an unquoted field, or text after a closing quote)');
      }
    }
    const countBreaks = text.indexOf('"') !== -1;
    const breakChar = this.newline === '\r' ? '\r' : '\n';
    const rows = result.data;
    for (let r = 0; r < rows.length; r++) {
      const fields = rows[r];
      const line = this.line;
      let span = 1;
      if (countBreaks) {
        for (const f of fields) {
          for (let at = f.indexOf(breakChar); at !== -1; at = f.indexOf(breakChar, at + 1)) span++;
        }
      }
      this.line += span;
      if (sink(fields, line, problems.get(r))) return true;
    }
    return false;
  }

  private parserFor(text: string, final: boolean): Papa.Parser | undefined {
    if (this.parser !== undefined) return this.parser;
    const newline = detectNewline(text, final);
    if (newline === undefined) return undefined;
    this.newline = newline;
    this.parser = new Papa.Parser({ delimiter: this.delimiter, newline, quoteChar: '"', escapeChar: '"', comments: false });
    return this.parser;
  }
}

/** The file's line break, from the first one in the text; undefined while still unknown. */
function detectNewline(text: string, final: boolean): Newline | undefined {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (lf !== -1 && (cr === -1 || cr >= lf - 1)) return cr === lf - 1 ? '\r\n' : '\n';
  // A '\r' at the very end may be the first half of '\r\n' split across chunks: wait.
  if (cr !== -1 && (cr < text.length - 1 || final)) return '\r';
  return final ? '\n' : undefined;
}
