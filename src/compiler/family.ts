// Which known architecture an IR equals. The families are recognised from the general form,
// never chosen by a flag: a spec that happens to have MMoE's shape *is* an MMoE.
import type { FamilyIR, FamilyName, ModelIR } from './ir.js';

const LABELS: Record<FamilyName, string> = {
  'single-task': 'Single-task models',
  'shared-bottom': 'Shared-Bottom',
  moe: 'MoE (one gate)',
  mmoe: 'MMoE',
  cgc: 'CGC',
  ple: 'PLE',
  custom: 'Custom expert/gate graph',
};

function base(ir: Omit<ModelIR, 'family'>): FamilyName {
  const towerTasks = ir.tasks.filter((t) => t.head.kind === 'tower');
  const towerByName = new Map<string, (typeof ir.towers)[number]>();
  for (const t of ir.towers) if (!towerByName.has(t.name)) towerByName.set(t.name, t);
  const towerOf = (task: (typeof towerTasks)[number]) => (task.head.kind === 'tower' ? towerByName.get(task.head.tower) : undefined);
  const towers = towerTasks.map(towerOf).filter((t) => t !== undefined);
  if (ir.levels.length > 1) {
    // PLE: every level has gates, and the last level's gates feed the towers.
    return towers.every((t) => t.input.kind === 'gate') ? 'ple' : 'custom';
  }
  const [level] = ir.levels;
  if (level.gates.length === 0) {
    const pools = new Set(towers.map((t) => t.input.name));
    if (towers.every((t) => t.input.kind === 'pool')) {
      if (pools.size === 1 && towers.length > 1) return 'shared-bottom';
      if (pools.size === towers.length) return 'single-task';
    }
    return 'custom';
  }
  if (!towers.every((t) => t.input.kind === 'gate')) return 'custom';
  const gatesUsed = new Set(towers.map((t) => t.input.name));
  const gates = level.gates.filter((g) => gatesUsed.has(g.name));
  const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  if (gates.length === 1) return towers.length > 1 || level.pools.length === 1 ? 'moe' : 'custom';
  if (gates.length !== towers.length) return 'custom';
  if (gates.every((g) => sameSet(g.pools, gates[0].pools))) return 'mmoe';
  // CGC: each gate mixes pools used by every gate (shared) plus pools only it uses (task-specific).
  const useCount = new Map<string, number>();
  for (const g of gates) for (const p of g.pools) useCount.set(p, (useCount.get(p) ?? 0) + 1);
  const shared = new Set([...useCount].filter(([, n]) => n === gates.length).map(([p]) => p));
  const ok = shared.size > 0 && gates.every((g) => g.pools.some((p) => useCount.get(p) === 1) && g.pools.every((p) => useCount.get(p) === 1 || shared.has(p)));
  return ok ? 'cgc' : 'custom';
}

export function recogniseFamily(ir: Omit<ModelIR, 'family'>): FamilyIR {
  const b = base(ir);
  const esmm = ir.tasks.some((t) => t.head.kind === 'product');
  const multiScenario = ir.scenario !== null && (ir.towers.some((t) => t.perScenario.length > 0) || ir.levels.some((l) => l.gates.some((g) => g.scenarioAware)));
  let label = LABELS[b];
  if (esmm) label = `ESMM over ${label}`;
  if (multiScenario) label = `Multi-scenario ${label}`;
  return { base: b, esmm, multiScenario, label };
}
