// Features naming the same sharedEmbedding use one table and one id space, so they must agree on
// its width and on every setting of its id space (src/schema/embedding-table.ts says which; the
// data pipeline uses the same definition): one error per differing setting of a later feature,
// with the first feature's value shown.
import { settingText, tableDifferences, type EmbeddedFeature } from '../embedding-table.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function sharedEmbedding(ctx: RuleContext): void {
  const first = new Map<string, { f: EmbeddedFeature; path: string }>();
  ctx.spec.features.forEach((f, i) => {
    if (f.type === 'numeric' || f.type === 'cross' || !f.sharedEmbedding) return;
    const fp = pointer('/features', i);
    const owner = first.get(f.sharedEmbedding);
    if (!owner) {
      first.set(f.sharedEmbedding, { f, path: fp });
      return;
    }
    for (const key of tableDifferences(owner.f, f)) {
      const mine = settingText(f, key);
      const theirs = settingText(owner.f, key);
      // point at the setting where it is written; a defaulted one is not: then at the feature's name
      const at = (p: string) => (ctx.written(pointer(p, key)) ? pointer(p, key) : pointer(p, 'name'));
      ctx.report({
        code: 'shared-embedding',
        path: at(fp),
        message: `features "${owner.f.name}" and "${f.name}" share the embedding "${f.sharedEmbedding}" but differ in ${key}: ${theirs} vs ${mine}. Features sharing an embedding use one table; make them equal.`,
        related: [{ path: at(owner.path), message: `"${owner.f.name}" has ${key} ${theirs}` }],
      });
    }
  });
}
