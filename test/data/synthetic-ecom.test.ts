import { describe, expect, it } from 'vitest';
import { generateEcom } from '../../src/data/synthetic-ecom.js';
import type { NumberColumn, StringColumn, Table } from '../../src/data/table.js';
import { auc, mean } from './helpers.js';

const nums = (t: Table, name: string) => (t.columns.get(name) as NumberColumn).values;
const strs = (t: Table, name: string) => (t.columns.get(name) as StringColumn).values;

describe('ecom generator', () => {
  const train = generateEcom({ rows: 20000, seed: 1, correlation: 0.5 });

  it('has the documented columns', () => {
    expect([...train.columns.keys()]).toEqual([
      'user_id',
      'user_age',
      'user_gender',
      'user_city',
      'user_history',
      'item_id',
      'item_category',
      'item_price',
      'context_hour',
      'scene',
      'click',
      'conversion',
    ]);
    expect(strs(train, 'user_id')[0]).toMatch(/^u\d+$/);
    expect(new Set(strs(train, 'scene'))).toEqual(new Set(['home', 'search', 'detail']));
    expect(new Set(strs(train, 'user_gender'))).toEqual(new Set(['m', 'f']));
    const hours = nums(train, 'context_hour');
    expect(Math.min(...hours)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...hours)).toBeLessThanOrEqual(23);
    const lengths = strs(train, 'user_history').map((h) => (h === '' ? 0 : h.split('|').length));
    expect(Math.max(...lengths)).toBe(10);
    expect(Math.min(...lengths)).toBe(0);
    expect(Math.min(...nums(train, 'item_price'))).toBeGreaterThan(0);
  });

  it('is deterministic for a seed; train and test streams differ', () => {
    expect(generateEcom({ rows: 300, seed: 7, correlation: 0.2 })).toEqual(
      generateEcom({ rows: 300, seed: 7, correlation: 0.2 }),
    );
    const test = generateEcom({ rows: 300, seed: 7, correlation: 0.2, stream: 'test' });
    expect(strs(test, 'user_id')).not.toEqual(strs(generateEcom({ rows: 300, seed: 7, correlation: 0.2 }), 'user_id'));
  });

  it('converts only after a click, at the target rates', () => {
    const click = nums(train, 'click');
    const conversion = nums(train, 'conversion');
    let clicks = 0;
    let conversions = 0;
    for (let i = 0; i < train.rowCount; i++) {
      if (conversion[i] === 1) expect(click[i]).toBe(1);
      clicks += click[i];
      conversions += conversion[i];
    }
    expect(clicks / train.rowCount).toBeGreaterThan(0.1);
    expect(clicks / train.rowCount).toBeLessThan(0.2);
    expect(conversions / clicks).toBeGreaterThan(0.1);
    expect(conversions / clicks).toBeLessThan(0.3);
  });

  it('has click labels a plain model can learn (> 0.6 AUC on held-out rows)', () => {
    // A crude learner: the training click rate per (item category, scene, times the category
    // is in the user's history), scored on a test stream.
    const key = (t: Table, i: number) => {
      const category = strs(t, 'item_category')[i];
      const inHistory = strs(t, 'user_history')
        [i].split('|')
        .filter((c) => c === category).length;
      return `${category}/${strs(t, 'scene')[i]}/${inHistory}`;
    };
    const stats = new Map<string, [number, number]>();
    const click = nums(train, 'click');
    for (let i = 0; i < train.rowCount; i++) {
      const s = stats.get(key(train, i)) ?? [0, 0];
      s[0] += click[i];
      s[1] += 1;
      stats.set(key(train, i), s);
    }
    const test = generateEcom({ rows: 5000, seed: 1, correlation: 0.5, stream: 'test', includeLatent: true });
    const scores = Array.from({ length: test.rowCount }, (_, i) => {
      const s = stats.get(key(test, i));
      return s === undefined ? 0.15 : (s[0] + 1) / (s[1] + 6);
    });
    expect(auc(scores, nums(test, 'click'))).toBeGreaterThan(0.65);
    // The true probabilities bound what any model can reach.
    expect(auc(nums(test, 'p_click'), nums(test, 'click'))).toBeGreaterThan(0.75);
  });

  it('couples conversion to the click propensity as `correlation` says', () => {
    // Among clicked rows, how well does the click propensity rank conversions? rho = 0.9:
    // clearly (AUC > 0.5); rho = 0: not at all; rho = -0.9: inversely.
    const coupling = (rho: number) => {
      const t = generateEcom({ rows: 20000, seed: 2, correlation: rho, includeLatent: true });
      const click = nums(t, 'click');
      const rows = Array.from({ length: t.rowCount }, (_, i) => i).filter((i) => click[i] === 1);
      return auc(
        rows.map((i) => nums(t, 'p_click')[i]),
        rows.map((i) => nums(t, 'conversion')[i]),
      );
    };
    const high = coupling(0.9);
    const none = coupling(0);
    const low = coupling(-0.9);
    expect(high).toBeGreaterThan(0.65);
    expect(Math.abs(none - 0.5)).toBeLessThan(0.06);
    expect(low).toBeLessThan(0.35);
    // The conversion rate among clicks stays on target whatever the coupling.
    const t = generateEcom({ rows: 20000, seed: 2, correlation: -0.9 });
    expect(mean(nums(t, 'conversion')) / mean(nums(t, 'click'))).toBeGreaterThan(0.1);
  });

  it('checks params', () => {
    expect(() => generateEcom({ rows: 1, seed: 1, correlation: 0, params: { user: 5 } })).toThrow(
      /ecom: unknown param "user"; known params: users, /,
    );
    const small = generateEcom({
      rows: 200,
      seed: 1,
      correlation: 0,
      params: { users: 3, items: 4, categories: 2, historyMax: 2 },
    });
    expect(new Set(strs(small, 'user_id')).size).toBeLessThanOrEqual(3);
    expect(new Set(strs(small, 'item_category')).size).toBeLessThanOrEqual(2);
  });
});
