// Summary statistics over repeated runs (seeds): mean, sample standard deviation (n - 1),
// standard error of the mean, and paired differences (the same seed gives two models the same
// data, so per-seed differences remove the data's share of the variance).

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

export interface PairedDifference extends Summary {
  /** mean / se: how many standard errors the mean difference is from zero. */
  ratio: number;
  /** Pairs where a < b. */
  aLower: number;
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
  return { ...s, ratio: s.mean / s.se, aLower };
}
