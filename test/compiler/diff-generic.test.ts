// diff walks the IR generically: a field added to the IR is compared without touching diff.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffModels, renderDiffText, type DiffSide } from '../../src/compiler/diff.js';
import { compiled, ROOT } from './helpers.js';

const side = (): DiffSide => compiled(join(ROOT, 'configs/cgc.yaml'));

/** A copy of `s` whose IR is changed by `edit` (the IR is plain JSON). */
function edited(s: DiffSide, edit: (ir: Record<string, any>) => void): DiffSide {
  const ir = structuredClone(s.ir) as unknown as Record<string, any>;
  edit(ir);
  return { ...s, ir: ir as DiffSide['ir'] };
}

describe('diff picks up IR fields it does not name', () => {
  it('a new field on a task, a pool, a gate and a tower', () => {
    const a = side();
    const b = edited(a, (ir) => {
      ir.tasks[0].calibration = 'platt';
      ir.levels[0].pools[0].initializer = 'he_normal';
      ir.levels[0].gates[1].noise = 0.5;
      ir.towers[1].residual = true;
    });
    const d = diffModels(a, b);
    expect(d.sameModel).toBe(false);
    const changed = d.changes.map((c) => [c.kind, c.name, c.fields.map((f) => [f.field, f.from, f.to])]);
    expect(changed).toEqual([
      ['pool', a.ir.levels[0].pools[0].name, [['initializer', null, 'he_normal']]],
      ['gate', a.ir.levels[0].gates[1].name, [['noise', null, 0.5]]],
      ['tower', a.ir.towers[1].name, [['residual', null, true]]],
      ['task', a.ir.tasks[0].name, [['calibration', null, 'platt']]],
    ]);
    expect(renderDiffText(d)).toContain('      calibration: none -> platt');
  });

  it('a new model-level member, compared as dotted leaves', () => {
    const a = side();
    const b = edited(a, (ir) => {
      ir.quantization = { bits: 8, scheme: 'affine' };
    });
    const d = diffModels(a, b);
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0].kind).toBe('model');
    expect(d.changes[0].fields.map((f) => [f.field, f.from, f.to])).toEqual([
      ['quantization.bits', null, 8],
      ['quantization.scheme', null, 'affine'],
    ]);
  });

  it('a changed value of an existing nested field of a feature', () => {
    const a = side();
    const b = edited(a, (ir) => {
      ir.features[0].extra = { clip: [0, 1] };
    });
    const [c] = diffModels(a, b).changes;
    expect([c.kind, c.name, c.fields[0].field, c.fields[0].to]).toEqual([
      'feature',
      a.ir.features[0].name,
      'extra',
      { clip: [0, 1] },
    ]);
  });

  it('an unchanged copy is the same model with no changes', () => {
    const a = side();
    const d = diffModels(
      a,
      edited(a, () => {}),
    );
    expect([d.sameModel, d.changes, d.order]).toEqual([true, [], []]);
  });
});
