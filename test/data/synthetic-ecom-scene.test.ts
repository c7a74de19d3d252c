// The ecom generator's scene-specific effect (data.params.scenarioEffect, for the STAR study):
// off by default with every row byte-identical to before it existed; on, the features stay the
// same and only the labels' propensities change, differently per scene.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEcom } from '../../src/data/synthetic-ecom.js';
import type { NumberColumn, StringColumn, Table } from '../../src/data/table.js';

const nums = (t: Table, name: string) => (t.columns.get(name) as NumberColumn).values;
const strs = (t: Table, name: string) => (t.columns.get(name) as StringColumn).values;
const logit = (p: number) => Math.log(p / (1 - p));

function fingerprint(t: Table): string {
  const h = createHash('sha256');
  for (const name of [...t.columns.keys()].sort()) {
    h.update(name);
    h.update(JSON.stringify(Array.from((t.columns.get(name)?.values ?? []) as ArrayLike<unknown>)));
  }
  return h.digest('hex');
}

function corr(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('ecom generator: scenarioEffect', () => {
  const opts = { rows: 3000, seed: 7, correlation: 0.5, includeLatent: true } as const;
  const plain = generateEcom(opts);

  it('is off by default: the rows are those generated before the parameter existed', () => {
    // sha256 of this table computed with the generator of main before scenarioEffect was added
    expect(fingerprint(plain)).toBe('c501c42e8453f5d45108d834ac7ee7cbeef48087af790a7150140c62c5ac7e2a');
    expect(fingerprint(generateEcom({ ...opts, params: { scenarioEffect: 0 } }))).toBe(fingerprint(plain));
  });

  it('changes only the propensities, with a price slope of its own per scene', () => {
    const scened = generateEcom({ ...opts, rows: 20000, params: { scenarioEffect: 1.5 } });
    const base = generateEcom({ ...opts, rows: 20000 });
    for (const c of ['user_id', 'user_age', 'user_history', 'item_id', 'item_price', 'context_hour', 'scene'])
      expect(Array.from(scened.columns.get(c)?.values as ArrayLike<unknown>)).toEqual(
        Array.from(base.columns.get(c)?.values as ArrayLike<unknown>),
      );
    expect(Array.from(nums(scened, 'p_click'))).not.toEqual(Array.from(nums(base, 'p_click')));
    // the calibration still hits the target click rate
    const rate = nums(scened, 'p_click').reduce((a, b) => a + b, 0) / 20000;
    expect(rate).toBeGreaterThan(0.13);
    expect(rate).toBeLessThan(0.17);
    // within a scene, the change of the conversion logit follows log price with that scene's slope
    const scene = strs(scened, 'scene');
    const price = Array.from(nums(scened, 'item_price'), (p) => Math.log(p));
    const shift = Array.from(nums(scened, 'p_conversion'), (p, i) => logit(p) - logit(nums(base, 'p_conversion')[i]));
    const perScene = ['home', 'search', 'detail'].map((s) => {
      const rows = scene.flatMap((v, i) => (v === s ? [i] : []));
      return corr(
        rows.map((i) => price[i]),
        rows.map((i) => shift[i]),
      );
    });
    expect(Math.max(...perScene) - Math.min(...perScene)).toBeGreaterThan(0.5);
  });

  it('is checked like every param', () => {
    expect(() => generateEcom({ ...opts, params: { scenarioEffect: -1 } })).toThrow(/scenarioEffect/);
  });
});
