// A symbol table of every named thing in a spec, with the spec path of its definition, so rules
// can resolve references and point at both sides of a problem.
import { pointer } from './source.js';
import type { Feature, GateSpec, PoolSpec, Spec, TaskSpec, TowerSpec } from './spec-schema.js';

export interface Sym<T> {
  name: string;
  path: string;
  def: T;
  /** Level index for pools and gates. */
  level?: number;
}

export interface Symbols {
  features: Map<string, Sym<Feature>>;
  groups: Map<string, Sym<readonly string[]>>;
  pools: Map<string, Sym<PoolSpec>>;
  gates: Map<string, Sym<GateSpec>>;
  towers: Map<string, Sym<TowerSpec>>;
  tasks: Map<string, Sym<TaskSpec>>;
  /** Every definition in order, duplicates included: rules that look for duplicates read this. */
  all: { kind: 'feature' | 'group' | 'pool' | 'gate' | 'tower' | 'task'; name: string; path: string }[];
}

export function buildSymbols(spec: Spec): Symbols {
  const s: Symbols = {
    features: new Map(),
    groups: new Map(),
    pools: new Map(),
    gates: new Map(),
    towers: new Map(),
    tasks: new Map(),
    all: [],
  };
  const add = <T>(
    kind: Symbols['all'][number]['kind'],
    map: Map<string, Sym<T>>,
    name: string,
    path: string,
    def: T,
    level?: number,
  ) => {
    s.all.push({ kind, name, path });
    if (!map.has(name)) map.set(name, { name, path, def, ...(level !== undefined ? { level } : {}) });
  };
  spec.features.forEach((f, i) => add('feature', s.features, f.name, pointer('/features', i), f));
  for (const [g, names] of Object.entries(spec.featureGroups))
    add('group', s.groups, g, pointer('/featureGroups', g), names);
  spec.model.levels.forEach((lv, li) => {
    const lp = pointer('/model/levels', li);
    lv.pools.forEach((p, i) => add('pool', s.pools, p.name, pointer(pointer(lp, 'pools'), i), p, li));
    (lv.gates ?? []).forEach((g, i) => add('gate', s.gates, g.name, pointer(pointer(lp, 'gates'), i), g, li));
  });
  spec.model.towers.forEach((t, i) => add('tower', s.towers, t.name, pointer('/model/towers', i), t));
  spec.tasks.forEach((t, i) => add('task', s.tasks, t.name, pointer('/tasks', i), t));
  return s;
}
