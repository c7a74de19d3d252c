import { describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';
import { prepare } from '../../src/driver/prepare.js';
import { SCENARIO_INPUT } from '../../src/train/model-data.js';

describe('prepare (spec -> data -> fitted pipeline -> model data)', () => {
  it('splits the synthetic ecom data and masks cvr to clicked rows', async () => {
    const c = checkSpec('configs/mmoe.yaml', { sets: ['data.rows=2000', 'data.testRows=500'] });
    const p = await prepare(c.spec!, c.loaded.absPath, c.name);
    expect(p.train.n + p.validation.n).toBe(2000);
    expect(p.validation.n).toBe(200); // validationFraction 0.1
    expect(p.test.n).toBe(500);
    // the IR's fitted embedding sizes equal the spec-time estimate for hash/fixed vocabularies
    expect(p.cost.params).toBe(c.cost!.params);
    const click = p.train.labels.get('ctr')!;
    const cvrMask = p.train.masks.get('cvr')!;
    for (let i = 0; i < p.train.n; i++) expect(cvrMask[i]).toBe(click[i]);
    expect(p.train.inputs.get('user_history')!.width).toBe(10);
    expect(p.train.inputs.has(SCENARIO_INPUT)).toBe(true);
  });
  it('is deterministic', async () => {
    const c = checkSpec('configs/mmoe.yaml', { sets: ['data.rows=500', 'data.testRows=100'] });
    const a = await prepare(c.spec!, c.loaded.absPath, c.name);
    const b = await prepare(c.spec!, c.loaded.absPath, c.name);
    expect(JSON.stringify(a.pipeline.toJSON())).toBe(JSON.stringify(b.pipeline.toJSON()));
    expect([...a.train.inputs.get('item_id')!.data]).toEqual([...b.train.inputs.get('item_id')!.data]);
  });
});
