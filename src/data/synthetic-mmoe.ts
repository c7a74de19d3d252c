// The synthetic data of the MMoE paper (Ma et al., "Modeling Task Relationships in Multi-task
// Learning with Multi-gate Mixture-of-Experts", KDD 2018, Sec. 3.2), where task relatedness
// is a known knob:
//
//   u1, u2: orthogonal unit vectors in R^d (Gaussian, then Gram-Schmidt)
//   w1 = c u1,  w2 = c (rho u1 + sqrt(1 - rho^2) u2)
//   x ~ N(0, I_d)
//   y_k = w_k^T x + sum_{i=1..m} sin(alpha_i w_k^T x + beta_i) + eps_k,  eps_k ~ N(0, 0.01)
//
// alpha_i, beta_i ~ N(0, 1) as in the PLE paper (Tang et al., RecSys 2020). With m = 0 the
// tasks are linear and corr(y1, y2) = c^2 rho / (c^2 + noise), i.e. about rho.
//
// The task functions (u1, u2, alpha, beta) come from the seed alone; the rows come from the
// sub-stream named by `stream`, so `stream: 'train'` and `stream: 'test'` give different
// rows of the same two tasks.
import { DataError } from './errors.js';
import { Rng } from './random.js';
import { MMOE_SYNTHETIC_PARAMS } from '../schema/generator-params.js';
import { resolveParams, checkCommonOptions } from './synthetic-params.js';
import { createTable, type Column, type Table } from './table.js';

export { MMOE_SYNTHETIC_PARAMS };

export interface MmoeSyntheticOptions {
  rows: number;
  seed: number;
  /** rho, the cosine between w1 and w2, in [-1, 1]. */
  correlation: number;
  params?: Readonly<Record<string, number>>;
  /** Names the row stream: use different names for train and test. Default 'train'. */
  stream?: string;
}

export function generateMmoeSynthetic(options: MmoeSyntheticOptions): Table {
  const { rows, seed, correlation: rho } = options;
  checkCommonOptions('mmoe-synthetic', rows, rho);
  const { d, c, m, noise } = resolveParams('mmoe-synthetic', MMOE_SYNTHETIC_PARAMS, options.params);

  const world = new Rng(seed).fork('mmoe-synthetic:tasks');
  const u1 = unit(gaussian(world, d));
  const u2 = unit(orthogonalise(gaussian(world, d), u1));
  const s = Math.sqrt(Math.max(0, 1 - rho * rho));
  const w1 = new Float64Array(d);
  const w2 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    w1[j] = c * u1[j];
    w2[j] = c * (rho * u1[j] + s * u2[j]);
  }
  const alpha = gaussian(world, m);
  const beta = gaussian(world, m);

  const rng = new Rng(seed).fork(`mmoe-synthetic:rows:${options.stream ?? 'train'}`);
  const xs = Array.from({ length: d }, () => new Float64Array(rows));
  const y1 = new Float64Array(rows);
  const y2 = new Float64Array(rows);
  const noiseStd = Math.sqrt(noise);
  const task = (p: number) => {
    let y = p;
    for (let i = 0; i < m; i++) y += Math.sin(alpha[i] * p + beta[i]);
    return y;
  };
  for (let r = 0; r < rows; r++) {
    let p1 = 0;
    let p2 = 0;
    for (let j = 0; j < d; j++) {
      const x = rng.normal();
      xs[j][r] = x;
      p1 += w1[j] * x;
      p2 += w2[j] * x;
    }
    y1[r] = task(p1) + noiseStd * rng.normal();
    y2[r] = task(p2) + noiseStd * rng.normal();
  }

  const columns = new Map<string, Column>();
  xs.forEach((values, j) => columns.set(`x${j}`, { kind: 'number', values, missing: new Uint8Array(rows) }));
  columns.set('y1', { kind: 'number', values: y1, missing: new Uint8Array(rows) });
  columns.set('y2', { kind: 'number', values: y2, missing: new Uint8Array(rows) });
  return createTable(columns);
}

/** Pearson correlation of two equally long samples (NaN if either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`pearson: lengths ${a.length} and ${b.length} differ`);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Pearson correlation of two number columns of a table (default the labels y1, y2), over
 * the rows where both are present: the task relatedness a data set actually has. */
export function labelCorrelation(table: Table, a = 'y1', b = 'y2'): number {
  const ca = table.columns.get(a);
  const cb = table.columns.get(b);
  if (ca?.kind !== 'number' || cb?.kind !== 'number') {
    throw new DataError(`labelCorrelation: "${a}" and "${b}" must be number columns`);
  }
  const xa: number[] = [];
  const xb: number[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    if (ca.missing[i] || cb.missing[i]) continue;
    xa.push(ca.values[i]);
    xb.push(cb.values[i]);
  }
  return pearson(xa, xb);
}

function gaussian(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

function unit(v: Float64Array): Float64Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return v.map((x) => x / norm);
}

/** Gram-Schmidt step: v minus its projection on the unit vector u. */
function orthogonalise(v: Float64Array, u: Float64Array): Float64Array {
  let dot = 0;
  for (let j = 0; j < v.length; j++) dot += v[j] * u[j];
  return v.map((x, j) => x - dot * u[j]);
}
