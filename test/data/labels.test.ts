import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { transformLabels } from '../../src/data/labels.js';
import { createTable, numberColumn, stringColumn } from '../../src/data/table.js';
import type { TaskSpec } from '../../src/schema/spec-schema.js';

const task = (name: string, extra: Partial<TaskSpec> = {}): TaskSpec =>
  ({ name, type: 'binary', weight: 1, ...extra }) as TaskSpec;
const arr = (a: Float32Array | undefined) => [...(a ?? [])];

const log = createTable({
  click: numberColumn([1, 0, 1, NaN, 1]),
  buy: stringColumn(['1', '0', '0', '1', null]),
  income: stringColumn(['>50K', '<=50K', '>50K', '<=50K', '>50K']),
  price: stringColumn(['2.5', '1', '', 'x', '3']),
  scene: stringColumn(['home', 'search', 'home', 'home', 'search']),
});

describe('transformLabels', () => {
  it('reads binary labels with the default positive (1 / "1" / true) and a named one', () => {
    const out = transformLabels(log, [
      task('ctr', { label: 'click' }),
      task('cvr', { label: 'buy' }),
      task('rich', { label: 'income', positive: '>50K', negative: ['<=50K'] }),
    ]);
    expect(arr(out.get('ctr')!.labels)).toEqual([1, 0, 1, 0, 1]);
    expect(arr(out.get('ctr')!.mask)).toEqual([1, 1, 1, 0, 1]); // missing label: mask 0
    expect(arr(out.get('cvr')!.labels)).toEqual([1, 0, 0, 1, 0]);
    expect(arr(out.get('rich')!.labels)).toEqual([1, 0, 1, 0, 1]);
    expect(out.get('rich')).toMatchObject({ counted: 5, positives: 3 });
  });

  it('masks by sampleSpace: conversion counts only where click = 1', () => {
    const out = transformLabels(log, [task('cvr', { label: 'buy', sampleSpace: { column: 'click', equals: 1 } })]);
    expect(arr(out.get('cvr')!.mask)).toEqual([1, 0, 1, 0, 0]);
    expect(out.get('cvr')!.counted).toBe(2);
  });

  it('masks by scenario when the task lists scenarios', () => {
    const out = transformLabels(log, [task('ctr', { label: 'click', scenarios: ['home'] })], {
      scenarioColumn: 'scene',
    });
    expect(arr(out.get('ctr')!.mask)).toEqual([1, 0, 1, 0, 0]);
    expect(() => transformLabels(log, [task('ctr', { label: 'click', scenarios: ['home'] })])).toThrow(
      /no scenario column/,
    );
  });

  it('reads regression labels as numbers, naming a bad cell', () => {
    const ok = transformLabels(log, [task('price', { type: 'regression', label: 'price' })], { rows: [0, 1, 4] });
    expect(arr(ok.get('price')!.labels)).toEqual([2.5, 1, 3]);
    expect(() => transformLabels(log, [task('price', { type: 'regression', label: 'price' })])).toThrow(
      'row 3: task "price" label: "" is not a number',
    );
  });

  it('follows the pipeline rows and skips tasks without a label', () => {
    const out = transformLabels(log, [task('ctr', { label: 'click' }), task('ctcvr', { product: ['ctr', 'cvr'] })], {
      rows: Uint32Array.of(4, 0),
    });
    expect([...out.keys()]).toEqual(['ctr']);
    expect(arr(out.get('ctr')!.labels)).toEqual([1, 1]);
  });

  it('rejects a positive that can never match', () => {
    expect(() => transformLabels(log, [task('t', { label: 'click', positive: 'yes' })])).toThrow(
      'task "t": positive "yes" can never match the number column "click"',
    );
  });

  const adult = join(import.meta.dirname, '../../../shared/data/adult/adult.train.csv');
  it.skipIf(!existsSync(adult))('labels UCI Adult: income >50K and never married', async () => {
    const { table } = await readCsv(adult, { naValues: ['?'] });
    const out = transformLabels(table, [
      task('income', { label: 'income', positive: '>50K', negative: ['<=50K'] }),
      task('single', { label: 'marital_status', positive: 'Never-married', negative: 'other' }),
    ]);
    expect(out.get('income')!.positives / table.rowCount).toBeCloseTo(0.241, 3);
    expect(out.get('single')!.positives / table.rowCount).toBeGreaterThan(0.3);
  });
});
