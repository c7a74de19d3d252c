// Splits CSV text that arrives in chunks into rows, with the file line on which each row
// starts. Browser-safe (no node: imports): the Node reader feeds it file chunks, tests feed
// it strings.
//
// A small hand-written RFC 4180 tokenizer. It does not build a string per cell: each row is
// handed to the sink as the text plus the start/end offsets of its fields (a reused CsvRow),
// so the table builder parses numbers straight from the text and makes strings only for the
// string columns it keeps. It reproduces the rules of the papaparse parser it replaced:
//
// - The line break is the file's first one ('\n', '\r\n' or '\r'); only that sequence ends
//   a row (with '\n' files, a '\r' before it stays in the last field, as before).
// - A field is quoted only if its first character is '"'; a quote elsewhere in an unquoted
//   field is an ordinary character. In a quoted field '""' is a quote; the closing quote may
//   be followed by whitespace before the delimiter or line break; anything else after it is
//   "malformed quotes" and the field runs on to a later quote. No closing quote at all is
//   "quoted field is never closed" (the field runs to the end of the file).
// - Rows are emitted only when complete (their line break seen, or the text ended), so a
//   chunk boundary can fall anywhere, also inside quotes or between '\r' and '\n'.
//
// Line numbers: a row normally spans one line; a field may hold line breaks, and each one
// moves the next row down a line. So the next row's line = this row's line + 1 + the line
// breaks ('\r' for '\r' files, else '\n') inside this row's fields.

type Newline = '\n' | '\r\n' | '\r';

const NEVER_CLOSED = 'quoted field is never closed';
const MALFORMED = 'malformed quotes (a quote inside an unquoted field, or text after a closing quote)';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** One row, valid only during the sink call (the parser reuses it). Field `i` is
 * text[starts[i], ends[i]), with '""' to be read as '"' where escaped[i] is 1. */
export interface CsvRow {
  text: string;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  escaped: Uint8Array;
  /** File line on which the row starts (1 = the first line). */
  line: number;
  /** Why the row is malformed (quotes), if it is. */
  problem: string | undefined;
}

/** The value of field `i`. */
export function fieldText(row: CsvRow, i: number): string {
  const s = row.text.substring(row.starts[i], row.ends[i]);
  return row.escaped[i] === 1 ? s.replaceAll('""', '"') : s;
}

/** All the row's values, as strings. */
export function rowFields(row: CsvRow): string[] {
  const out = new Array<string>(row.count);
  for (let i = 0; i < row.count; i++) out[i] = fieldText(row, i);
  return out;
}

/** Receives each row; returns true to stop reading (e.g. maxRows reached). */
export type RowSink = (row: CsvRow) => boolean;

export class CsvChunkParser {
  private readonly delimiter: number;
  /** 0: '\n', 1: '\r\n', 2: '\r'; -1 while unknown. */
  private newline = -1;
  private remainder = '';
  private line = 1;
  private started = false;
  private readonly row: CsvRow = {
    text: '',
    count: 0,
    starts: new Int32Array(64),
    ends: new Int32Array(64),
    escaped: new Uint8Array(64),
    line: 1,
    problem: undefined,
  };

  constructor(delimiter: string) {
    if (delimiter.length !== 1)
      throw new Error(`CSV delimiter must be one character, got ${JSON.stringify(delimiter)}`);
    // As papaparse did: a delimiter that cannot work falls back to ','.
    this.delimiter =
      delimiter === '\r' || delimiter === '\n' || delimiter === '"' || delimiter === '\ufeff'
        ? 44
        : delimiter.charCodeAt(0);
  }

  /** Parses the complete rows now available; returns true if the sink asked to stop. */
  push(chunk: string, sink: RowSink): boolean {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // UTF-8 byte order mark
    }
    const text = flat(this.remainder + chunk);
    if (this.newline === -1) {
      const nl = detectNewline(text, false);
      if (nl === undefined) {
        this.remainder = text; // no line break seen yet: the header is not complete
        return false;
      }
      this.newline = nl === '\n' ? 0 : nl === '\r\n' ? 1 : 2;
    }
    return this.parse(text, false, sink);
  }

  /** Parses what is left after the last chunk. */
  end(sink: RowSink): boolean {
    const text = this.remainder;
    this.remainder = '';
    if (text === '') return false;
    if (this.newline === -1) {
      const nl = detectNewline(text, true) as Newline;
      this.newline = nl === '\n' ? 0 : nl === '\r\n' ? 1 : 2;
    }
    return this.parse(text, true, sink);
  }

  private growFields(): void {
    const row = this.row;
    const n = row.starts.length * 2;
    const starts = new Int32Array(n);
    starts.set(row.starts);
    const ends = new Int32Array(n);
    ends.set(row.ends);
    const escaped = new Uint8Array(n);
    escaped.set(row.escaped);
    row.starts = starts;
    row.ends = ends;
    row.escaped = escaped;
  }

  /** Emits the complete rows of `text` (all of it when `final`); keeps the rest. */
  private parse(text: string, final: boolean, sink: RowSink): boolean {
    const len = text.length;
    const d = this.delimiter;
    const nl = this.newline;
    const crlf = nl === 1;
    const nlCode = nl === 0 ? LF : CR;
    const nlLen = crlf ? 2 : 1;
    const breakCode = nl === 2 ? CR : LF;
    const row = this.row;
    row.text = text;
    let starts = row.starts;
    let ends = row.ends;
    let escaped = row.escaped;
    const nlText = nl === 0 ? '\n' : crlf ? '\r\n' : '\r';
    let nextQuote = text.indexOf('"');
    const dText = String.fromCharCode(d);
    let nextDelim = text.indexOf(dText);
    let pos = 0;
    while (pos < len) {
      // Fast path: a complete row without quotes is its text split at the delimiters.
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      const rowEnd = text.indexOf(nlText, pos);
      if (rowEnd !== -1 && (nextQuote === -1 || nextQuote > rowEnd)) {
        let count = 0;
        let p = pos;
        if (nextDelim !== -1 && nextDelim < pos) nextDelim = text.indexOf(dText, pos);
        // indexOf finds the delimiters much faster than a charCodeAt loop
        while (nextDelim !== -1 && nextDelim < rowEnd) {
          if (count === starts.length - 1) {
            this.growFields();
            starts = row.starts;
            ends = row.ends;
            escaped = row.escaped;
          }
          starts[count] = p;
          ends[count] = nextDelim;
          escaped[count++] = 0;
          p = nextDelim + 1;
          nextDelim = text.indexOf(dText, p);
        }
        starts[count] = p;
        ends[count] = rowEnd;
        escaped[count++] = 0;
        row.count = count;
        row.line = this.line;
        row.problem = undefined;
        // a lone '\n' in a '\r\n' file still starts a new line
        this.line += crlf && text.indexOf('\n', pos) < rowEnd ? 1 + countCode(text, LF, pos, rowEnd) : 1;
        pos = rowEnd + nlLen;
        if (sink(row)) {
          this.remainder = '';
          return true;
        }
        continue;
      }
      const rowStart = pos;
      let count = 0;
      let problem: string | undefined;
      let breaks = 0;
      let p = pos;
      let next = -1; // where the next row starts, once this one is complete
      for (;;) {
        if (count === starts.length) {
          this.growFields();
          starts = row.starts;
          ends = row.ends;
          escaped = row.escaped;
        }
        if (p < len && text.charCodeAt(p) === QUOTE) {
          // quoted field
          const cs = p + 1;
          let s = cs;
          let esc = 0;
          let fieldDone = false;
          for (;;) {
            const q = text.indexOf('"', s);
            if (q === -1) {
              if (!final) break; // may close in a later chunk
              if (problem === undefined) problem = NEVER_CLOSED;
              starts[count] = cs;
              ends[count] = len;
              escaped[count++] = 0;
              breaks += countCode(text, breakCode, cs, len);
              next = len;
              break;
            }
            if (q === len - 1) {
              if (!final) break; // a '""' or what follows the quote is in the next chunk
              starts[count] = cs;
              ends[count] = q;
              escaped[count++] = esc;
              breaks += countCode(text, breakCode, cs, q);
              next = len;
              break;
            }
            if (text.charCodeAt(q + 1) === QUOTE) {
              esc = 1;
              s = q + 2;
              continue;
            }
            // a closing quote if only whitespace comes before the delimiter or line break
            let j = q + 1;
            let atBreak = false;
            for (; j < len; j++) {
              const c = text.charCodeAt(j);
              if (c === d) break;
              if (c === nlCode && (!crlf || (j + 1 < len && text.charCodeAt(j + 1) === LF))) {
                atBreak = true;
                break;
              }
              if (!isTrimSpace(c)) {
                j = len;
                break;
              }
            }
            if (j < len) {
              starts[count] = cs;
              ends[count] = q;
              escaped[count++] = esc;
              breaks += countCode(text, breakCode, cs, q);
              if (atBreak) next = j + nlLen;
              else {
                p = j + 1;
                fieldDone = true;
              }
              break;
            }
            if (problem === undefined) problem = MALFORMED;
            s = q + 2;
          }
          if (fieldDone) continue;
          break; // row complete (next set) or incomplete (next -1)
        }
        // unquoted field
        let i = p;
        let atBreak = false;
        while (i < len) {
          const c = text.charCodeAt(i);
          if (c === d) break;
          if (c === nlCode) {
            if (!crlf) {
              atBreak = true;
              break;
            }
            if (i + 1 < len && text.charCodeAt(i + 1) === LF) {
              atBreak = true;
              break;
            }
          } else if (c === LF && crlf) breaks++; // a lone '\n' in a '\r\n' file
          i++;
        }
        if (i === len) {
          if (!final) break; // incomplete row
          starts[count] = p;
          ends[count] = len;
          escaped[count++] = 0;
          next = len;
          break;
        }
        starts[count] = p;
        ends[count] = i;
        escaped[count++] = 0;
        if (atBreak) {
          next = i + nlLen;
          break;
        }
        p = i + 1;
      }
      if (next === -1) {
        this.remainder = text.substring(rowStart);
        return false;
      }
      row.count = count;
      row.line = this.line;
      row.problem = problem;
      this.line += 1 + breaks;
      pos = next;
      if (sink(row)) {
        this.remainder = '';
        return true;
      }
    }
    this.remainder = '';
    return false;
  }
}

/** The same string, flattened: V8 keeps `a + b` as a rope, and reading a rope character by
 * character is slower. Converting a string to a number flattens it first. */
function flat(text: string): string {
  void Number(text);
  return text;
}

function countCode(text: string, code: number, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) n++;
  return n;
}

/** The characters String.prototype.trim removes. */
function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
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
