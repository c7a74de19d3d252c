// Which known architecture an IR equals. The families are recognised from the general form,
// never chosen by a flag: a spec that happens to have MMoE's shape *is* an MMoE.
import { analyzeIr, type IrAnalysis } from './analysis.js';
import type { FamilyIR, FamilyName, ModelIR } from './ir.js';
import { isStar } from './star.js';

const LABELS: Record<FamilyName, string> = {
  'single-task': 'Single-task models',
  'shared-bottom': 'Shared-Bottom',
  moe: 'MoE (one gate)',
  mmoe: 'MMoE',
  cgc: 'CGC',
  ple: 'PLE',
  custom: 'Custom expert/gate graph',
};

function base(ir: Omit<ModelIR, 'family'>, a: IrAnalysis): FamilyName {
  // the tower of each tower-headed task, in task order (a tower two tasks share counts twice)
  const towers = a.towerTasks.map((t) => a.towerOfTask.get(t)).filter((t) => t !== undefined);
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
  const useCount = new Map(
    level.pools.map((p) => [p.name, (a.gatesMixing.get(p.name) ?? []).filter((g) => gatesUsed.has(g.name)).length]),
  );
  const shared = [...useCount].filter(([, n]) => n === gates.length).map(([p]) => p);
  const ok =
    shared.length > 0 &&
    gates.every(
      (g) =>
        g.pools.some((p) => useCount.get(p) === 1) && g.pools.every((p) => useCount.get(p) === 1 || shared.includes(p)),
    );
  return ok ? 'cgc' : 'custom';
}

export function recogniseFamily(ir: Omit<ModelIR, 'family'>, analysis: IrAnalysis = analyzeIr(ir)): FamilyIR {
  const b = base(ir, analysis);
  const esmm = ir.tasks.some((t) => t.head.kind === 'product');
  const star = ir.scenario !== null && isStar(ir);
  const multiScenario =
    ir.scenario !== null &&
    (star ||
      ir.towers.some((t) => t.perScenario.length > 0) ||
      ir.levels.some((l) => l.gates.some((g) => g.scenarioAware)));
  let label = LABELS[b];
  if (esmm) label = `ESMM over ${label}`;
  if (multiScenario) label = `${star ? 'STAR multi-scenario' : 'Multi-scenario'} ${label}`;
  return { base: b, esmm, multiScenario, label };
}
