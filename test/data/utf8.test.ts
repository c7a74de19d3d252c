// The UTF-8 checks behind data.encoding: utf-8. firstInvalidUtf8 (which names the byte) must
// agree with TextDecoder's fatal mode (the independent oracle) on random byte strings, and
// readCsv must decode a character cut by its 1 MiB read chunks, refuse a bad byte wherever it
// is, and read Latin-1 when told.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, readCsvSample, SAMPLE_BYTES } from '../../src/data/csv.js';
import { Rng } from '../../src/data/random.js';
import { completeUtf8Length, firstInvalidUtf8 } from '../../src/data/utf8.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmoe-utf8-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fatal = new TextDecoder('utf-8', { fatal: true });
const valid = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8', () => {
  it('agrees with TextDecoder fatal on 5,000 random byte strings, and its prefix is valid', () => {
    const rng = new Rng(11);
    // bytes biased towards the interesting ranges: ASCII, continuation, lead bytes, 0xED/0xF4
    const pool = [0x41, 0x0a, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let t = 0; t < 5000; t++) {
      const b = Uint8Array.from(
        { length: 1 + Math.floor(rng.uniform() * 8) },
        () => pool[Math.floor(rng.uniform() * pool.length)],
      );
      const r = firstInvalidUtf8(b, true);
      expect(r.invalid === undefined, `bytes ${[...b].map((x) => x.toString(16))}`).toBe(valid(b));
      if (r.invalid !== undefined) {
        expect(valid(b.subarray(0, r.invalid))).toBe(true);
        expect(valid(b.subarray(0, r.invalid + 1))).toBe(false);
      }
    }
  });

  it('completeUtf8Length leaves a cut character for the next chunk', () => {
    const e = Buffer.from('aé€😀'); // 1 + 2 + 3 + 4 bytes
    expect(completeUtf8Length(e)).toBe(10);
    expect(completeUtf8Length(e.subarray(0, 9))).toBe(6);
    expect(completeUtf8Length(e.subarray(0, 7))).toBe(6);
    expect(completeUtf8Length(e.subarray(0, 5))).toBe(3);
    expect(completeUtf8Length(e.subarray(0, 2))).toBe(1);
  });
});

describe('readCsv encodings', () => {
  // rows of 16 bytes, so a 2-byte "é" lands exactly on the 1 MiB chunk boundary
  const rows = (1 << 20) / 16;
  const filler = Array.from({ length: rows }, (_, i) => `${String(i).padStart(6, '0')},abcdefgh`); // 15 chars + \n
  const header = 'n,word_____'; // 11 + \n = 12 bytes
  const text = (last: string): string => [header, ...filler, last].join('\n') + '\n';

  it('a multi-byte character cut by the 1 MiB read chunk is decoded whole (plain and .gz)', async () => {
    const shifted = [header, ...filler, '999999,café'].join('\n') + '\n';
    // pad the header so that the first byte of "é" is the last byte of the second chunk
    const padding = (2 << 20) - 1 - Buffer.from(shifted).indexOf(Buffer.from('é'));
    expect(padding).toBeGreaterThan(0);
    const file = join(tmp, 'cut.csv');
    const final = Buffer.from(shifted.replace(header, header + '_'.repeat(padding)));
    expect(final.indexOf(Buffer.from('é'))).toBe((2 << 20) - 1);
    writeFileSync(file, final);
    const r = await readCsv(file);
    const word = r.table.columns.get(r.header[1])!;
    expect(word.values[word.values.length - 1]).toBe('café');
    writeFileSync(`${file}.gz`, gzipSync(final));
    const gz = await readCsv(`${file}.gz`);
    expect(gz.table.columns.get(gz.header[1])!.values.at(-1)).toBe('café');
  });

  it('an invalid byte after the first chunk is an error at its line; latin1 reads every byte', async () => {
    const bytes = Buffer.concat([Buffer.from(text('999999,caf').slice(0, -1)), Buffer.from([0xe9, 0x0a])]);
    const file = join(tmp, 'late.csv');
    writeFileSync(file, bytes);
    const line = rows + 2; // header, the filler rows, then the bad row
    await expect(readCsv(file)).rejects.toThrow(
      `${file}:${line}: invalid UTF-8 byte 0xe9 at byte offset ${bytes.length - 2}; if the file is Latin-1`,
    );
    const latin = await readCsv(file, { encoding: 'latin1' });
    expect(latin.table.columns.get('word_____')!.values.at(-1)).toBe('café');
  });

  it('a file that ends inside a multi-byte character is an error', async () => {
    const file = join(tmp, 'truncated.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('a\nx'), Buffer.from([0xe2, 0x82])]));
    await expect(readCsv(file)).rejects.toThrow(`${file}:2: invalid UTF-8 byte 0xe2 at byte offset 3`);
  });
});

describe('readCsvSample (what validate reads)', () => {
  const text = ['a,b', ...Array.from({ length: 300_000 }, (_, i) => `${i},é${i % 7}`)].join('\n') + '\n';
  it('the first 1 MiB of a large file, cut after its last whole line (plain and .gz)', () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * SAMPLE_BYTES);
    writeFileSync(join(tmp, 'big.csv'), text);
    writeFileSync(join(tmp, 'big.csv.gz'), gzipSync(text));
    for (const f of ['big.csv', 'big.csv.gz']) {
      const s = readCsvSample(join(tmp, f));
      expect(s.complete).toBe(false);
      expect(text.startsWith(s.text)).toBe(true);
      expect(s.text.endsWith('\n')).toBe(true);
      expect(Buffer.byteLength(s.text)).toBeLessThanOrEqual(SAMPLE_BYTES);
      expect(Buffer.byteLength(s.text)).toBeGreaterThan(SAMPLE_BYTES - 20);
    }
  });
  it('a small file whole; a missing file and a bad byte are errors naming the file', () => {
    writeFileSync(join(tmp, 'small.csv'), 'a,b\n1,2');
    expect(readCsvSample(join(tmp, 'small.csv'))).toEqual({ text: 'a,b\n1,2', complete: true });
    expect(() => readCsvSample(join(tmp, 'nope.csv'))).toThrow(`${join(tmp, 'nope.csv')}: file not found`);
    writeFileSync(join(tmp, 'bad.csv'), Buffer.from([0x61, 0x0a, 0x62, 0xff, 0x0a]));
    expect(() => readCsvSample(join(tmp, 'bad.csv'))).toThrow(
      `${join(tmp, 'bad.csv')}:2: invalid UTF-8 byte 0xff at byte offset 3`,
    );
  });
});
