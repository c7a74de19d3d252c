// Hashed crosses (`type: cross`): each component is a defined feature with one id per row (a
// categorical feature, or a numeric one bucketised by boundaries), listed once. The schema
// already requires `hashBuckets` and at least two components.
import { didYouMean } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function featureCross(ctx: RuleContext): void {
  const byName = new Map(ctx.spec.features.map((f) => [f.name, f]));
  ctx.spec.features.forEach((f, i) => {
    if (f.type !== 'cross') return;
    const seen = new Set<string>();
    f.of.forEach((name, k) => {
      const at = pointer(pointer(pointer('/features', i), 'of'), k);
      const c = byName.get(name);
      if (seen.has(name)) {
        ctx.report({
          code: 'feature-cross',
          path: at,
          message: `cross "${f.name}" lists "${name}" twice; each component is crossed once. Remove one.`,
        });
        return;
      }
      seen.add(name);
      if (!c) {
        ctx.report({
          code: 'feature-cross',
          path: at,
          message: `cross "${f.name}" crosses "${name}", which is not defined as a feature.${didYouMean(name, byName.keys())}`,
        });
        return;
      }
      if (c.type === 'categorical' || (c.type === 'numeric' && c.boundaries)) return;
      const kind = c.type === 'numeric' ? 'numeric (not bucketised)' : c.type;
      ctx.report({
        code: 'feature-cross',
        path: at,
        message: `cross "${f.name}" crosses "${name}", a ${kind} feature; a component must be categorical or a numeric feature bucketised by boundaries (one value per row).`,
      });
    });
  });
}
