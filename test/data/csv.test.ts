import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNumberCell } from '../../src/data/cells.js';
import { CsvChunkParser, rowFields, type CsvRow } from '../../src/data/csv-chunks.js';
import { CsvTableBuilder } from '../../src/data/csv-table.js';
import { CsvError, parseCsvText, readCsv } from '../../src/data/csv.js';
import type { NumberColumn, StringColumn } from '../../src/data/table.js';

const dir = mkdtempSync(join(tmpdir(), 'mmoe-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const num = (c: unknown) => [...(c as NumberColumn).values];
const str = (c: unknown) => (c as StringColumn).values;

const QUOTED = 'id,text,score\n1,"hello, world",2.5\n2,"two\nlines",3\n3,"say ""hi""",NA\n';

describe('readCsv', () => {
  it('reads quoted fields with commas, newlines and escaped quotes', async () => {
    const { table, header } = await readCsv(file('quoted.csv', QUOTED), { types: { id: 'number', score: 'number' } });
    expect(header).toEqual(['id', 'text', 'score']);
    expect(table.rowCount).toBe(3);
    expect(str(table.columns.get('text'))).toEqual(['hello, world', 'two\nlines', 'say "hi"']);
    expect(num(table.columns.get('id'))).toEqual([1, 2, 3]);
    expect([...table.columns.get('score')!.missing]).toEqual([0, 0, 1]);
    // the row after the two-line field starts on line 5
    expect([...table.origin!.lines]).toEqual([2, 3, 5]);
  });

  it('reads gzip files and CRLF line ends', async () => {
    const path = file('quoted.csv.gz', gzipSync(QUOTED.replace(/\n(?=\d|$)/g, '\r\n')));
    const { table } = await readCsv(path, { types: { score: 'number' } });
    expect(str(table.columns.get('text'))).toEqual(['hello, world', 'two\nlines', 'say "hi"']);
    expect([...table.origin!.lines]).toEqual([2, 3, 5]);
  });

  it('treats naValues as missing, exactly as spelled', async () => {
    const { table } = await readCsv(file('na.csv', 'a,b\n?,x\n1,?\n,NA\n'), {
      naValues: ['?', ''],
      types: { a: 'number' },
    });
    expect([...table.columns.get('a')!.missing]).toEqual([1, 0, 1]);
    expect(Number.isNaN(num(table.columns.get('a'))[0])).toBe(true);
    expect(str(table.columns.get('b'))).toEqual(['x', '', 'NA']);
    expect([...table.columns.get('b')!.missing]).toEqual([0, 1, 0]);
  });

  it('names the file line of a row with the wrong field count', async () => {
    const path = file('bad-count.csv', 'a,b\n1,2\n"multi\nline",3\n4\n5,6\n');
    await expect(readCsv(path)).rejects.toThrow(new CsvError(path, 5, 'expected 2 fields, found 1'));
    await expect(readCsv(path)).rejects.toThrow(`${path}:5: expected 2 fields, found 1`);
  });

  it('names the line and column of a cell that is not a number, never a NaN', async () => {
    const path = file('bad-number.csv', 'a,b\n1,2\n3,x7\n');
    await expect(readCsv(path, { types: { b: 'number' } })).rejects.toThrow(
      `${path}:3: column "b": "x7" is not a number (missing values are written "", "NA", "?")`,
    );
  });

  it('skips and counts bad rows with badRows skip', async () => {
    const path = file('skip.csv', 'a,b\n1,2\n3\n4,x\n5,6\n7,8,9\n');
    const r = await readCsv(path, { types: { b: 'number' }, badRows: 'skip', maxSkipReasons: 2 });
    expect(r.table.rowCount).toBe(2);
    expect(num(r.table.columns.get('b'))).toEqual([2, 6]);
    expect(r.skipped).toBe(3);
    expect(r.skipReasons).toEqual([
      `${path}:3: expected 2 fields, found 1`,
      `${path}:4: column "b": "x" is not a number (missing values are written "", "NA", "?")`,
    ]);
    expect([...r.table.origin!.lines]).toEqual([2, 5]);
  });

  it('stops at maxRows, honours the delimiter, ignores blank lines, strips a BOM', async () => {
    const r = await readCsv(file('semi.csv', '\ufeffa;b\n1;2\n\n3;4\n5;6\n'), {
      delimiter: ';',
      maxRows: 2,
      types: { a: 'number' },
    });
    expect(r.header).toEqual(['a', 'b']);
    expect(num(r.table.columns.get('a'))).toEqual([1, 3]);
    expect([...r.table.origin!.lines]).toEqual([2, 4]);
  });

  it('drops other columns on request and checks the type map against the header', async () => {
    const path = file('types.csv', 'a,b,c\n1,2,3\n');
    const r = await readCsv(path, { types: { b: 'number' }, otherColumns: 'drop' });
    expect([...r.table.columns.keys()]).toEqual(['b']);
    await expect(readCsv(path, { types: { d: 'number' } })).rejects.toThrow(
      `${path}:1: column "d" not in the header; the header has: a, b, c`,
    );
    await expect(readCsv(file('dup.csv', 'a,a\n1,2\n'))).rejects.toThrow(
      /:1: duplicate column name "a" \(columns 1 and 2\)/,
    );
  });

  it('reports an unclosed quote at its line', async () => {
    const path = file('unclosed.csv', 'a,b\n1,2\n3,"open\n4,5\n');
    await expect(readCsv(path)).rejects.toThrow(`${path}:3: quoted field is never closed`);
  });

  it('gives one-line messages for a missing file, a directory, bad gzip and an empty file', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(readCsv(missing)).rejects.toThrow(`${missing}: file not found`);
    const sub = join(dir, 'adir');
    mkdirSync(sub);
    await expect(readCsv(sub)).rejects.toThrow(`${sub}: is a directory, expected a CSV file`);
    const notGz = file('plain.csv.gz', 'a,b\n1,2\n');
    await expect(readCsv(notGz)).rejects.toThrow(new RegExp(`^${notGz.replace(/[.]/g, '\\.')}: not a valid gzip file`));
    const empty = file('empty.csv', '');
    await expect(readCsv(empty)).rejects.toThrow(`${empty}: the file is empty (expected a header row)`);
  });
});

describe('CSV chunking', () => {
  it('gives the same rows and lines whatever the chunk boundaries', () => {
    const text = 'a,b,c\r\n1,"x,\r\ny",2\r\n3,"q""q",4\r\n\r\n5,,6\r\n7,"",8';
    const whole = parseCsvText(text, 't.csv', { types: { a: 'number' } });
    for (const size of [1, 2, 3, 5, 7, 11]) {
      const parser = new CsvChunkParser(',');
      const builder = new CsvTableBuilder('t.csv', { types: { a: 'number' } });
      for (let at = 0; at < text.length; at += size) parser.push(text.slice(at, at + size), builder.addRow);
      parser.end(builder.addRow);
      const chunked = builder.finish();
      expect(chunked.table).toEqual(whole.table);
    }
    expect(str(whole.table.columns.get('b'))).toEqual(['x,\r\ny', 'q"q', '', '']);
    expect([...whole.table.origin!.lines]).toEqual([2, 4, 6, 7]);
  });
});

describe('UCI Adult', () => {
  const adult = join(import.meta.dirname, '../../../shared/data/adult/adult.train.csv');
  const have = existsSync(adult);
  if (!have) console.warn(`skipping the Adult test: ${adult} not found`);

  it.skipIf(!have)('reads adult.train.csv: 32561 rows, "?" as missing', async () => {
    const types = { age: 'number', fnlwgt: 'number', capital_gain: 'number', hours_per_week: 'number' } as const;
    const { table, skipped } = await readCsv(adult, { naValues: ['?'], types });
    expect(table.rowCount).toBe(32561);
    expect(skipped).toBe(0);
    const workclass = table.columns.get('workclass')!;
    expect(workclass.missing.reduce((a, b) => a + b, 0)).toBe(1836);
    const income = str(table.columns.get('income'));
    expect(income.filter((v) => v === '>50K').length / table.rowCount).toBeCloseTo(0.241, 3);
    expect(table.origin!.lines[table.rowCount - 1]).toBe(32562);
  });
});

// A small random-number generator, so the fuzz tests are repeatable.
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plain RFC 4180 parse of a whole, well-formed text: the reference for the chunked tokenizer. */
function referenceRows(text: string, delimiter: string, newline: string): { fields: string[]; line: number }[] {
  const breakChar = newline === '\r' ? '\r' : '\n';
  const rows: { fields: string[]; line: number }[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const fields: string[] = [];
    let breaks = 0;
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value += text[i++];
        }
      } else {
        while (i < text.length && text[i] !== delimiter && !text.startsWith(newline, i)) value += text[i++];
      }
      fields.push(value);
      breaks += value.split(breakChar).length - 1;
      if (i < text.length && text[i] === delimiter) {
        i++;
        continue;
      }
      i += newline.length; // a line break, or the end of the text
      break;
    }
    rows.push({ fields, line });
    line += 1 + breaks;
  }
  return rows;
}

function randomCsv(rand: () => number, delimiter: string, newline: string): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const plain = ['a', 'bc', '1', '-2.5', '?', '', ' x ', 'NA', 'é', '€', 'long value here'];
  const quotedParts = ['q', '""', delimiter, '\n', '\r\n', '\r', ' ', 'é', ''];
  const width = 1 + Math.floor(rand() * 4);
  const lines = [Array.from({ length: width }, (_, c) => `c${c}`).join(delimiter)];
  const rows = Math.floor(rand() * 12);
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.1) {
      lines.push(''); // a blank line
      continue;
    }
    const n = rand() < 0.9 ? width : 1 + Math.floor(rand() * 5);
    const cells = Array.from({ length: n }, () => {
      if (rand() < 0.6) return pick(plain);
      let body = '';
      const parts = Math.floor(rand() * 5);
      for (let k = 0; k < parts; k++) body += pick(quotedParts);
      return `"${body}"`;
    });
    lines.push(cells.join(delimiter));
  }
  return (rand() < 0.2 ? '\ufeff' : '') + lines.join(newline) + (rand() < 0.5 ? newline : '');
}

describe('CSV tokenizer', () => {
  it('matches a plain whole-text parse of random CSVs, whatever the chunk boundaries', () => {
    const rand = mulberry32(20261129);
    for (let t = 0; t < 3000; t++) {
      const delimiter = [',', ';', '\t'][t % 3];
      const newline = ['\n', '\r\n', '\r'][Math.floor(t / 3) % 3];
      const text = randomCsv(rand, delimiter, newline);
      const expected = referenceRows(text.replace(/^\ufeff/, ''), delimiter, newline);
      const maxChunk = [1, 2, 3, 7, 16, 64, 1000][t % 7];
      const parser = new CsvChunkParser(delimiter);
      const got: { fields: string[]; line: number }[] = [];
      const sink = (row: CsvRow) => {
        expect(row.problem).toBeUndefined();
        got.push({ fields: rowFields(row), line: row.line });
        return false;
      };
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(rand() * maxChunk);
        parser.push(text.slice(at, at + size), sink);
        at += size;
      }
      parser.end(sink);
      expect(got, JSON.stringify(text)).toEqual(expected);
    }
  });

  it('reads a table the same way whatever the chunk boundaries, with a chunk between \\r and \\n', () => {
    const text = 'a,b\r\n"1\r\n",x\r\n2,"y""z"\r\n3,w';
    const whole = parseCsvText(text, 't.csv', { types: { b: 'string' } });
    const cut = text.indexOf('\r\n2') + 1;
    const parser = new CsvChunkParser(',');
    const builder = new CsvTableBuilder('t.csv', { types: { b: 'string' } });
    parser.push(text.slice(0, cut), builder.addRow);
    parser.push(text.slice(cut), builder.addRow);
    parser.end(builder.addRow);
    expect(builder.finish().table).toEqual(whole.table);
    expect(str(whole.table.columns.get('a'))).toEqual(['1\r\n', '2', '3']);
    expect(str(whole.table.columns.get('b'))).toEqual(['x', 'y"z', 'w']);
    expect([...whole.table.origin!.lines]).toEqual([2, 4, 5]);
  });

  it('allows whitespace after a closing quote; other text after it is malformed', () => {
    const ok = parseCsvText('a,b\n"x" ,"y"\t\n', 't.csv');
    expect(str(ok.table.columns.get('a'))).toEqual(['x']);
    expect(str(ok.table.columns.get('b'))).toEqual(['y']);
    expect(() => parseCsvText('a,b\n1,2\n"x"y,2\n', 't.csv')).toThrow(
      't.csv:3: malformed quotes (a quote inside an unquoted field, or text after a closing quote)',
    );
    // a quote inside an unquoted field is an ordinary character
    expect(str(parseCsvText('a\nx"y\n', 't.csv').table.columns.get('a'))).toEqual(['x"y']);
  });

  it('parses number cells exactly as Number() does, including the forms the fast path leaves to it', () => {
    const cells = [
      '0',
      '-0',
      '+7',
      '2.5',
      '.5',
      '5.',
      '1e3',
      '1E-3',
      '-1.25e+2',
      '0.1',
      '0.3',
      '123456789012345',
      '1234567890123456789',
      '9007199254740993',
      '1e22',
      '1e23',
      '1e-22',
      '1e-400',
      ' 4 ',
      '0x1F',
      '1_0',
      '.',
      '-',
      'e5',
      '1e',
      'Infinity',
      '12abc',
    ];
    const rand = mulberry32(7);
    for (let i = 0; i < 2000; i++)
      cells.push(
        String((rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20)),
        (rand() * 1000).toFixed(Math.floor(rand() * 12)),
      );
    const text = `n\n${cells.join('\n')}\n`;
    const r = parseCsvText(text, 't.csv', { types: { n: 'number' }, badRows: 'skip', naValues: [] });
    const good = cells.filter((c) => !Number.isNaN(parseNumberCell(c)));
    expect(r.skipped).toBe(cells.length - good.length);
    const values = num(r.table.columns.get('n'));
    good.forEach((c, i) => expect(Object.is(values[i], parseNumberCell(c)), c).toBe(true));
  });

  it('keeps every string cell exact when many distinct values share a column', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `v${i % 1500}-${'x'.repeat(i % 20)}`);
    const r = parseCsvText(`s\n${values.join('\n')}\n`, 't.csv');
    expect(str(r.table.columns.get('s'))).toEqual(values);
  });
});
