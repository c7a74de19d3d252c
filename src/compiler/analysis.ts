// One analysis of a ModelIR: the facts family recognition, explain, summary and diff all need,
// computed once. Which tower heads each task, which tasks each tower, gate and pool serves
// (walking back from the heads), whether a node is shared by every task or specific to one,
// which gates mix each pool, and which feature groups are read.
import type { GateIR, ModelIR, PoolIR, TaskIR, TowerIR } from './ir.js';

/** The nodes roles are computed for (RefIR's kinds, plus towers). */
export type NodeKind = 'pool' | 'gate' | 'tower';
export type GraphNode = PoolIR | GateIR | TowerIR;

export interface NodeRole {
  kind: NodeKind;
  name: string;
  /** 0-based level of a pool or gate; null for towers. */
  level: number | null;
  /** Tower-headed tasks this node ultimately serves, in task order. */
  tasks: string[];
  /** Serves every tower-headed task (and there is more than one). */
  shared: boolean;
  /** Serves exactly one task. */
  specific: boolean;
}

export interface IrAnalysis {
  /** Tasks whose head is a tower, in task order (the tasks experts can serve). */
  towerTasks: string[];
  /** The tower heading each tower-headed task. */
  towerOfTask: ReadonlyMap<string, TowerIR>;
  /** Tasks each tower heads, in task order. */
  tasksOfTower: ReadonlyMap<string, string[]>;
  /** Gates (of the pool's level) that mix each pool, in gate order. */
  gatesMixing: ReadonlyMap<string, GateIR[]>;
  /** Feature groups some pool or gate reads. */
  groupsRead: ReadonlySet<string>;
  /** Product tasks that multiply each task. */
  productsOf: ReadonlyMap<string, string[]>;
  role(kind: NodeKind, name: string): NodeRole | undefined;
  /** Shorthands for role(kind, name)?.tasks / .shared. */
  tasksOf(kind: NodeKind, name: string): string[];
  isShared(kind: NodeKind, name: string): boolean;
}

const key = (kind: NodeKind, name: string) => `${kind}:${name}`;

/** Which kind of graph node this is (the IR tags pools, gates and towers). */
export function nodeKind(n: GraphNode): NodeKind {
  return n.kind;
}

/**
 * Which tasks each pool and gate ultimately serves, walking back from the heads: a tower serves
 * the tasks it heads, a gate the tasks of what reads it, a pool the tasks of the gates mixing it.
 * A pool belongs to the tasks of the gates that serve only some tasks (a PLE shared gate mixes
 * every pool and would otherwise make each task's own experts look shared).
 */
function owners(
  ir: Omit<ModelIR, 'family'>,
  towerTasks: readonly string[],
  tasksOfTower: ReadonlyMap<string, string[]>,
): Map<string, Set<string>> {
  const own = new Map<string, Set<string>>();
  const add = (k: string, tasks: Iterable<string>) => {
    const s = own.get(k) ?? new Set<string>();
    for (const t of tasks) s.add(t);
    own.set(k, s);
  };
  for (const t of ir.towers) add(key('tower', t.name), tasksOfTower.get(t.name) ?? []);
  for (const t of ir.towers) add(key(t.input.kind as NodeKind, t.input.name), own.get(key('tower', t.name)) ?? []);
  for (let li = ir.levels.length - 1; li >= 0; li--) {
    const level = ir.levels[li];
    const next = ir.levels[li + 1];
    if (next) {
      for (const reader of [...next.pools, ...next.gates]) {
        for (const r of reader.inputs)
          if (r.kind === 'gate') add(key('gate', r.name), own.get(key(nodeKind(reader), reader.name)) ?? []);
      }
    }
    for (const p of level.pools) {
      const mixing = level.gates.filter((g) => g.pools.includes(p.name));
      // a gate that serves no task (not built) does not make its experts task-specific
      const partial = mixing.filter((g) => {
        const n = own.get(key('gate', g.name))?.size ?? 0;
        return n > 0 && n < towerTasks.length;
      });
      for (const g of partial.length ? partial : mixing) add(key('pool', p.name), own.get(key('gate', g.name)) ?? []);
    }
  }
  return own;
}

export function analyzeIr(ir: Omit<ModelIR, 'family'>): IrAnalysis {
  const towerHeaded = ir.tasks.filter(
    (t): t is TaskIR & { head: { kind: 'tower'; tower: string } } => t.head.kind === 'tower',
  );
  const towerTasks = towerHeaded.map((t) => t.name);
  const towerByName = new Map(ir.towers.map((t) => [t.name, t] as const));
  const towerOfTask = new Map<string, TowerIR>();
  const tasksOfTower = new Map<string, string[]>(ir.towers.map((t) => [t.name, []]));
  for (const t of towerHeaded) {
    const tower = towerByName.get(t.head.tower);
    if (tower) towerOfTask.set(t.name, tower);
    tasksOfTower.get(t.head.tower)?.push(t.name);
  }
  const gatesMixing = new Map<string, GateIR[]>();
  const groupsRead = new Set<string>();
  for (const level of ir.levels) {
    for (const p of level.pools)
      gatesMixing.set(
        p.name,
        level.gates.filter((g) => g.pools.includes(p.name)),
      );
    for (const x of [...level.pools, ...level.gates])
      for (const r of x.inputs) if (r.kind === 'group') groupsRead.add(r.name);
  }
  const productsOf = new Map<string, string[]>();
  for (const t of ir.tasks)
    if (t.head.kind === 'product') for (const o of t.head.of) productsOf.set(o, [...(productsOf.get(o) ?? []), t.name]);

  const own = owners(ir, towerTasks, tasksOfTower);
  const roles = new Map<string, NodeRole>();
  const addRole = (kind: NodeKind, name: string, level: number | null) => {
    const tasks = towerTasks.filter((t) => own.get(key(kind, name))?.has(t));
    roles.set(key(kind, name), {
      kind,
      name,
      level,
      tasks,
      shared: towerTasks.length > 1 && tasks.length === towerTasks.length,
      specific: tasks.length === 1,
    });
  };
  for (const level of ir.levels) {
    for (const p of level.pools) addRole('pool', p.name, p.level);
    for (const g of level.gates) addRole('gate', g.name, g.level);
  }
  for (const t of ir.towers) addRole('tower', t.name, null);

  const role = (kind: NodeKind, name: string) => roles.get(key(kind, name));
  return {
    towerTasks,
    towerOfTask,
    tasksOfTower,
    gatesMixing,
    groupsRead,
    productsOf,
    role,
    tasksOf: (kind, name) => role(kind, name)?.tasks ?? [],
    isShared: (kind, name) => role(kind, name)?.shared ?? false,
  };
}
