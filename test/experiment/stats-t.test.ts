// Student's t critical values and the paired-difference interval built on them.
import { describe, expect, it } from 'vitest';
import { pairedDifference, tCritical95 } from '../../src/experiment/stats.js';

describe("Student's t: t(0.975, df)", () => {
  it('matches closed forms: df = 1 is Cauchy, tan(pi (p - 1/2)); df = 2 is (2p - 1) / sqrt(2 p (1 - p))', () => {
    const p = 0.975;
    expect(tCritical95(1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 3);
    expect(tCritical95(2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 3);
  });

  it('matches published table values (t(0.975, 4) = 2.776 is the n = 5 seeds case)', () => {
    const known: [number, number][] = [
      [3, 3.182],
      [4, 2.776],
      [9, 2.262],
      [19, 2.093],
      [29, 2.045],
      [40, 2.021],
      [120, 1.98],
    ];
    for (const [df, t] of known) expect(tCritical95(df), `df ${df}`).toBeCloseTo(t, 3);
  });

  it('between tabulated df it lies between the neighbours, falling towards the normal 1.96', () => {
    const t50 = tCritical95(50); // published: 2.009
    expect(t50).toBeCloseTo(2.009, 2);
    expect(t50).toBeLessThan(tCritical95(40));
    expect(t50).toBeGreaterThan(tCritical95(60));
    expect(tCritical95(1e9)).toBeCloseTo(1.96, 3);
    expect(tCritical95(0)).toBeNaN();
  });
});

describe('paired difference: t interval', () => {
  it('n = 5 with |diff/SE| = 2.5 is not clear (2.5 < 2.776), though it was called clear by the old |diff/SE| > 2 rule', () => {
    // differences d = a - b chosen so that mean / (sd / sqrt 5) = 2.5
    const base = [-1, -0.5, 0, 0.5, 1];
    const sd = Math.sqrt(base.reduce((s, x) => s + x * x, 0) / 4);
    const mean = (2.5 * sd) / Math.sqrt(5);
    const a = new Map(base.map((x, i) => [i, x + mean + 10] as [number, number]));
    const b = new Map(base.map((_, i) => [i, 10] as [number, number]));
    const d = pairedDifference(a, b);
    expect(d.n).toBe(5);
    expect(d.ratio).toBeCloseTo(2.5, 9);
    expect(d.clear).toBe(false);
    const half = 2.7764 * (sd / Math.sqrt(5));
    expect(d.ci95[0]).toBeCloseTo(mean - half, 9);
    expect(d.ci95[1]).toBeCloseTo(mean + half, 9);
    expect(d.ci95[0]).toBeLessThan(0);
  });

  it('n = 5 with |diff/SE| = 3 is clear, and the interval excludes zero', () => {
    const base = [-1, -0.5, 0, 0.5, 1];
    const sd = Math.sqrt(base.reduce((s, x) => s + x * x, 0) / 4);
    const mean = (3 * sd) / Math.sqrt(5);
    const d = pairedDifference(
      new Map(base.map((x, i) => [i, x + mean] as [number, number])),
      new Map(base.map((_, i) => [i, 0] as [number, number])),
    );
    expect(d.clear).toBe(true);
    expect(d.ci95[0]).toBeGreaterThan(0);
  });

  it('one pair gives no interval', () => {
    const d = pairedDifference(new Map([[1, 2]]), new Map([[1, 1]]));
    expect(d.ci95.every(Number.isNaN)).toBe(true);
    expect(d.clear).toBe(false);
  });
});
