// What the built model contains: the blocks some task output depends on. The builder builds only
// these, the cost analysis counts only these, and the front end warns about the rest, all from
// this one function, so the parameter count equals the weights in model.json. (A tower reading
// another task's gate leaves that gate, and maybe its pools, groups and tables, out of the graph.)
import type { GateIR, ModelIR, PoolIR, RefIR } from './ir.js';

/** Cost block ids, shared by cost, summary, diff and the resource-limit check. */
export const blockId = {
  table: (name: string) => `embedding/${name}`,
  scenarioTable: 'embedding/scenario',
  pool: (level: number, name: string) => `level${level}/pool/${name}`,
  gate: (level: number, name: string) => `level${level}/gate/${name}`,
  tower: (name: string) => `tower/${name}`,
  head: (task: string) => `head/${task}`,
  attention: (feature: string) => `attention/${feature}`,
  auxiliary: 'auxiliary/scenario',
} as const;

export interface Reachability {
  /** Features whose vector is computed (their input is a model input either way). */
  features: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /** Embedding tables read by a reachable feature. */
  tables: ReadonlySet<string>;
  /** The scenario embedding (read by a reachable scenario-aware gate). */
  scenarioTable: boolean;
  /** Pool, gate and tower names (unique across the model). */
  pools: ReadonlySet<string>;
  gates: ReadonlySet<string>;
  towers: ReadonlySet<string>;
}

/** Walk back from every task output through heads, towers, gates, pools, groups and features. */
export function reachability(ir: ModelIR): Reachability {
  const pools = new Map<string, PoolIR>(ir.levels.flatMap((l) => l.pools.map((p) => [p.name, p] as const)));
  const gates = new Map<string, GateIR>(ir.levels.flatMap((l) => l.gates.map((g) => [g.name, g] as const)));
  const groups = new Map(ir.groups.map((g) => [g.name, g]));
  const r = {
    features: new Set<string>(),
    groups: new Set<string>(),
    tables: new Set<string>(),
    scenarioTable: false,
    pools: new Set<string>(),
    gates: new Set<string>(),
    towers: new Set<string>(),
  };

  const visit = (ref: RefIR): void => {
    if (ref.kind === 'group') {
      if (r.groups.has(ref.name)) return;
      r.groups.add(ref.name);
      for (const f of groups.get(ref.name)?.features ?? []) r.features.add(f);
    } else if (ref.kind === 'pool') {
      const p = pools.get(ref.name);
      if (!p || r.pools.has(p.name)) return;
      r.pools.add(p.name);
      p.inputs.forEach(visit);
    } else {
      const g = gates.get(ref.name);
      if (!g || r.gates.has(g.name)) return;
      r.gates.add(g.name);
      if (g.scenarioAware) r.scenarioTable = true;
      g.inputs.forEach(visit);
      for (const p of g.pools) visit({ kind: 'pool', name: p, width: 0 });
    }
  };
  for (const { head } of ir.tasks) {
    if (head.kind !== 'tower') continue; // a product reads other tasks, which are outputs too
    const tower = ir.towers.find((t) => t.name === head.tower);
    if (!tower || r.towers.has(tower.name)) continue;
    r.towers.add(tower.name);
    visit(tower.input);
  }
  // Target attention reads its target's embedding too (the target need not be in a group).
  for (const f of ir.features) if (r.features.has(f.name) && f.attention) r.features.add(f.attention.target);
  if (ir.scenarioAuxiliary) {
    // STAR's auxiliary network reads the scenario embedding and its groups for every tower task
    r.scenarioTable = true;
    ir.scenarioAuxiliary.inputs.forEach(visit);
  }
  for (const f of ir.features) if (r.features.has(f.name) && f.embedding) r.tables.add(f.embedding);
  if (!ir.scenario) r.scenarioTable = false;
  return r;
}

export interface UnusedBlock {
  kind: 'feature' | 'feature group' | 'pool' | 'gate' | 'tower';
  name: string;
  /** Spec path of the block's name (of the group's key). */
  path: string;
  atKey: boolean;
}

/**
 * The blocks that reach no task output, in spec order. The scenario feature is exempt: the
 * scenario machinery reads it through its own input.
 */
export function unusedBlocks(ir: ModelIR, r: Reachability = reachability(ir)): UnusedBlock[] {
  const out: UnusedBlock[] = [];
  const named = (kind: UnusedBlock['kind'], name: string, path: string) =>
    out.push({ kind, name, path: `${path}/name`, atKey: false });
  for (const f of ir.features)
    if (!r.features.has(f.name) && f.name !== ir.scenario?.feature) named('feature', f.name, f.path);
  for (const g of ir.groups)
    if (!r.groups.has(g.name)) out.push({ kind: 'feature group', name: g.name, path: g.path, atKey: true });
  for (const level of ir.levels) {
    for (const p of level.pools) if (!r.pools.has(p.name)) named('pool', p.name, p.path);
    for (const g of level.gates) if (!r.gates.has(g.name)) named('gate', g.name, g.path);
  }
  for (const t of ir.towers) if (!r.towers.has(t.name)) named('tower', t.name, t.path);
  return out;
}
