// The ecom generator's cross-interaction signal (param crossSignal): off by default, where the
// data is byte-identical to the generator before the param existed (the digest below was taken
// from that version); on, it changes only the labels, through a click-logit term that tracks
// age x price + gender x category parity, computed here from the observable columns.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEcom } from '../../src/data/synthetic-ecom.js';
import type { NumberColumn, StringColumn, Table } from '../../src/data/table.js';

const nums = (t: Table, name: string) => (t.columns.get(name) as NumberColumn).values;
const strs = (t: Table, name: string) => (t.columns.get(name) as StringColumn).values;

function digest(t: Table): string {
  const h = createHash('sha256');
  for (const [name, c] of [...t.columns.entries()].sort()) {
    h.update(name);
    h.update(c.kind === 'number' ? Buffer.from(c.values.buffer) : c.values.join('\u0000'));
  }
  return h.digest('hex');
}

function standardise(xs: ArrayLike<number>): number[] {
  const a = Array.from(xs);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length);
  return a.map((x) => (x - m) / sd);
}

function correlation(a: number[], b: number[]): number {
  const x = standardise(a);
  const y = standardise(b);
  return x.reduce((s, v, i) => s + v * y[i], 0) / x.length;
}

/** age~ x price~ + gender x category parity, from the columns a model sees. */
function crossTerm(t: Table): number[] {
  const age = standardise(nums(t, 'user_age'));
  const price = standardise(Array.from(nums(t, 'item_price'), (p) => Math.log(p)));
  const gender = strs(t, 'user_gender');
  const category = strs(t, 'item_category');
  return age.map(
    (a, i) => a * price[i] + (gender[i] === 'f' ? 1 : -1) * (Number(category[i].slice(3)) % 2 === 0 ? 1 : -1),
  );
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('ecom generator: crossSignal', () => {
  const options = { rows: 2000, seed: 3, correlation: 0.5 };

  it('is off by default: the data is byte-identical to the generator without the param', () => {
    const t = generateEcom(options);
    expect(digest(t)).toBe('3f176fe1432869162d236413691fe930168c84f1604be1c8e9c082e4e0fb3e33');
    expect(digest(generateEcom({ ...options, params: { crossSignal: 0 } }))).toBe(digest(t));
  });

  it('on, it changes the labels only, through the cross term', () => {
    const off = generateEcom({ ...options, rows: 6000, includeLatent: true });
    const on = generateEcom({ ...options, rows: 6000, includeLatent: true, params: { crossSignal: 1.5 } });
    for (const name of on.columns.keys()) {
      if (['click', 'conversion', 'p_click', 'p_conversion'].includes(name)) continue;
      expect(on.columns.get(name), name).toEqual(off.columns.get(name));
    }
    const term = crossTerm(on);
    const rOn = correlation(Array.from(nums(on, 'p_click'), logit), term);
    const rOff = correlation(Array.from(nums(off, 'p_click'), logit), term);
    expect(rOn).toBeGreaterThan(0.5);
    expect(Math.abs(rOff)).toBeLessThan(0.1);
  });
});
