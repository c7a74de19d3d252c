// Reads a CSV file (or a gzip-compressed `.gz` one) into a Table, streaming: the file is read
// in chunks, so memory holds the columns, not the text. Node only (node:fs, node:zlib); the
// parsing itself is browser-safe (csv-chunks.ts, csv-table.ts).
//
// Every failure is one line: `<file>: file not found`, `<file>: is a directory ...`,
// `<file>:<line>: expected 15 fields, found 14`, never a stack trace from a stream.
import { isUtf8 } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { completeUtf8Length, firstInvalidUtf8 } from './utf8.js';
import { CsvChunkParser } from './csv-chunks.js';
import { CsvTableBuilder, type CsvReadOptions, type CsvReadResult } from './csv-table.js';
import { CsvError, DataError } from './errors.js';

export { DEFAULT_NA_VALUES, parseCsvText, type CsvReadOptions, type CsvReadResult } from './csv-table.js';
export { CsvError } from './errors.js';

const READ_CHUNK = 1 << 20;

/** Reads `file` (`.gz`: gunzipped on the fly). Messages name `file` exactly as given. */
export async function readCsv(file: string, options: CsvReadOptions = {}): Promise<CsvReadResult> {
  await checkIsFile(file);
  const { raw, bytes: text } = openBytes(file);
  // utf-8: each chunk is checked (node:buffer isUtf8, native and about free) before it is
  // decoded, so an invalid byte is an error, never a U+FFFD that would merge distinct
  // categories; a character cut by the chunk boundary waits for the next chunk.
  // latin1: every byte is the character of the same code.
  const latin1 = options.encoding === 'latin1';
  let carry: Buffer | undefined;
  const decode = (bytes: Buffer | undefined): string => {
    if (latin1) return bytes === undefined ? '' : bytes.toString('latin1');
    if (bytes === undefined) {
      if (carry !== undefined && carry.length > 0) throw new InvalidUtf8();
      return '';
    }
    const buf = carry !== undefined && carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
    const cut = completeUtf8Length(buf);
    if (!isUtf8(buf.subarray(0, cut))) throw new InvalidUtf8();
    carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : undefined;
    return buf.toString('utf8', 0, cut);
  };

  const parser = new CsvChunkParser(options.delimiter ?? ',');
  const builder = new CsvTableBuilder(file, options);
  try {
    let stopped = false;
    for await (const chunk of text) {
      if (parser.push(decode(chunk as Buffer), builder.addRow)) {
        stopped = true;
        break;
      }
    }
    if (!stopped) {
      const rest = decode(undefined);
      if (rest !== '' && parser.push(rest, builder.addRow)) stopped = true;
      if (!stopped) parser.end(builder.addRow);
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    if (err instanceof InvalidUtf8) throw await invalidUtf8Error(file);
    throw new CsvError(file, undefined, describeReadError(err));
  } finally {
    raw.destroy();
    text.destroy();
  }
  return builder.finish();
}

/** The file's bytes as a stream (`.gz`: gunzipped on the fly), and the raw file stream to
 * destroy when done. */
function openBytes(file: string): { raw: Readable; bytes: Readable } {
  // Large reads: fewer chunks to decode, concatenate and iterate (measured: 64 KiB chunks
  // cost about twice the time of 1 MiB ones on a 52 MB file).
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK });
  if (!file.endsWith('.gz')) return { raw, bytes: raw };
  const gunzip = createGunzip({ chunkSize: READ_CHUNK });
  // pipe() does not forward errors; a read error must still end the reading loop.
  raw.on('error', (err) => gunzip.destroy(err));
  return { raw, bytes: raw.pipe(gunzip) };
}

class InvalidUtf8 extends Error {}

/** Where the first invalid UTF-8 byte is: the file is read again from the start (this is the
 * failure path only), counting line breaks up to that byte. */
async function invalidUtf8Error(file: string): Promise<CsvError> {
  const { raw, bytes } = openBytes(file);
  let line = 1;
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0); // the bytes of a character cut by the chunk boundary
  try {
    for await (const chunk of bytes) {
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const r = firstInvalidUtf8(buf, false);
      const scanned = r.invalid ?? r.complete;
      for (let i = buf.indexOf(10); i !== -1 && i < scanned; i = buf.indexOf(10, i + 1)) line++;
      if (r.invalid !== undefined) return utf8Error(file, line, offset + r.invalid, buf[r.invalid]);
      offset += r.complete;
      carry = buf.subarray(r.complete);
    }
  } finally {
    raw.destroy();
    bytes.destroy();
  }
  // the file ends inside a multi-byte character
  return utf8Error(file, line, offset, carry[0]);
}

function utf8Error(file: string, line: number, offset: number, byte: number | undefined): CsvError {
  const hex = byte === undefined ? '' : ` 0x${byte.toString(16).padStart(2, '0')}`;
  return new CsvError(
    file,
    line,
    `invalid UTF-8 byte${hex} at byte offset ${offset}; if the file is Latin-1 (ISO-8859-1), set data.encoding: latin1`,
  );
}

async function checkIsFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    throw new CsvError(file, undefined, errorCode(err) === 'ENOENT' ? 'file not found' : describeReadError(err));
  }
  if (info.isDirectory()) throw new CsvError(file, undefined, 'is a directory, expected a CSV file');
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function describeReadError(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return `not a valid gzip file (${message})`;
  if (code === 'EACCES') return 'permission denied';
  return `cannot read (${message})`;
}

/** What `validate` reads of a data file by default: the first 1,000 data rows or 1 MiB. */
export const SAMPLE_ROWS = 1000;
export const SAMPLE_BYTES = 1 << 20;

export interface CsvSample {
  /** Whole rows only: the text up to the last line break read (all of it at the end of the file). */
  text: string;
  /** Whether the sample is the whole file. */
  complete: boolean;
}

/**
 * The start of a CSV file, synchronously and bounded (validate stays fast on any file):
 * at most `maxBytes` of text (of a .gz file: of its decompressed text, from at most
 * `maxBytes` of compressed input). Decoded like readCsv; an invalid UTF-8 byte is a CsvError
 * at its line. A missing or unreadable file is a CsvError too.
 */
export function readCsvSample(
  file: string,
  encoding: 'utf-8' | 'latin1' = 'utf-8',
  maxBytes = SAMPLE_BYTES,
): CsvSample {
  let bytes: Buffer;
  let complete: boolean;
  try {
    const info = statSync(file);
    if (info.isDirectory()) throw new CsvError(file, undefined, 'is a directory, expected a CSV file');
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(maxBytes, info.size));
      const n = readSync(fd, buf, 0, buf.length, 0);
      bytes = buf.subarray(0, n);
      complete = n >= info.size;
    } finally {
      closeSync(fd);
    }
    if (file.endsWith('.gz')) {
      // a prefix of a gzip stream inflates up to where it was cut (sync flush); the output is
      // capped so that a small compressed prefix cannot expand without bound
      const out = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 16 * maxBytes });
      complete = complete && out.length <= maxBytes;
      bytes = out.subarray(0, maxBytes);
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new CsvError(file, undefined, errorCode(err) === 'ENOENT' ? 'file not found' : describeReadError(err));
  }
  let text: string;
  if (encoding === 'latin1') text = bytes.toString('latin1');
  else {
    const cut = complete ? bytes.length : completeUtf8Length(bytes);
    const whole = bytes.subarray(0, cut);
    const scan = isUtf8(whole) ? undefined : firstInvalidUtf8(whole, true).invalid;
    if (scan !== undefined) {
      const line = whole.subarray(0, scan).filter((b) => b === 10).length + 1;
      throw utf8Error(file, line, scan, whole[scan]);
    }
    text = whole.toString('utf8');
  }
  if (!complete) {
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    text = lastBreak < 0 ? '' : text.slice(0, lastBreak + 1);
  }
  return { text, complete };
}
