// Target attention (pooling: attention, DIN): the settings are present, the target is a
// categorical feature, and it shares the sequence's embedding table (so the history values and
// the target are rows of one table and can be compared). Settings left on a sequence pooled
// another way are a warning: they would be silently ignored otherwise.
import { didYouMean } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function targetAttention(ctx: RuleContext): void {
  const byName = new Map(ctx.spec.features.map((f) => [f.name, f]));
  ctx.spec.features.forEach((f, i) => {
    if (f.type !== 'sequence') return;
    const fp = pointer('/features', i);
    const a = f.attention;
    if (f.pooling !== 'attention') {
      if (a)
        ctx.report({
          code: 'target-attention',
          severity: 'warning',
          path: pointer(fp, 'attention'),
          atKey: true,
          message: `sequence feature "${f.name}" has attention settings but pooling ${f.pooling}; they are ignored unless pooling is attention.`,
        });
      return;
    }
    if (!a) {
      ctx.report({
        code: 'target-attention',
        path: pointer(fp, 'pooling'),
        message: `sequence feature "${f.name}" has pooling attention but no attention settings; add attention: { target: <a categorical feature sharing its embedding> }.`,
      });
      return;
    }
    const at = pointer(pointer(fp, 'attention'), 'target');
    const target = byName.get(a.target);
    if (!target) {
      ctx.report({
        code: 'target-attention',
        path: at,
        message: `sequence feature "${f.name}" attends to "${a.target}", which is not defined as a feature.${didYouMean(a.target, byName.keys())}`,
      });
      return;
    }
    if (target.type !== 'categorical') {
      const kind = target.type === 'numeric' && target.boundaries ? 'bucketised numeric' : target.type;
      ctx.report({
        code: 'target-attention',
        path: at,
        message: `sequence feature "${f.name}" attends to "${a.target}", a ${kind} feature; the target must be a categorical feature (one id per row).`,
      });
      return;
    }
    if (!f.sharedEmbedding || target.sharedEmbedding !== f.sharedEmbedding)
      ctx.report({
        code: 'target-attention',
        path: at,
        message: `sequence feature "${f.name}" attends to "${a.target}", but they do not share an embedding table; give both the same sharedEmbedding (the history and the target must be rows of one table).`,
      });
  });
}
