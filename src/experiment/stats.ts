// Summary statistics over repeated runs (seeds): mean, sample standard deviation (n - 1),
// standard error of the mean, and paired differences (the same seed gives two models the same
// data, so per-seed differences remove the data's share of the variance) with a t-based 95%
// confidence interval, right for the handful of seeds an experiment has.

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); NaN for n < 2. */
  std: number;
  /** std / sqrt(n); NaN for n < 2. */
  se: number;
}

export function summarize(xs: readonly number[]): Summary {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { n, mean: Number.NaN, std: Number.NaN, se: Number.NaN };
  const mean = v.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { n, mean, std: Number.NaN, se: Number.NaN };
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return { n, mean, std, se: std / Math.sqrt(n) };
}

// Two-sided 95% critical values of Student's t, t(0.975, df), to 4 decimals, for df = 1..30 and
// 40, 60, 120 (any statistics table, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2); df = infinity is
// the normal 1.9600. Between tabulated df the value is interpolated linearly in 1/df, the usual
// rule (error below 1e-3 here). With few seeds this matters: at n = 5 (df = 4) an interval is
// mean ± 2.776 SE, not ± 2 SE.
const T975: readonly number[] = [
  Number.NaN,
  12.7062,
  4.3027,
  3.1824,
  2.7764,
  2.5706,
  2.4469,
  2.3646,
  2.306,
  2.2622,
  2.2281,
  2.201,
  2.1788,
  2.1604,
  2.1448,
  2.1314,
  2.1199,
  2.1098,
  2.1009,
  2.093,
  2.086,
  2.0796,
  2.0739,
  2.0687,
  2.0639,
  2.0595,
  2.0555,
  2.0518,
  2.0484,
  2.0452,
  2.0423,
];
const T975_TAIL: readonly [number, number][] = [
  [30, 2.0423],
  [40, 2.0211],
  [60, 2.0003],
  [120, 1.9799],
  [Number.POSITIVE_INFINITY, 1.96],
];

/** t(0.975, df): the two-sided 95% critical value of Student's t; NaN for df < 1. */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  if (Number.isInteger(df) && df < T975.length) return T975[df];
  for (let i = 1; i < T975_TAIL.length; i++) {
    const [d1, t1] = T975_TAIL[i];
    if (df <= d1) {
      const [d0, t0] = T975_TAIL[i - 1];
      const w = (1 / d0 - 1 / df) / (1 / d0 - 1 / d1);
      return t0 + w * (t1 - t0);
    }
  }
  return 1.96;
}

export interface PairedDifference extends Summary {
  /** mean / se: how many standard errors the mean difference is from zero. */
  ratio: number;
  /** Pairs where a < b. */
  aLower: number;
  /** The 95% confidence interval of the mean difference, mean ± t(0.975, n - 1) se (NaN for n < 2). */
  ci95: [number, number];
  /** The interval excludes zero: |mean / se| > t(0.975, n - 1). */
  clear: boolean;
}

/** a - b over the keys present in both. */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedDifference {
  const d: number[] = [];
  let aLower = 0;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    d.push(x - y);
    if (x < y) aLower++;
  }
  const s = summarize(d);
  const half = tCritical95(s.n - 1) * s.se;
  const ratio = s.mean / s.se;
  return { ...s, ratio, aLower, ci95: [s.mean - half, s.mean + half], clear: Math.abs(ratio) > tCritical95(s.n - 1) };
}
