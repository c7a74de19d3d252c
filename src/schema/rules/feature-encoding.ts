// Each feature's encoding must be complete and consistent:
//   encoding hash needs hashBuckets, identity needs numIds; vocabulary and vocabularyFile are two
//   sources for one list (error if both); settings another encoding would use are ignored
//   (warning); vocabulary values are unique; numeric boundaries strictly increase; a numeric
//   fill is a number. (Features sharing an embedding: shared-embedding.ts.)
import type { CategoricalFeatureSpec, Feature, SequenceFeatureSpec } from '../spec-schema.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

type Embedded = CategoricalFeatureSpec | SequenceFeatureSpec;
const code = 'feature-encoding';

function checkEncoding(ctx: RuleContext, f: Embedded, fp: string): void {
  const at = (k: string) => pointer(fp, k);
  if (f.encoding === 'hash' && f.hashBuckets === undefined)
    ctx.report({
      code,
      path: at('encoding'),
      message: `feature "${f.name}" uses encoding hash but sets no hashBuckets. Add hashBuckets: <number of buckets>.`,
    });
  if (f.encoding === 'identity' && f.numIds === undefined)
    ctx.report({
      code,
      path: at('encoding'),
      message: `feature "${f.name}" uses encoding identity but sets no numIds. Add numIds: <ids are integers below this>.`,
    });
  if (f.vocabulary && f.vocabularyFile)
    ctx.report({
      code,
      path: at('vocabularyFile'),
      atKey: true,
      message: `feature "${f.name}" sets both vocabulary and vocabularyFile. Keep one.`,
      related: [{ path: at('vocabulary'), message: 'vocabulary given here' }],
    });
  const ignored = (key: keyof Embedded, used: string) =>
    ctx.report({
      code,
      path: at(key),
      atKey: true,
      severity: 'warning',
      message: `feature "${f.name}": ${key} is ignored with encoding ${f.encoding}${f.encoding === 'vocabulary' ? ' (the default)' : ''}. ${used}`,
    });
  if (f.hashBuckets !== undefined && f.encoding !== 'hash') ignored('hashBuckets', 'Did you mean encoding: hash?');
  if (f.numIds !== undefined && f.encoding !== 'identity') ignored('numIds', 'Did you mean encoding: identity?');
  if (f.encoding !== 'vocabulary') {
    for (const k of ['vocabulary', 'vocabularyFile', 'topK'] as const)
      if (f[k] !== undefined) ignored(k, 'It applies to encoding: vocabulary only.');
  }
  const seen = new Map<string, number>();
  f.vocabulary?.forEach((v, i) => {
    const first = seen.get(v);
    if (first === undefined) seen.set(v, i);
    else
      ctx.report({
        code,
        path: pointer(at('vocabulary'), i),
        message: `feature "${f.name}" lists "${v}" twice in its vocabulary. Remove one.`,
        related: [{ path: pointer(at('vocabulary'), first), message: `"${v}" first listed here` }],
      });
  });
}

function checkNumeric(ctx: RuleContext, f: Extract<Feature, { type: 'numeric' }>, fp: string): void {
  const b = f.boundaries ?? [];
  for (let i = 1; i < b.length; i++) {
    if (b[i] > b[i - 1]) continue;
    ctx.report({
      code,
      path: pointer(pointer(fp, 'boundaries'), i),
      message: `feature "${f.name}": boundaries must increase strictly, but ${b[i]} follows ${b[i - 1]}. Sort them and drop repeats.`,
    });
    break;
  }
  if (typeof f.missing?.fill === 'string')
    ctx.report({
      code,
      path: pointer(pointer(fp, 'missing'), 'fill'),
      message: `feature "${f.name}" is numeric, but its missing-value fill is the string "${f.missing.fill}". Use a number.`,
    });
}

export function featureEncoding(ctx: RuleContext): void {
  ctx.spec.features.forEach((f, i) => {
    const fp = pointer('/features', i);
    if (f.type === 'numeric') checkNumeric(ctx, f, fp);
    else if (f.type === 'cross')
      return; // rule feature-cross
    else checkEncoding(ctx, f, fp);
  });
}
