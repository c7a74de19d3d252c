// Target attention in the tfjs-free tools: `diff` of the mean-pooling twin against
// configs/ecom-din.yaml reports the attention block's parameters and FLOPs (closed form written
// out below from the layer sizes), `explain` says what it computes, and `validate` locates the
// rule's diagnostics in the spec file.
import { describe, expect, it } from 'vitest';
import { cli } from '../train/helpers.js';

// user_history: D = 8, L = 10; attention MLP [32, 16] (sigmoid) over 4D = 32 inputs, then Dense(1).
const D = 8;
const L = 10;
const layers = [
  [4 * D, 32],
  [32, 16],
] as const;
const PARAMS = layers.reduce((s, [i, o]) => s + i * o + o, 0) + 16 + 1;
// per position: h - t and h * t (2D), each layer 2io + o (+ o for the activation), the score
// 2 * 16 + 1, the weighting D
const FLOPS = L * (2 * D + layers.reduce((s, [i, o]) => s + 2 * i * o + 2 * o, 0) + 2 * 16 + 1 + D);

describe('target attention in diff, explain and validate', () => {
  it('diff reports the attention block and the totals', async () => {
    const r = await cli('diff', 'configs/ecom-din-mean.yaml', 'configs/ecom-din.yaml', '--format', 'json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out);
    expect(PARAMS).toBe(1601);
    expect(d.cost.blocks).toEqual([
      {
        block: 'attention/user_history',
        kind: 'attention',
        from: null,
        to: { params: PARAMS, flops: FLOPS },
        params: PARAMS,
        flops: FLOPS,
      },
    ]);
    expect(d.b.params - d.a.params).toBe(PARAMS);
    expect(d.b.flops - d.a.flops).toBe(FLOPS);
    const pooling = d.changes[0].fields.find((f: { field: string }) => f.field === 'pooling');
    expect(pooling).toMatchObject({
      from: 'mean',
      to: 'attention',
      b: { file: 'configs/ecom-din.yaml', line: 27, column: 14 },
    });
  });

  it('explain describes the attention', async () => {
    const r = await cli('explain', 'configs/ecom-din.yaml');
    expect(r.code).toBe(0);
    expect(r.out.replace(/\s+/g, ' ')).toContain(
      'user_history is pooled by target attention (DIN) against item_category: an MLP [32, 16] (sigmoid) and a Dense(1) score over [h, t, h - t, h * t] for each of its 10 positions, raw weights, not normalised (as in DIN), padding masked.',
    );
  });

  it('validate points at the target that does not share the table', async () => {
    const r = await cli('validate', 'configs/ecom-din.yaml', '--set', 'features.item_category.sharedEmbedding=other');
    expect(r.code).toBe(1);
    expect(r.err.join('\n') + r.out).toMatch(
      /configs\/ecom-din\.yaml:28:\d+: error target-attention: sequence feature "user_history" attends to "item_category", but they do not share an embedding table/,
    );
  });
});
