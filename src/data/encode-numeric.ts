// Numeric features: normalised floats, or bucket ids when `boundaries` are given.
//
// Normalisation, fitted on the training table (present cells only):
//   out = (g(x) - center) / scale, g(x) = log1p(max(x, 0)) for 'log', else x
//   standard: center = mean, scale = population sd (1 if the sd is 0)
//   minmax:   center = min, scale = max - min (1 if 0)
//   none, log: center = 0, scale = 1
// A missing cell under policy fill gets `fillValue`: the normalised `missing.fill` if given
// (raw units), else the training mean of the normalised values (0 for standard).
//
// Bucketised: id = number of boundaries <= x, in 0..B (upper-bound search, so a value equal
// to a boundary goes to the bucket above it); a missing cell gets bucket B + 1 unless
// `missing.fill` is given (then the fill value's bucket). vocabSize = B + 2.
import { cellNumber } from './cells.js';
import { DataError } from './errors.js';
import type { FeatureManifestBase, MissingPolicy } from './missing.js';
import { missingError } from './missing.js';
import type { NumericFeatureSpec } from '../schema/spec-schema.js';
import { rowLocation, type Column, type Table } from './table.js';

export type Normalization = 'none' | 'standard' | 'minmax' | 'log';

export interface NumericManifest extends FeatureManifestBase {
  type: 'numeric';
  normalization: Normalization;
  center: number;
  scale: number;
  fillValue: number;
}

export interface BucketizedManifest extends FeatureManifestBase {
  type: 'bucketized';
  boundaries: number[];
  fillId: number;
  vocabSize: number;
  embeddingDim: number;
}

const g = (normalization: Normalization, x: number) => (normalization === 'log' ? Math.log1p(Math.max(x, 0)) : x);

export function fitNumeric(
  feature: NumericFeatureSpec,
  table: Table,
  col: Column,
): NumericManifest | BucketizedManifest {
  const column = feature.column ?? feature.name;
  const missing: MissingPolicy = feature.missing?.policy ?? 'fill';
  const usedBy = `feature "${feature.name}"`;
  const fill = parseFill(feature);
  let present = 0;
  for (let i = 0; i < table.rowCount && present === 0; i++) if (!col.missing[i]) present++;
  if (present === 0) {
    const where = table.origin === undefined ? '' : `${table.origin.file}: `;
    throw new DataError(
      `${where}${usedBy} (column "${column}"): every value is missing in the ${table.rowCount} training rows; nothing to learn from (check the column and data.naValues)`,
    );
  }

  if (feature.boundaries !== undefined) {
    const b = feature.boundaries;
    for (let k = 1; k < b.length; k++) {
      if (!(b[k] > b[k - 1]))
        throw new DataError(`${usedBy}: boundaries must be strictly increasing (${b[k - 1]} then ${b[k]})`);
    }
    return {
      name: feature.name,
      type: 'bucketized',
      column,
      missing,
      boundaries: [...b],
      fillId: fill === undefined ? b.length + 1 : bucketOf(b, fill),
      vocabSize: b.length + 2,
      embeddingDim: feature.embeddingDim ?? 8,
    };
  }

  const normalization: Normalization = feature.normalization ?? 'standard';
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < table.rowCount; i++) {
    if (col.missing[i]) continue;
    const x = g(normalization, cellNumber(table, col, i, usedBy));
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = n > 0 ? sum / n : 0;
  let center = 0;
  let scale = 1;
  if (normalization === 'standard') {
    let ss = 0;
    for (let i = 0; i < table.rowCount; i++) {
      if (col.missing[i]) continue;
      ss += (g(normalization, cellNumber(table, col, i, usedBy)) - mean) ** 2;
    }
    const sd = n > 0 ? Math.sqrt(ss / n) : 0;
    center = mean;
    scale = sd > 0 ? sd : 1;
  } else if (normalization === 'minmax') {
    center = n > 0 ? min : 0;
    scale = n > 0 && max > min ? max - min : 1;
  }
  if (!Number.isFinite(center) || !Number.isFinite(scale) || !Number.isFinite(mean)) {
    // the sums overflowed: values near the float64 limit cannot be normalised
    let worst = -1;
    for (let i = 0; i < table.rowCount; i++) {
      if (
        !col.missing[i] &&
        (worst < 0 || Math.abs(cellNumber(table, col, i, usedBy)) > Math.abs(cellNumber(table, col, worst, usedBy)))
      )
        worst = i;
    }
    throw new DataError(
      `${rowLocation(table, worst)}: ${usedBy} (column "${column}"): ${cellNumber(table, col, worst, usedBy)} is too large to normalise (its ${normalization} statistics overflow); fix the value, or use normalization: log or boundaries`,
    );
  }
  return {
    name: feature.name,
    type: 'numeric',
    column,
    missing,
    normalization,
    center,
    scale,
    fillValue: fill === undefined ? (mean - center) / scale : (g(normalization, fill) - center) / scale,
  };
}

/** A present value's model input: normalised, then standardised with the fitted statistics. */
export function encodeNumber(m: NumericManifest, x: number): number {
  return (g(m.normalization, x) - m.center) / m.scale;
}

export function transformNumeric(
  m: NumericManifest,
  table: Table,
  col: Column,
  rows: ArrayLike<number>,
  out: Float32Array,
): void {
  const usedBy = `feature "${m.name}"`;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (col.missing[i]) {
      if (m.missing !== 'fill') throw missingError(table, i, m);
      out[k] = m.fillValue;
    } else {
      const x = cellNumber(table, col, i, usedBy);
      const v = encodeNumber(m, x);
      out[k] = v;
      // a finite input can still leave the float32 range after normalisation (1e308, or 1e38
      // with a small scale): the model would score NaN, so the row is refused instead
      if (!Number.isFinite(out[k])) {
        throw new DataError(
          `${rowLocation(table, i)}: ${usedBy} (column "${m.column}"): ${x} is out of range (normalised to ${v}, beyond float32); the training values were around ${m.center} +- ${m.scale}`,
        );
      }
    }
  }
}

export function transformBucketized(
  m: BucketizedManifest,
  table: Table,
  col: Column,
  rows: ArrayLike<number>,
  out: Int32Array,
): void {
  const usedBy = `feature "${m.name}"`;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (col.missing[i]) {
      if (m.missing !== 'fill') throw missingError(table, i, m);
      out[k] = m.fillId;
    } else {
      out[k] = bucketOf(m.boundaries, cellNumber(table, col, i, usedBy));
    }
  }
}

/** Number of boundaries <= x (binary search). */
export function bucketOf(boundaries: readonly number[], x: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function parseFill(feature: NumericFeatureSpec): number | undefined {
  const fill = feature.missing?.fill;
  if (fill === undefined) return undefined;
  const n = typeof fill === 'number' ? fill : Number(fill);
  if (!Number.isFinite(n) || (typeof fill === 'string' && fill.trim() === '')) {
    throw new DataError(`feature "${feature.name}": missing.fill ${JSON.stringify(fill)} is not a number`);
  }
  return n;
}
