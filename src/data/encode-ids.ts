// Categorical and sequence features: tokens -> ids through their id space (id-space.ts).
//
// categorical: one id per row (Int32Array [n]).
// sequence:    the cell split by `separator`, empty pieces dropped ("a||b" is two values),
//              the first `maxLength` values encoded, the rest of the row padded with id 0
//              (Int32Array [n * maxLength], row-major). Id 0 is reserved for padding in the
//              sequence's id space, so the model can mask it when pooling. A row may be all
//              padding (an empty history), so pooling must tolerate a count of 0.
import { cellToken } from './cells.js';
import type { IdEncoder } from './id-space.js';
import type { FeatureManifestBase } from './missing.js';
import { missingError } from './missing.js';
import type { Column, Table } from './table.js';

export const PAD_ID = 0;

export interface CategoricalManifest extends FeatureManifestBase {
  type: 'categorical';
  /** Key of the id space in the manifest's `idSpaces` (shared features name the same one). */
  idSpace: string;
  fillId: number;
  embeddingDim: number;
}

export interface SequenceManifest extends FeatureManifestBase {
  type: 'sequence';
  idSpace: string;
  separator: string;
  maxLength: number;
  pooling: 'sum' | 'mean' | 'max' | 'attention';
  /** Ids used for a missing cell under policy fill (empty: all padding). */
  fillIds: number[];
  embeddingDim: number;
}

/** The values of a present sequence cell that the model sees. */
export function sequenceTokens(col: Column, i: number, separator: string, maxLength: number): string[] {
  if (col.kind === 'number') return [String(col.values[i])];
  const out: string[] = [];
  for (const piece of col.values[i].split(separator)) {
    if (piece === '') continue;
    out.push(piece);
    if (out.length === maxLength) break;
  }
  return out;
}

export function transformCategorical(
  m: CategoricalManifest,
  encoder: IdEncoder,
  table: Table,
  col: Column,
  rows: ArrayLike<number>,
  out: Int32Array,
): void {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (col.missing[i]) {
      if (m.missing !== 'fill') throw missingError(table, i, m);
      out[k] = m.fillId;
    } else {
      out[k] = encoder.encode(cellToken(col, i));
    }
  }
}

export function transformSequence(
  m: SequenceManifest,
  encoder: IdEncoder,
  table: Table,
  col: Column,
  rows: ArrayLike<number>,
  out: Int32Array,
): void {
  const L = m.maxLength;
  out.fill(PAD_ID);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (col.missing[i]) {
      if (m.missing !== 'fill') throw missingError(table, i, m);
      out.set(m.fillIds, k * L);
      continue;
    }
    const tokens = sequenceTokens(col, i, m.separator, L);
    for (let t = 0; t < tokens.length; t++) out[k * L + t] = encoder.encode(tokens[t]);
  }
}
