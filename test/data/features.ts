// Spec feature objects with the schema's defaults filled, as the validator would hand them over.
import type { CategoricalFeatureSpec, NumericFeatureSpec, SequenceFeatureSpec } from '../../src/schema/spec-schema.js';

export const numeric = (name: string, extra: Partial<NumericFeatureSpec> = {}): NumericFeatureSpec => ({
  type: 'numeric',
  name,
  normalization: 'standard',
  ...extra,
});

const idDefaults = { encoding: 'vocabulary', minCount: 1, oovBuckets: 1, embeddingDim: 8 } as const;

export const categorical = (name: string, extra: Partial<CategoricalFeatureSpec> = {}): CategoricalFeatureSpec => ({
  type: 'categorical',
  name,
  ...idDefaults,
  ...extra,
});

export const sequence = (name: string, extra: Partial<SequenceFeatureSpec> = {}): SequenceFeatureSpec => ({
  type: 'sequence',
  name,
  ...idDefaults,
  separator: '|',
  maxLength: 4,
  pooling: 'mean',
  ...extra,
});
