// Each feature's encoding must be complete and consistent:
//   encoding hash needs hashBuckets, identity needs numIds; vocabulary and vocabularyFile are two
//   sources for one list (error if both); settings another encoding would use are ignored
//   (warning); vocabulary values are unique; numeric boundaries strictly increase; a numeric
//   fill is a number.
// Features naming the same sharedEmbedding use one table, so they must agree on its width and on
// its id space (encoding, hashBuckets / numIds / vocabulary): error at the later feature, with
// the first one named.
import type { CategoricalFeatureSpec, Feature, SequenceFeatureSpec } from '../spec-schema.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

type Embedded = CategoricalFeatureSpec | SequenceFeatureSpec;
const code = 'feature-encoding';

function idSpace(f: Embedded): string {
  switch (f.encoding) {
    case 'hash':
      return `hash with ${f.hashBuckets ?? '?'} buckets`;
    case 'identity':
      return `identity ids below ${f.numIds ?? '?'}`;
    default:
      return f.vocabulary ? `vocabulary [${f.vocabulary.join(', ')}]` : f.vocabularyFile ? `vocabulary file ${f.vocabularyFile}` : 'a vocabulary learned from data';
  }
}

function checkEncoding(ctx: RuleContext, f: Embedded, fp: string): void {
  const at = (k: string) => pointer(fp, k);
  if (f.encoding === 'hash' && f.hashBuckets === undefined)
    ctx.report({ code, path: at('encoding'), message: `feature "${f.name}" uses encoding hash but sets no hashBuckets. Add hashBuckets: <number of buckets>.` });
  if (f.encoding === 'identity' && f.numIds === undefined)
    ctx.report({ code, path: at('encoding'), message: `feature "${f.name}" uses encoding identity but sets no numIds. Add numIds: <ids are integers below this>.` });
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
    for (const k of ['vocabulary', 'vocabularyFile', 'topK'] as const) if (f[k] !== undefined) ignored(k, 'It applies to encoding: vocabulary only.');
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
    ctx.report({ code, path: pointer(pointer(fp, 'missing'), 'fill'), message: `feature "${f.name}" is numeric, but its missing-value fill is the string "${f.missing.fill}". Use a number.` });
}

export function featureEncoding(ctx: RuleContext): void {
  const shared = new Map<string, { f: Embedded; path: string }>();
  ctx.spec.features.forEach((f, i) => {
    const fp = pointer('/features', i);
    if (f.type === 'numeric') return checkNumeric(ctx, f, fp);
    checkEncoding(ctx, f, fp);
    if (!f.sharedEmbedding) return;
    const first = shared.get(f.sharedEmbedding);
    if (!first) {
      shared.set(f.sharedEmbedding, { f, path: fp });
      return;
    }
    const clash = (key: string, what: string, mine: string, theirs: string) =>
      ctx.report({
        code,
        path: pointer(fp, key),
        message: `features "${first.f.name}" and "${f.name}" share the embedding "${f.sharedEmbedding}" but differ in ${what}: ${theirs} vs ${mine}. Features sharing an embedding use one table; make them equal.`,
        related: [{ path: pointer(first.path, key), message: `"${first.f.name}" has ${theirs}` }],
      });
    if (f.embeddingDim !== first.f.embeddingDim) clash('embeddingDim', 'width', `embeddingDim ${f.embeddingDim}`, `embeddingDim ${first.f.embeddingDim}`);
    const mine = idSpace(f);
    const theirs = idSpace(first.f);
    if (mine !== theirs) {
      const key = f.encoding !== first.f.encoding ? 'encoding' : f.encoding === 'hash' ? 'hashBuckets' : f.encoding === 'identity' ? 'numIds' : f.vocabulary ? 'vocabulary' : 'vocabularyFile';
      clash(key, 'id space', mine, theirs);
    }
  });
}
