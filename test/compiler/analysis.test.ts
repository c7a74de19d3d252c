// The one analysis of the IR (src/compiler/analysis.ts): roles worked out by hand from the
// family configs, and the facts family recognition, explain and summary read from it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeIr, type NodeKind } from '../../src/compiler/analysis.js';
import { compiled, ROOT } from './helpers.js';

const ir = (name: string) => compiled(join(ROOT, 'configs', `${name}.yaml`)).ir;

type Row = [NodeKind, string, number | null, string[], 'shared' | 'specific' | '-'];

function table(name: string): Row[] {
  const model = ir(name);
  const a = analyzeIr(model);
  const nodes = [...model.levels.flatMap((l) => [...l.pools, ...l.gates]), ...model.towers];
  return nodes.map((n) => {
    const r = a.role(n.kind, n.name)!;
    return [r.kind, r.name, r.level, r.tasks, r.shared ? 'shared' : r.specific ? 'specific' : '-'];
  });
}

describe('IR analysis: roles', () => {
  it('PLE: each task owns its experts and gates on both levels; the shared pools and the level-1 shared gate serve both', () => {
    // Worked out from configs/ple.yaml: a pool belongs to the tasks of the gates that serve only
    // some tasks (l1_shared_gate serves both tasks, so it does not make l1_ctr shared).
    expect(table('ple')).toEqual([
      ['pool', 'l1_shared', 0, ['ctr', 'cvr'], 'shared'],
      ['pool', 'l1_ctr', 0, ['ctr'], 'specific'],
      ['pool', 'l1_cvr', 0, ['cvr'], 'specific'],
      ['gate', 'l1_ctr_gate', 0, ['ctr'], 'specific'],
      ['gate', 'l1_cvr_gate', 0, ['cvr'], 'specific'],
      ['gate', 'l1_shared_gate', 0, ['ctr', 'cvr'], 'shared'],
      ['pool', 'l2_shared', 1, ['ctr', 'cvr'], 'shared'],
      ['pool', 'l2_ctr', 1, ['ctr'], 'specific'],
      ['pool', 'l2_cvr', 1, ['cvr'], 'specific'],
      ['gate', 'ctr_gate', 1, ['ctr'], 'specific'],
      ['gate', 'cvr_gate', 1, ['cvr'], 'specific'],
      ['tower', 'ctr', null, ['ctr'], 'specific'],
      ['tower', 'cvr', null, ['cvr'], 'specific'],
    ]);
  });

  it('MMoE: one shared pool, a gate and a tower per task', () => {
    expect(table('mmoe')).toEqual([
      ['pool', 'experts', 0, ['ctr', 'cvr'], 'shared'],
      ['gate', 'ctr_gate', 0, ['ctr'], 'specific'],
      ['gate', 'cvr_gate', 0, ['cvr'], 'specific'],
      ['tower', 'ctr', null, ['ctr'], 'specific'],
      ['tower', 'cvr', null, ['cvr'], 'specific'],
    ]);
  });

  it('ESMM: the product task has no tower; cvr (no label) is learned through it', () => {
    const model = ir('esmm');
    const a = analyzeIr(model);
    expect(a.towerTasks).toEqual(['ctr', 'cvr']);
    expect(a.productsOf.get('cvr')).toEqual(['ctcvr']);
    expect(a.productsOf.get('ctr')).toEqual(['ctcvr']);
    expect([...a.tasksOfTower]).toEqual([
      ['ctr', ['ctr']],
      ['cvr', ['cvr']],
    ]);
    expect(a.role('pool', 'bottom')).toMatchObject({ tasks: ['ctr', 'cvr'], shared: true });
    expect(a.gatesMixing.get('bottom')).toEqual([]);
  });

  it('a pool no gate mixes serves no task, and a group nothing reads is not in groupsRead', () => {
    const model = structuredClone(ir('cgc'));
    const level = model.levels[0];
    level.pools.push({ ...level.pools[0], name: 'orphan', inputs: [level.pools[0].inputs[0]] });
    const a = analyzeIr(model);
    expect(a.role('pool', 'orphan')).toMatchObject({ tasks: [], shared: false, specific: false });
    const readers = model.levels
      .flatMap((l) => [...l.pools, ...l.gates])
      .flatMap((x) => x.inputs.filter((r) => r.kind === 'group').map((r) => r.name));
    expect([...a.groupsRead].sort()).toEqual([...new Set(readers)].sort());
    expect(a.role('pool', 'nope')).toBeUndefined();
    expect(a.tasksOf('pool', 'nope')).toEqual([]);
  });
});
