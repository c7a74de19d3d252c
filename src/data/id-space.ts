// The id space of a categorical or sequence feature (or of a shared embedding table): how a
// token becomes an integer id for an embedding row. One layout per encoding, all offset by
// `offset` (1 for sequences and for every feature sharing a table with a sequence, because id
// 0 is the sequence padding; else 0):
//
//   vocabulary  [offset, offset + oovBuckets)         missing and out-of-vocabulary values;
//                                                      missing -> the first, an unseen value ->
//                                                      fnv1a(value) mod oovBuckets
//               offset + oovBuckets + k                the k-th vocabulary value
//               size = offset + oovBuckets + |vocabulary|
//   hash        offset + fnv1a(value) mod hashBuckets; missing -> offset + hashBuckets
//               size = offset + hashBuckets + 1
//   identity    offset + n for an integer n in [0, numIds); missing, out of range or not an
//               integer -> offset + numIds
//               size = offset + numIds + 1
//
// The manifest holds everything needed to rebuild the encoder: the vocabulary itself is
// stored (not the file it came from), so a served model needs no other file.
import { fnv1a32 } from './hash.js';

export type IdSpaceManifest =
  | { encoding: 'vocabulary'; offset: number; oovBuckets: number; values: string[] }
  | { encoding: 'hash'; offset: number; hashBuckets: number }
  | { encoding: 'identity'; offset: number; numIds: number };

export function idSpaceSize(m: IdSpaceManifest): number {
  switch (m.encoding) {
    case 'vocabulary':
      return m.offset + m.oovBuckets + m.values.length;
    case 'hash':
      return m.offset + m.hashBuckets + 1;
    case 'identity':
      return m.offset + m.numIds + 1;
  }
}

/** token -> id for one id space. */
export class IdEncoder {
  readonly size: number;
  readonly missingId: number;
  private readonly lookup: Map<string, number> | undefined;

  constructor(readonly manifest: IdSpaceManifest) {
    this.size = idSpaceSize(manifest);
    switch (manifest.encoding) {
      case 'vocabulary':
        this.missingId = manifest.offset;
        this.lookup = new Map(manifest.values.map((v, k) => [v, manifest.offset + manifest.oovBuckets + k]));
        break;
      case 'hash':
        this.missingId = manifest.offset + manifest.hashBuckets;
        break;
      case 'identity':
        this.missingId = manifest.offset + manifest.numIds;
        break;
    }
  }

  encode(token: string): number {
    const m = this.manifest;
    switch (m.encoding) {
      case 'vocabulary': {
        const id = this.lookup!.get(token);
        if (id !== undefined) return id;
        return m.oovBuckets > 1 ? m.offset + (fnv1a32(token) % m.oovBuckets) : m.offset;
      }
      case 'hash':
        return m.offset + (fnv1a32(token) % m.hashBuckets);
      case 'identity': {
        const n = token.trim() === '' ? NaN : Number(token);
        return Number.isInteger(n) && n >= 0 && n < m.numIds ? m.offset + n : m.offset + m.numIds;
      }
    }
  }
}

/**
 * A learned vocabulary: values seen at least `minCount` times, most frequent first, ties by
 * value (code-unit order, not locale, so every machine agrees), at most `topK`.
 */
export function learnVocabulary(
  counts: ReadonlyMap<string, number>,
  minCount: number,
  topK: number | undefined,
): string[] {
  const kept = [...counts].filter(([, n]) => n >= minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const values = kept.map(([v]) => v);
  return topK === undefined ? values : values.slice(0, topK);
}
