// What features sharing one embedding table (`sharedEmbedding`) must agree on. One definition
// for the validate rule (src/schema/rules/shared-embedding.ts) and for the data pipeline that
// fits the shared id space (src/data/fit-id-spaces.ts), so that what validate accepts, training
// accepts. Settings another encoding would use are ignored (feature-encoding warns about them),
// so they are not compared.
import type { CategoricalFeatureSpec, SequenceFeatureSpec } from './spec-schema.js';

export type EmbeddedFeature = CategoricalFeatureSpec | SequenceFeatureSpec;

export type TableSetting =
  | 'embeddingDim'
  | 'encoding'
  | 'hashBuckets'
  | 'numIds'
  | 'vocabulary'
  | 'vocabularyFile'
  | 'oovBuckets'
  | 'minCount'
  | 'topK';

/** The settings that define the table and its id space for a feature with this encoding. */
export function tableSettings(f: EmbeddedFeature): TableSetting[] {
  switch (f.encoding ?? 'vocabulary') {
    case 'hash':
      return ['embeddingDim', 'encoding', 'hashBuckets'];
    case 'identity':
      return ['embeddingDim', 'encoding', 'numIds'];
    default:
      // minCount and topK shape a vocabulary learned from data only
      return f.vocabulary === undefined && f.vocabularyFile === undefined
        ? ['embeddingDim', 'encoding', 'vocabulary', 'vocabularyFile', 'oovBuckets', 'minCount', 'topK']
        : ['embeddingDim', 'encoding', 'vocabulary', 'vocabularyFile', 'oovBuckets'];
  }
}

// Defaults as the schema fills them, so that a spec object built without ajv compares the same.
const DEFAULTS: Partial<Record<TableSetting, unknown>> = {
  embeddingDim: 8,
  encoding: 'vocabulary',
  oovBuckets: 1,
  minCount: 1,
};
const valueOf = (f: EmbeddedFeature, k: TableSetting): unknown => f[k] ?? DEFAULTS[k];

/** The settings on which `b` differs from `a` (which shares its table), in a fixed order. */
export function tableDifferences(a: EmbeddedFeature, b: EmbeddedFeature): TableSetting[] {
  const keys = [...new Set([...tableSettings(a), ...tableSettings(b)])];
  return keys.filter((k) => JSON.stringify(valueOf(a, k)) !== JSON.stringify(valueOf(b, k)));
}

/** A setting's value as text: `2`, `[a, b]`, `unset`. */
export function settingText(f: EmbeddedFeature, k: TableSetting): string {
  const v = valueOf(f, k);
  if (v === undefined) return 'unset';
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}
