// The JSON Schema as text: TypeBox's symbols dropped, keys in a stable order. The fragment
// variant (for `extends` bases) is the same schema without top-level required keys.
import { SpecSchema } from './spec-schema.js';

export function schemaObject(kind: 'spec' | 'fragment' = 'spec'): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(SpecSchema)) as Record<string, unknown>;
  const out: Record<string, unknown> = { $schema: 'http://json-schema.org/draft-07/schema#', ...plain };
  if (kind === 'fragment') {
    delete out.required;
    out.$id = String(out.$id).replace('spec-v1', 'spec-fragment-v1');
    out.title = 'mmoe-compile spec fragment (an `extends` base)';
  }
  return out;
}

export function schemaJson(kind: 'spec' | 'fragment' = 'spec'): string {
  return JSON.stringify(schemaObject(kind), null, 2) + '\n';
}
