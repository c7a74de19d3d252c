// The names training.embeddingL2 accepts for embedding tables, and the features each one holds:
// a table is named like the feature that owns it (categorical, sequence, or bucketised numeric),
// or like the sharedEmbedding its features share. The trainer finds the built table through
// these features (ModelIR.embeddings lists the features of every table).
import type { Spec } from './spec-schema.js';

export function embeddingTableKeys(spec: Pick<Spec, 'features'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of spec.features) {
    if (f.type === 'numeric') {
      if (f.boundaries) out.set(f.name, [f.name]);
      continue;
    }
    const key = (f.type !== 'cross' && f.sharedEmbedding) || f.name;
    out.set(key, [...(out.get(key) ?? []), f.name]);
  }
  return out;
}
