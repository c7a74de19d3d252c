// Derived labels (labelFrom), evaluation labels and sample weights, row by row, against the
// answers written out by hand in each case; bad weights are errors naming the file and line.
import { describe, expect, it } from 'vitest';
import { withAvailableLabels } from '../../src/data/derived-labels.js';
import { transformLabels } from '../../src/data/labels.js';
import { createTable, numberColumn, stringColumn } from '../../src/data/table.js';
import type { Spec, TaskSpec } from '../../src/schema/spec-schema.js';

// 6 rows; row 4 has a missing education, row 5 a missing age
const education = ['Bachelors', 'HS-grad', 'Masters', 'Doctorate', null, 'Some-college'];
const age = [45, 30, 41, 40, 52, NaN];
const click = ['1', '0', '1', '1', '0', '1'];
const conversion = [1, 0, 0, 1, 0, 1];
const fnlwgt = ['2.5', '1', '0', '4', '3', '0.5'];
const table = () =>
  createTable(
    {
      education: stringColumn(education),
      age: numberColumn(age),
      click: stringColumn(click),
      conversion: numberColumn(conversion),
      fnlwgt: stringColumn(fnlwgt),
    },
    { file: 'adult.csv', lines: Uint32Array.from([2, 3, 4, 5, 6, 7]) },
  );
const task = (t: Partial<TaskSpec>): TaskSpec => ({ name: 't', type: 'binary', weight: 1, ...t }) as TaskSpec;
const one = (t: Partial<TaskSpec>, sampleWeight?: string) =>
  transformLabels(table(), [task(t)], sampleWeight ? { sampleWeight } : {}).get('t')!;

describe('labelFrom', () => {
  const degree = new Set(['Bachelors', 'Masters', 'Doctorate', 'Prof-school']);
  it('education in a set: 1 in the set, 0 outside, no label where missing', () => {
    const l = one({ labelFrom: { column: 'education', in: [...degree] } });
    const want = education.map((e) => (e === null ? 0 : degree.has(e) ? 1 : 0));
    const mask = education.map((e) => (e === null ? 0 : 1));
    expect([...l.labels]).toEqual(want);
    expect([...l.mask]).toEqual(mask);
    expect(l.counted).toBe(5);
    expect(l.positives).toBe(3);
  });
  it.each([
    ['greaterThan', 40, (a: number) => a > 40],
    ['atLeast', 41, (a: number) => a >= 41],
    ['lessThan', 41, (a: number) => a < 41],
    ['atMost', 40, (a: number) => a <= 40],
  ] as const)('age %s %d', (op, v, f) => {
    const l = one({ labelFrom: { column: 'age', [op]: v } });
    expect([...l.labels]).toEqual(age.map((a) => (Number.isNaN(a) ? 0 : f(a) ? 1 : 0)));
    expect([...l.mask]).toEqual(age.map((a) => (Number.isNaN(a) ? 0 : 1)));
  });
  it('all / any / not over label columns and conditions', () => {
    const c = click.map(Number);
    expect([...one({ labelFrom: { all: ['click', 'conversion'] } }).labels]).toEqual(
      c.map((x, i) => x & conversion[i]),
    );
    expect([...one({ labelFrom: { any: ['click', 'conversion'] } }).labels]).toEqual(
      c.map((x, i) => x | conversion[i]),
    );
    expect([...one({ labelFrom: { not: 'click' } }).labels]).toEqual(c.map((x) => 1 - x));
    // a missing operand gives no label, even where another operand alone would decide
    const l = one({ labelFrom: { any: ['click', { column: 'age', greaterThan: 40 }] } });
    expect([...l.mask]).toEqual([1, 1, 1, 1, 1, 0]);
    expect([...l.labels]).toEqual([1, 0, 1, 1, 1, 0]);
  });
  it('a label column holding something else than 0/1 is an error at its row', () => {
    expect(() => one({ labelFrom: { all: ['click', 'education'] } })).toThrow(
      /^adult\.csv:2: task "t": column "education" has "Bachelors", but labelFrom reads it as a 0\/1 label/,
    );
  });
  it('a threshold on a cell that is not a number is an error at its row', () => {
    expect(() => one({ labelFrom: { column: 'education', greaterThan: 3 } })).toThrow(
      /^adult\.csv:2: task "t": column "education": "Bachelors" is not a number/,
    );
  });
  it('a string value on a number column can never match: refused', () => {
    expect(() => one({ labelFrom: { column: 'age', in: ['old'] } })).toThrow(
      /"old" can never match the number column "age"/,
    );
  });
});

describe('sample weights', () => {
  const w = fnlwgt.map(Number);
  it('the mask holds the weight (rows of weight 0 are not counted), task or training', () => {
    const l = one({ label: 'click', sampleWeight: 'fnlwgt' });
    expect([...l.mask]).toEqual(w);
    expect(l.counted).toBe(5);
    expect([...one({ label: 'click' }, 'fnlwgt').mask]).toEqual(w);
  });
  it('combined with a sample space: the weight inside, 0 outside', () => {
    const l = one({ label: 'conversion', sampleSpace: { column: 'click', equals: 1 }, sampleWeight: 'fnlwgt' });
    expect([...l.mask]).toEqual(w.map((x, i) => (click[i] === '1' ? x : 0)));
  });
  it.each([
    ['-1', 'sample weight -1 in column "fnlwgt" is not a finite number >= 0'],
    ['abc', 'sample weight column "fnlwgt": "abc" is not a number'],
    [null, 'the sample weight column "fnlwgt" is missing'],
  ])('weight %s on line 4 is an error naming file and line', (bad, message) => {
    const cells = [...fnlwgt] as (string | null)[];
    cells[2] = bad;
    const t = createTable(
      { click: stringColumn(click), fnlwgt: stringColumn(cells) },
      { file: 'adult.csv', lines: Uint32Array.from([2, 3, 4, 5, 6, 7]) },
    );
    expect(() => transformLabels(t, [task({ label: 'click', sampleWeight: 'fnlwgt' })])).toThrow(
      `adult.csv:4: task "t": ${message}`,
    );
  });
  it('an infinite weight is refused', () => {
    const t = createTable({ click: numberColumn([1, 0]), fnlwgt: numberColumn([1, Infinity]) });
    expect(() => transformLabels(t, [task({ label: 'click', sampleWeight: 'fnlwgt' })])).toThrow(
      'row 2: task "t": sample weight Infinity in column "fnlwgt" is not a finite number >= 0',
    );
  });
});

describe('evaluation labels (ESMM factor)', () => {
  it('label and sample space come from evaluation; the task has no training label', () => {
    const l = one({ evaluation: { label: 'conversion', sampleSpace: { column: 'click', equals: 1 } } });
    expect([...l.labels]).toEqual(conversion);
    expect([...l.mask]).toEqual(click.map(Number));
  });
  it('an evaluation labelFrom, weighted', () => {
    const l = one({ evaluation: { labelFrom: { column: 'age', atLeast: 41 } }, sampleWeight: 'fnlwgt' });
    expect([...l.labels]).toEqual([1, 0, 1, 0, 1, 0]);
    expect([...l.mask]).toEqual([2.5, 1, 0, 4, 3, 0]);
  });
});

describe('withAvailableLabels (predict, serving)', () => {
  const spec = {
    tasks: [
      task({ name: 'a', labelFrom: { column: 'education', in: ['Masters'] } }),
      task({ name: 'b', label: 'click', sampleWeight: 'fnlwgt' }),
      task({ name: 'c', evaluation: { label: 'conversion' } }),
      task({ name: 'd', evaluation: { label: 'click', sampleSpace: { column: 'conversion', equals: 1 } } }),
    ],
    training: { sampleWeight: 'fnlwgt' },
  } as unknown as Spec;
  it('leaves out labels and weights whose columns the records lack', () => {
    const s = withAvailableLabels(spec, (c) => c === 'click');
    expect(s.tasks.map((t) => [t.label, t.labelFrom, t.evaluation, t.sampleWeight])).toEqual([
      [undefined, undefined, undefined, undefined],
      ['click', undefined, undefined, undefined],
      [undefined, undefined, undefined, undefined],
      [undefined, undefined, undefined, undefined],
    ]);
    expect(s.training.sampleWeight).toBeUndefined();
    // labels computed from such records need no label column at all
    const t = createTable({ click: stringColumn(['1', '0']) });
    expect([...transformLabels(t, s.tasks).keys()]).toEqual(['b']);
  });
});
