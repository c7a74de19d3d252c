// Hashed crosses of categorical features (`type: cross`; TF's and EasyRec's crossed_column).
// Browser-safe: the same code computes the id in the data pipeline and in serving.
//
//   token(row) = v_1 + U+001F + v_2 + ... + U+001F + v_k      (the components, in `of` order)
//   id(row)    = fnv1a32(UTF-8 bytes of token) mod hashBuckets  (src/data/hash.ts)
//   id(row)    = hashBuckets                                    when any component is missing
//
// A component's value v_j is its raw cell as the categorical encoder reads it (a string; a
// number cell as String(n), "3" and 3 agree), or for a bucketised numeric component the
// decimal bucket index (bucketOf: "0" .. String(B)). Raw values, not the components' fitted
// ids: the cross does not depend on the vocabulary learned from the training split. The id
// space is a hash space of its own (`feature:<name>`, size hashBuckets + 1).
//
// Unlike tf.feature_column.crossed_column, which hashes with FingerprintCat64 (64-bit
// Fingerprint64 of each value, combined pairwise) and has no missing id, the ids here are not
// bit-compatible with TensorFlow's: a model trained with TF's crosses cannot reuse these ids.
import { cellToken, parseNumberCell } from './cells.js';
import { bucketOf } from './encode-numeric.js';
import type { IdEncoder } from './id-space.js';
import type { FeatureManifestBase } from './missing.js';
import type { Column } from './table.js';

/** Joins the component values (the unit separator: not in ordinary category values). */
export const CROSS_SEPARATOR = '\u001f';

export interface CrossComponent {
  /** The crossed feature. */
  name: string;
  column: string;
  /** Bucketised numeric component: its boundaries (the value is the bucket index). */
  boundaries?: number[];
}

export interface CrossManifest extends FeatureManifestBase {
  type: 'cross';
  /** Key of the cross's own hash id space. */
  idSpace: string;
  components: CrossComponent[];
  embeddingDim: number;
}

/** The string a row's component values are hashed as. */
export function crossToken(values: readonly string[]): string {
  return values.join(CROSS_SEPARATOR);
}

/** One component's value in row i (null: missing). */
export function componentValue(c: CrossComponent, col: Column, i: number): string | null {
  if (col.missing[i]) return null;
  if (!c.boundaries) return cellToken(col, i);
  const x = col.kind === 'number' ? col.values[i] : parseNumberCell(col.values[i]);
  return Number.isNaN(x) ? null : String(bucketOf(c.boundaries, x));
}

/** The cross id of one row's component values (a null value: the missing id). */
export function crossId(encoder: IdEncoder, values: readonly (string | null)[]): number {
  if (values.some((v) => v === null)) return encoder.missingId;
  return encoder.encode(crossToken(values as string[]));
}

export function transformCross(
  m: CrossManifest,
  encoder: IdEncoder,
  cols: readonly Column[],
  rows: ArrayLike<number>,
  out: Int32Array,
): void {
  const values: (string | null)[] = new Array(m.components.length);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    for (let j = 0; j < m.components.length; j++) values[j] = componentValue(m.components[j], cols[j], i);
    out[k] = crossId(encoder, values);
  }
}
