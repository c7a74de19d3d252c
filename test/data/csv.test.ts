import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvChunkParser } from '../../src/data/csv-chunks.js';
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
    const { table } = await readCsv(file('na.csv', 'a,b\n?,x\n1,?\n,NA\n'), { naValues: ['?', ''], types: { a: 'number' } });
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
    expect(r.skipReasons).toEqual([`${path}:3: expected 2 fields, found 1`, `${path}:4: column "b": "x" is not a number (missing values are written "", "NA", "?")`]);
    expect([...r.table.origin!.lines]).toEqual([2, 5]);
  });

  it('stops at maxRows, honours the delimiter, ignores blank lines, strips a BOM', async () => {
    const r = await readCsv(file('semi.csv', '\ufeffa;b\n1;2\n\n3;4\n5;6\n'), { delimiter: ';', maxRows: 2, types: { a: 'number' } });
    expect(r.header).toEqual(['a', 'b']);
    expect(num(r.table.columns.get('a'))).toEqual([1, 3]);
    expect([...r.table.origin!.lines]).toEqual([2, 4]);
  });

  it('drops other columns on request and checks the type map against the header', async () => {
    const path = file('types.csv', 'a,b,c\n1,2,3\n');
    const r = await readCsv(path, { types: { b: 'number' }, otherColumns: 'drop' });
    expect([...r.table.columns.keys()]).toEqual(['b']);
    await expect(readCsv(path, { types: { d: 'number' } })).rejects.toThrow(`${path}:1: column "d" not in the header; the header has: a, b, c`);
    await expect(readCsv(file('dup.csv', 'a,a\n1,2\n'))).rejects.toThrow(/:1: duplicate column name "a" \(columns 1 and 2\)/);
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
