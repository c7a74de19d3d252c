// training.embeddingL2 maps embedding tables to L2 weights: every key must name a table.
import { didYouMean } from '../../util/diagnostics.js';
import { embeddingTableKeys } from '../embedding-l2-tables.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function embeddingL2(ctx: RuleContext): void {
  const l2 = ctx.spec.training.embeddingL2;
  if (!l2) return;
  const tables = [...embeddingTableKeys(ctx.spec).keys()];
  for (const table of Object.keys(l2)) {
    if (tables.includes(table)) continue;
    ctx.report({
      code: 'embedding-l2',
      path: pointer('/training/embeddingL2', table),
      atKey: true,
      message: `embeddingL2 names "${table}", which is not an embedding table. Tables are named by their feature or sharedEmbedding: ${tables.length ? tables.join(', ') : '(none: the spec has no embedded feature)'}.${didYouMean(table, tables)}`,
    });
  }
}
