// explain and diff on DCN-v2 cross layers: the words, and the parameter and FLOP deltas equal
// the closed form computed here (d = 49, the ecom groups' width with the hashed cross).
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { diffModels } from '../../src/compiler/diff.js';
import { explain } from '../../src/compiler/explain.js';
import { captureIo, compiled } from './helpers.js';

describe('cross layers in explain and diff', () => {
  it('explain says which experts cross their input, and the rank', () => {
    const s = compiled('configs/ecom-cross.yaml');
    expect(explain(s.ir, s.cost).text).toContain(
      'MMoE: 4 shared experts [64, 32] (ReLU, each after 2 DCN-v2 cross layers), one softmax gate per task',
    );
    const r = compiled('configs/ecom-cross.yaml', ['model.levels[0].pools[0].cross.rank=8']);
    expect(explain(r.ir, r.cost).text).toContain('(ReLU, each after 2 DCN-v2 cross layers of rank 8)');
  });

  it('diff reports the cross change with the parameter and FLOP deltas of 4 experts', async () => {
    const io = captureIo();
    const code = await main(['diff', 'configs/mmoe.yaml', 'configs/ecom-cross.yaml'], io);
    expect(code).toBe(1);
    // ecom-cross also feeds the 4-wide hashed cross gender_x_category (group crosses), so the
    // experts read d = 45 + 4 and their first Dense(64) has 4 more inputs than in mmoe.yaml
    const d = 23 + 17 + 5 + 4;
    const params = 4 * 2 * (d * d + d) + 4 * 4 * 64;
    const flops = 4 * 2 * (2 * d * d + 3 * d) + 4 * 2 * 4 * 64;
    const text = io.out$;
    expect(text).toContain('cross: none -> {"layers":2,"rank":null}');
    expect(text).toContain(`(+${params.toLocaleString('en-US')})`);
    expect(text).toContain(`(+${flops.toLocaleString('en-US')})`);
    // the hashed cross: its own table of hashBuckets + 1 rows x 4
    expect(text).toContain(`embedding/emb_gender_x_category  — -> ${(257 * 4).toLocaleString('en-US')}`);
  });

  it('explain describes the hashed cross', () => {
    const s = compiled('configs/ecom-cross.yaml');
    expect(explain(s.ir, s.cost).inputs.replace(/\s+/g, ' ')).toContain(
      'gender_x_category is a hashed cross of user_gender and item_category: the values of each row are joined and hashed (FNV-1a 32) into 256 buckets (plus one id for a missing component), with its own 4-wide embedding.',
    );
  });

  it('diff of a hashed cross: its components and its table, (hashBuckets + 1) x embeddingDim parameters', () => {
    const a = compiled('configs/ecom-cross.yaml');
    const b = compiled('configs/ecom-cross.yaml', [
      'features[10].of=[item_category, user_gender]',
      'features[10].hashBuckets=512',
      'features[10].embeddingDim=6',
    ]);
    const d = diffModels(a, b);
    const feature = d.changes.find((c) => c.kind === 'feature' && c.name === 'gender_x_category')!;
    expect(feature.fields.map((f) => [f.field, f.from, f.to])).toEqual([
      ['width', 4, 6],
      ['cross', ['user_gender', 'item_category'], ['item_category', 'user_gender']],
    ]);
    const table = d.changes.find((c) => c.kind === 'embedding' && c.name === 'emb_gender_x_category')!;
    expect(table.fields.map((f) => [f.field, f.from, f.to])).toEqual([
      ['vocabSize', 257, 513],
      ['dim', 4, 6],
    ]);
    expect(d.cost.blocks.find((x) => x.block === 'embedding/emb_gender_x_category')).toMatchObject({
      params: 513 * 6 - 257 * 4,
    });
  });
});
