// Hostile data (issue 11 item 6 and part of item 9), through the real CLI entry: each file in
// test/hostile/data/ used to train with exit 0 (labels silently 0, U+FFFD categories, 0 rows);
// now each stops with one line naming the file and row (or, for an empty split or a constant
// label, a diagnostic located at the spec setting), exit 1, or with the documented
// allowance (negative: other, badRows: skip, encoding: latin1) trains and says what it did.
// Then predict --keep of a task-named column, and huge numbers at predict and serve time.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { displayPath } from '../../src/schema/load.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { cli, tempDir, writeLines } from '../train/helpers.js';

const DATA = resolve(import.meta.dirname, 'data');
const SPEC = join(DATA, 'spec.yaml');
const tmp = tempDir('mmoe-hostile-data-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(join(DATA, file), 'utf8').split('\n');
/** 1-based file line of the first data row matching `test` (the header is line 1). */
const lineOf = (file: string, test: (line: string) => boolean) => lines(file).findIndex(test) + 1;

let n = 0;
async function train(...args: string[]) {
  const r = await cli('train', ...args, '-o', join(tmp, `out${n++}`), '--backend', 'cpu', '--no-progress');
  return { ...r, error: r.err.filter((l) => l.startsWith('mmoe-compile:')) };
}
const trainOn = (file: string, ...sets: string[]) =>
  train(SPEC, '--set', `data.train=${file}`, ...sets.flatMap((s) => ['--set', s]));

function expectOneLineError(r: { code: number; err: string[]; error: string[] }, message: string) {
  expect(r.code).toBe(1);
  expect(r.error).toEqual([`mmoe-compile: ${message}`]);
  expect(r.err.some((l) => /^\s+at /.test(l))).toBe(false);
}

/** A refusal about a spec setting given this data (empty split, constant label): one located
 * diagnostic with its catalogue code, exit 1, no stack. */
function expectLocatedError(r: { code: number; err: string[] }, where: string, code: string, message: string) {
  expect(r.code).toBe(1);
  expect(r.err.filter((l) => l.includes(': error '))).toEqual([`${where}: error ${code}: ${message}`]);
  expect(r.err.some((l) => /^\s+at /.test(l))).toBe(false);
}
const SPEC_SHOWN = displayPath(SPEC);

describe('train refuses bad data', () => {
  it('the good file trains (the corpus spec itself is fine)', async () => {
    expect((await trainOn('good.csv')).code).toBe(0);
  });

  it('a header-only CSV', async () => {
    expectOneLineError(await trainOn('header-only.csv'), 'header-only.csv: no data rows (the file has a header only)');
  });

  it('a binary label that is neither 1/"1"/true nor 0/"0"/false (default positive and negative)', async () => {
    const line = lineOf('label-yes.csv', (l) => l.endsWith(',yes'));
    expect(line).toBe(5);
    expectOneLineError(
      await trainOn('label-yes.csv'),
      `${join(DATA, 'label-yes.csv')}:${line}: task "y": label "yes" in column "y" is neither positive nor negative (positive 1 / "1" / true, negative 0 / "0" / false); list it in the task's negative: values (or write negative: other to count every other value as 0)`,
    );
  });

  it('">50K." and " >50K" are neither positive ">50K" nor negative "<=50K"', async () => {
    const first = lineOf('income-variants.csv', (l) => l.endsWith(',>50K.'));
    const second = lineOf('income-variants.csv', (l) => l.endsWith(', >50K'));
    expect(first).toBeLessThan(second);
    const message = (line: number, value: string) =>
      `${join(DATA, 'income-variants.csv')}:${line}: task "income": label ${JSON.stringify(value)} in column "income" is neither positive nor negative (positive ">50K", negative "<=50K"); list it in the task's negative: values (or write negative: other to count every other value as 0)`;
    expectOneLineError(await train(join(DATA, 'income-spec.yaml')), message(first, '>50K.'));
    // the documented skip policy: both rows dropped, counted, and the first reason printed
    const skipped = await train(join(DATA, 'income-spec.yaml'), '--set', 'data.badRows=skip');
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain(`income-variants.csv: skipped 2 bad rows (first: ${message(first, '>50K.')})`);
    const rows = lines('income-variants.csv').filter((l) => l !== '').length - 1;
    const test = Math.round(0.2 * (rows - 2));
    expect(skipped.err).toContain(
      `csv: income-variants.csv split ${rows - 2 - test} train / ${test} test (testFraction 0.2, seed 3)`,
    );
    // negative: other is the explicit old behaviour: every other value is 0
    expect((await train(join(DATA, 'income-spec.yaml'), '--set', 'tasks[0].negative=other')).code).toBe(0);
  });

  it('a numeric column that is entirely missing', async () => {
    const rows = lines('numeric-all-missing.csv').filter((l) => l !== '').length - 1;
    const afterTest = rows - Math.round(0.2 * rows);
    const fit = afterTest - Math.round(0.2 * afterTest); // the validation rows are held out before fitting
    expect(fit).toBe(38);
    expectOneLineError(
      await trainOn('numeric-all-missing.csv'),
      `${join(DATA, 'numeric-all-missing.csv')}: feature "x" (column "x"): every value is missing in the ${fit} training rows; nothing to learn from (check the column and data.naValues)`,
    );
  });

  it('a non-UTF-8 CSV is an error at the line of the first invalid byte; encoding: latin1 reads it', async () => {
    const bytes = readFileSync(join(DATA, 'latin1.csv'));
    const offset = bytes.indexOf(0xe9);
    expect(bytes[offset - 1]).toBe(0x66); // "caf" + 0xE9: Latin-1 é
    const line = bytes.subarray(0, offset).filter((b) => b === 10).length + 1;
    expectOneLineError(
      await trainOn('latin1.csv'),
      `${join(DATA, 'latin1.csv')}:${line}: invalid UTF-8 byte 0xe9 at byte offset ${offset}; if the file is Latin-1 (ISO-8859-1), set data.encoding: latin1`,
    );
    expect((await trainOn('latin1.csv', 'data.encoding=latin1')).code).toBe(0);
  });

  it('an empty test split (1 data row, testFraction 0.2 rounds to 0 test rows)', async () => {
    expectLocatedError(
      await trainOn('one-row.csv'),
      `${SPEC_SHOWN}:5:53`,
      'data-split',
      'one-row.csv: the test split is empty (1 data rows, testFraction 0.2); add rows, change data.testFraction or give data.test',
    );
  });

  it('an empty validation split', async () => {
    // 5 rows: 4 train / 1 test; validationFraction 0.1 of 4 rounds to 0
    const few = writeLines(join(tmp, 'few', 'few.csv'), lines('good.csv').slice(0, 6));
    const spec = writeLines(join(tmp, 'few', 'spec.yaml'), [
      readFileSync(SPEC, 'utf8')
        .replace('train: good.csv', 'train: few.csv')
        .replace('validationFraction: 0.2', 'validationFraction: 0.1'),
    ]);
    expect(readFileSync(few, 'utf8').split('\n').length).toBe(7);
    const r = await train(spec);
    expectLocatedError(
      r,
      `${displayPath(spec)}:16:88`,
      'data-split',
      'few.csv: the validation split is empty (4 training rows, validationFraction 0.1); add rows or change training.validationFraction',
    );
  });

  it('every row skipped under badRows: skip', async () => {
    const dir = join(tmp, 'allbad');
    const file = writeLines(join(dir, 'allbad.csv'), ['x,color,y', '0.5,red,yes', '0.1,blue', '0.2,red,no']);
    const spec = writeLines(join(dir, 'spec.yaml'), [
      readFileSync(SPEC, 'utf8').replace('train: good.csv', 'train: allbad.csv'),
    ]);
    const r = await train(spec, '--set', 'data.badRows=skip');
    expectOneLineError(
      r,
      `allbad.csv: every data row was skipped as bad (3 rows; first: ${file}:3: expected 3 fields, found 2)`,
    );
  });

  it('a constant label', async () => {
    expectLocatedError(
      await trainOn('constant-label.csv'),
      `${SPEC_SHOWN}:15:27`,
      'data-constant-label',
      'constant-label.csv: task "y" (label column "y"): the label is constant (every counted training row is negative); nothing to learn',
    );
  });

  it('a value whose statistics overflow (1e308) is an error at its row', async () => {
    const line = lineOf('huge-number.csv', (l) => l.startsWith('1e308,'));
    expectOneLineError(
      await trainOn('huge-number.csv'),
      `${join(DATA, 'huge-number.csv')}:${line}: feature "x" (column "x"): 1e+308 is too large to normalise (its standard statistics overflow); fix the value, or use normalization: log or boundaries`,
    );
  });
});

describe('predict and serve a trained model', () => {
  const model = join(tmp, 'model');
  let manifest: { features: { name: string; center: number; scale: number }[] };
  beforeAll(async () => {
    await initBackend('cpu');
    const r = await cli('train', SPEC, '-o', model, '--backend', 'cpu', '--no-progress');
    expect(r.code).toBe(0);
    manifest = JSON.parse(readFileSync(join(model, 'pipeline.json'), 'utf8'));
  });
  const predict = (...args: string[]) =>
    cli('predict', model, '-i', join(DATA, 'good.csv'), '--backend', 'cpu', ...args);

  it('--keep of a column named like a task is refused, for CSV and JSON Lines output', async () => {
    const message =
      'mmoe-compile: --keep y: the output already has a column "y" (the scores of task "y"); add --keep-prefix (e.g. --keep-prefix in_) to write it as "in_y"';
    for (const output of [[], ['-o', join(tmp, 'p.csv')], ['-o', join(tmp, 'p.jsonl')]]) {
      const r = await predict('--keep', 'y', ...output);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    }
  });

  it('--keep-prefix keeps the column next to the score: CSV and JSON Lines', async () => {
    const labels = lines('good.csv')
      .slice(1, -1)
      .map((l) => l.split(',')[2]);
    const csv = await predict('--keep', 'y', '--keep-prefix', 'in_');
    expect(csv.code).toBe(0);
    const rows = csv.out.split('\n');
    expect(rows[0]).toBe('in_y,y');
    expect(rows.slice(1).map((r) => JSON.parse(r.split(',')[0]))).toEqual(labels);
    const out = join(tmp, 'kept.jsonl');
    expect((await predict('--keep', 'y', '--keep-prefix', 'in_', '-o', out)).code).toBe(0);
    const records = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => Object.keys(r))).toEqual(labels.map(() => ['in_y', 'y']));
    expect(records.map((r) => r.in_y)).toEqual(labels);
    expect(records.every((r) => r.y > 0 && r.y < 1)).toBe(true);
    // a prefix that still collides is refused too
    const again = await predict('--keep', 'y', '--keep', 'x', '--keep-prefix', '');
    expect(again.code).toBe(2);
  });

  it('predict: 1e308 is an error at its row, not a NaN score', async () => {
    const input = writeLines(join(tmp, 'huge.csv'), ['x,color', '0.5,red', '1e308,blue']);
    const r = await cli('predict', model, '-i', input, '--backend', 'cpu');
    const { center, scale } = manifest.features.find((f) => f.name === 'x')!;
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `mmoe-compile: ${input}:3: feature "x" (column "x"): 1e+308 is out of range (normalised to ${(1e308 - center) / scale}, beyond float32); the training values were around ${center} +- ${scale}`,
    );
  });

  it('serve: huge numbers, throwing getters and Proxies fail their own record only', async () => {
    const servable = await loadServableFromDir(model, { tf });
    const { center, scale } = manifest.features.find((f) => f.name === 'x')!;
    const throwing = { color: 'red' };
    Object.defineProperty(throwing, 'x', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const trap = new Proxy(
      { x: 1, color: 'red' },
      {
        getOwnPropertyDescriptor: () => {
          throw new Error('trap');
        },
      },
    );
    const revoked = Proxy.revocable({ x: 1, color: 'red' }, {});
    revoked.revoke();
    let reads = 0;
    const fickle = {
      color: 'red',
      get x() {
        return reads++ === 0 ? 0.5 : 'not a number';
      },
    };
    const records = [
      { x: 0.5, color: 'red' },
      { x: 1e308, color: 'red' },
      throwing,
      trap,
      revoked.proxy,
      { x: 1e39, color: 'blue' },
      fickle,
    ];
    const { scores, errors } = await servable.score(records);
    servable.dispose();
    expect(errors).toEqual([
      {
        index: 1,
        field: 'x',
        message: `feature "x" (column "x"): 1e+308 is out of range (normalised to ${(1e308 - center) / scale}, beyond float32); the training values were around ${center} +- ${scale}`,
      },
      { index: 2, message: 'reading the record failed: boom' },
      { index: 3, message: 'reading the record failed: trap' },
      { index: 4, message: expect.stringMatching(/^reading the record failed: .*revoked/) },
      { index: 5, field: 'x', message: expect.stringMatching(/^feature "x" \(column "x"\): 1e\+39 is out of range/) },
    ]);
    expect(scores.map((s) => s === null)).toEqual([false, true, true, true, true, true, false]);
    // the fickle getter was read once: the checked value is the scored one
    expect(reads).toBe(1);
    expect(scores[6]).toEqual(scores[0]);
    for (const s of [scores[0]!, scores[6]!]) expect(Number.isFinite(s.y)).toBe(true);
  });
});

describe('validate reads a sample of the data (issue 12 item 2)', () => {
  async function validate(...args: string[]) {
    const r = await cli('validate', '-f', 'json', ...args);
    return {
      code: r.code,
      report: JSON.parse(r.out) as {
        valid: boolean;
        diagnostics: { file: string; line: number; column: number; severity: string; code: string; message: string }[];
      },
    };
  }
  /** Where `token` is written on the first line of `file` containing `context`: [line, column]. */
  function at(file: string, context: string, token: string): [number, number] {
    const text = readFileSync(join(DATA, file), 'utf8').split('\n');
    const i = text.findIndex((l) => l.includes(context));
    const col = text[i].indexOf(token, text[i].indexOf(context));
    expect(col, `${token} on line ${i + 1}`).toBeGreaterThanOrEqual(0);
    return [i + 1, col + 1];
  }
  const shown = (file: string) => join(DATA, file).replace(`${process.cwd()}/`, '');
  const rows = (ds: { line: number; column: number; severity: string; code: string; message: string }[]) =>
    ds.map((d) => [d.line, d.column, d.severity, d.code, d.message]);

  it('every wrong column and file name, at its spec line, with did-you-mean against the header', async () => {
    const { code, report } = await validate(join(DATA, 'validate-bad.yaml'));
    expect(code).toBe(1);
    const f = 'validate-bad.yaml';
    expect(report.diagnostics.every((d) => d.file === shown(f))).toBe(true);
    expect(rows(report.diagnostics)).toEqual([
      [
        ...at(f, 'test: goood.csv', 'goood.csv'),
        'error',
        'data-file',
        'goood.csv: file not found. Did you mean "good.csv"?',
      ],
      [
        ...at(f, 'name: colour', 'colour'),
        'error',
        'data-column',
        'feature "colour" reads column "colour", which good.csv does not have. Did you mean "color"?',
      ],
      [
        ...at(f, 'vocabularyFile: color.txt', 'color.txt'),
        'error',
        'data-file',
        'feature "colour": vocabulary file "color.txt" not found. Did you mean "colors.txt"?',
      ],
      [
        ...at(f, 'name: shade', 'numeric'),
        'error',
        'data-not-numeric',
        'feature "shade" is numeric, but column "color" has "red" at good.csv:2 (60 of the 60 sampled rows are not numbers); make it categorical, or list the spelling in data.naValues if it means missing',
      ],
      [
        ...at(f, 'name: y, label: y, positive: 1', '1, negative'),
        'error',
        'data-label-value',
        `task "y": label column "y" has "0" (first at good.csv:${lineOf('good.csv', (l) => l.endsWith(',0'))}), neither positive nor negative (positive 1, negative -1); list them in negative:, or write negative: other to count every other value as 0`,
      ],
      [
        ...at(f, 'label: yy', 'yy'),
        'error',
        'data-column',
        'task "z" reads column "yy", which good.csv does not have. Did you mean "y"?',
      ],
      [
        ...at(f, 'column: clicked', 'clicked'),
        'error',
        'data-column',
        'the sample space of task "z" reads column "clicked", which good.csv does not have. Its header has: x, color, y.',
      ],
    ]);
    // the same spec without reading data is valid: these are data problems only
    expect((await validate(join(DATA, 'validate-bad.yaml'), '--no-data')).code).toBe(0);
  });

  it('label values, encoding, header-only and all-missing files: the errors train would give, before training', async () => {
    const income = await validate(join(DATA, 'income-spec.yaml'));
    expect(income.code).toBe(1);
    expect(rows(income.report.diagnostics)).toEqual([
      [
        ...at('income-spec.yaml', "positive: '>50K'", "'>50K'"),
        'error',
        'data-label-value',
        `task "income": label column "income" has ">50K.", " >50K" (first at income-variants.csv:${lineOf('income-variants.csv', (l) => l.endsWith(',>50K.'))}), neither positive nor negative (positive ">50K", negative "<=50K"); list them in negative:, or write negative: other to count every other value as 0`,
      ],
    ]);
    const label = await validate(SPEC, '--set', 'data.train=label-yes.csv');
    expect(rows(label.report.diagnostics)).toEqual([
      [
        ...at('spec.yaml', 'label: y', 'y }'),
        'error',
        'data-label-value',
        expect.stringMatching(/^task "y": label column "y" has "yes" \(first at label-yes\.csv:5\)/),
      ],
    ]);
    // --set values are located in the <--set> pseudo-file, column 12 = after "data.train="
    const latin = await validate(SPEC, '--set', 'data.train=latin1.csv');
    const bytes = readFileSync(join(DATA, 'latin1.csv'));
    const offset = bytes.indexOf(0xe9);
    const line = bytes.subarray(0, offset).filter((b) => b === 10).length + 1;
    expect(latin.report.diagnostics.map((d) => [d.file, d.line, d.column, d.code, d.message])).toEqual([
      [
        '<--set>',
        1,
        12,
        'data-encoding',
        `latin1.csv:${line}: invalid UTF-8 byte 0xe9 at byte offset ${offset}; if the file is Latin-1 (ISO-8859-1), set data.encoding: latin1`,
      ],
    ]);
    expect((await validate(SPEC, '--set', 'data.train=latin1.csv', '--set', 'data.encoding=latin1')).code).toBe(0);
    const empty = await validate(SPEC, '--set', 'data.train=header-only.csv');
    expect(empty.report.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['data-rows', 'header-only.csv: no data rows (the file has a header only)'],
    ]);
    const missing = await validate(SPEC, '--set', 'data.train=numeric-all-missing.csv');
    expect(rows(missing.report.diagnostics)).toEqual([
      [
        ...at('spec.yaml', 'name: x', 'x'),
        'error',
        'data-all-missing',
        'feature "x": every value of column "x" is missing in all 60 rows of numeric-all-missing.csv (missing spellings: "", "NA", "?")',
      ],
    ]);
    expect((await validate(SPEC)).code).toBe(0);
  });

  it('reads only the start of a large file: a bad value after the sample is left to train', async () => {
    const big = join(tmp, 'big');
    const good = lines('good.csv').slice(1, -1);
    const body = Array.from({ length: 1100 }, (_, i) => good[i % good.length]);
    writeLines(join(big, 'big.csv'), ['x,color,y', ...body, '0.5,red,yes']);
    const spec = writeLines(join(big, 'spec.yaml'), [
      readFileSync(SPEC, 'utf8').replace('train: good.csv', 'train: big.csv'),
    ]);
    expect((await validate(spec)).code).toBe(0); // row 1,101 is past the 1,000 sampled rows
    writeLines(join(big, 'big.csv'), ['x,color,y', ...body.slice(0, 999), '0.5,red,yes']);
    const caught = await validate(spec);
    expect(caught.report.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('has "yes" (first at big.csv:1001)'),
    ]);
  });
});
