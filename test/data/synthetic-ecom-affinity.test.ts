// The ecom generator's history-target affinity signal (param historyAffinity, for target
// attention): off by default with the data unchanged, and when on, clicks depend on how many
// history entries are in the shown item's complementary category.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEcom } from '../../src/data/synthetic-ecom.js';
import type { NumberColumn, StringColumn, Table } from '../../src/data/table.js';

const nums = (t: Table, name: string) => (t.columns.get(name) as NumberColumn).values;
const strs = (t: Table, name: string) => (t.columns.get(name) as StringColumn).values;

function digest(params?: Record<string, number>): string {
  const h = createHash('sha256');
  for (const [seed, stream] of [
    [1, 'train'],
    [3, 'test'],
  ] as const) {
    const t = generateEcom({ rows: 3000, seed, correlation: 0.5, stream, includeLatent: true, params });
    for (const [name, c] of t.columns) {
      h.update(name);
      h.update(c.kind === 'number' ? Buffer.from(c.values.buffer) : c.values.join('\n'));
    }
  }
  return h.digest('hex');
}

describe('ecom generator: historyAffinity', () => {
  it('is off by default, and the data is byte-identical to the generator before the param existed', () => {
    // Digest of the same rows from the generator at commit 2f20b2f (before historyAffinity).
    const before = '051eb9c940170a58476a598d06fb65bc99645393c2c47b7d3df6203a42a28022';
    expect(digest()).toBe(before);
    expect(digest({ historyAffinity: 0 })).toBe(before);
  });

  it('when on, raises the click probability by the count of complementary-category history entries', () => {
    const on = generateEcom({
      rows: 20000,
      seed: 1,
      correlation: 0.5,
      includeLatent: true,
      params: { historyAffinity: 1 },
    });
    const off = generateEcom({ rows: 20000, seed: 1, correlation: 0.5, includeLatent: true });
    // Same impressions (the signal draws from its own sub-stream), only the click logits move.
    expect(strs(on, 'user_history')).toEqual(strs(off, 'user_history'));
    expect(strs(on, 'item_id')).toEqual(strs(off, 'item_id'));
    const history = strs(on, 'user_history');
    const category = strs(on, 'item_category');
    const pOn = nums(on, 'p_click');
    const pOff = nums(off, 'p_click');
    const logit = (p: number) => Math.log(p / (1 - p));
    // z1 is re-standardised and the bias re-solved when the signal is on, so
    // logit_on = a + b * logit_off + g * count(complement in history). Rows with an empty
    // history fit a and b; the rest of every row's logit is then g * count, and per category
    // one history category (its complement) must explain it exactly.
    const empty = [...history.keys()].filter((i) => history[i] === '');
    const fit = ols(
      empty.map((i) => logit(pOff[i])),
      empty.map((i) => logit(pOn[i])),
    );
    expect(fit.b).toBeGreaterThan(0);
    const shiftByCat = new Map<string, { count: Map<string, number>[]; shift: number[] }>();
    for (let i = 0; i < on.rowCount; i++) {
      const counts = new Map<string, number>();
      for (const c of history[i] === '' ? [] : history[i].split('|')) counts.set(c, (counts.get(c) ?? 0) + 1);
      const e = shiftByCat.get(category[i]) ?? { count: [], shift: [] };
      e.count.push(counts);
      e.shift.push(logit(pOn[i]) - fit.a - fit.b * logit(pOff[i]));
      shiftByCat.set(category[i], e);
    }
    let explained = 0;
    let categories = 0;
    for (const [cat, e] of shiftByCat) {
      if (e.shift.length < 50) continue;
      categories++;
      // The candidate whose count correlates best with the shift; the shift is then exactly
      // linear in its count (one slope for every row), and the complement is never the category itself.
      const candidates = new Set(e.count.flatMap((m) => [...m.keys()]));
      let best = { c: '', r: -2 };
      for (const c of candidates) {
        const x = e.count.map((m) => m.get(c) ?? 0);
        const r = corr(x, e.shift);
        if (r > best.r) best = { c, r };
      }
      expect(best.c).not.toBe(cat);
      if (best.r > 0.999) explained++;
    }
    expect(categories).toBeGreaterThan(10);
    expect(explained).toBe(categories);
  });
});

function ols(x: number[], y: number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

function corr(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? -2 : sxy / Math.sqrt(sxx * syy);
}
