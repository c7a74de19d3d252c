// A numeric feature is either normalised (a float input) or bucketised by `boundaries` (an
// embedded bucket id). Boundaries are compared with the raw value, so a normalisation written
// beside them is never applied, and a reader may think the boundaries are in normalised (e.g.
// log) units: an error unless it is `none`. `embeddingDim` sizes the bucket embedding only: on a
// feature without boundaries it is ignored (warning). Both look at what the spec writes: the
// schema fills normalization and embeddingDim with defaults.
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

const code = 'bucketized-numeric';

export function bucketizedNumeric(ctx: RuleContext): void {
  ctx.spec.features.forEach((f, i) => {
    if (f.type !== 'numeric') return;
    const at = (k: string) => pointer(pointer('/features', i), k);
    if (f.boundaries !== undefined && ctx.written(at('normalization')) && f.normalization !== 'none')
      ctx.report({
        code,
        path: at('normalization'),
        message: `feature "${f.name}" is bucketised by boundaries (in raw units) and also sets normalization: ${f.normalization}, which bucketised features do not apply. Remove normalization (boundaries are compared with the raw value), or remove boundaries to normalise.`,
        related: [{ path: at('boundaries'), message: 'boundaries set here' }],
      });
    if (f.boundaries === undefined && ctx.written(at('embeddingDim')))
      ctx.report({
        code,
        path: at('embeddingDim'),
        atKey: true,
        severity: 'warning',
        message: `feature "${f.name}": embeddingDim applies to a bucketised feature only, and it sets no boundaries, so it is ignored. Add boundaries to bucketise it, or remove embeddingDim.`,
      });
  });
}
