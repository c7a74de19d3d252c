// STAR (Sheng et al., "One Model to Serve All: Star Topology Adaptive Recommender for
// Multi-Domain CTR Prediction", CIKM 2021) in the IR. Two parts, both driven by the scenario
// feature:
//   - a star tower (`star: true`): each layer of the tower, and the task head, holds a shared
//     kernel and bias and one kernel and bias per scenario; a row of scenario p computes
//     y = x (W_shared ⊙ W_p) + (b_shared + b_p) (Eq. 4 of the paper). A row whose scenario is
//     unknown uses the shared weights alone (as if W_p = 1, b_p = 0, the paper's initial values);
//   - the scenario auxiliary network (`model.scenarioAuxiliary`): a small MLP over the scenario
//     embedding (and chosen feature groups) with one logit per tower-headed task, added to that
//     task's logit before the sigmoid (Sec. 3.4 of the paper, one logit per task here).
// Pure and tfjs-free: lower, cost, explain and diff use it.
import type { Spec } from '../schema/spec-schema.js';
import type { GroupIR, ModelIR, RefIR, ScenarioAuxiliaryIR, TaskIR } from './ir.js';

/** `{ scenarioAuxiliary }` when the spec declares one (and scenarios), else `{}` (ir.json unchanged). */
export function lowerScenarioAuxiliary(
  spec: Spec,
  groups: readonly GroupIR[],
  tasks: readonly TaskIR[],
): { scenarioAuxiliary?: ScenarioAuxiliaryIR } {
  const a = spec.model.scenarioAuxiliary;
  if (!a || !spec.scenarios) return {};
  const byName = new Map(groups.map((g) => [g.name, g]));
  const inputs: RefIR[] = (a.inputs ?? []).map((n) => {
    const g = byName.get(n);
    if (!g) throw new Error(`internal: the scenario auxiliary network reads "${n}", which is not a feature group`);
    return { kind: 'group', name: n, width: g.width };
  });
  const inputWidth = inputs.reduce((s, r) => s + r.width, 0) + spec.scenarios.embeddingDim;
  return {
    scenarioAuxiliary: {
      kind: 'auxiliary',
      path: '/model/scenarioAuxiliary',
      inputs,
      inputWidth,
      units: [...a.units],
      activation: a.activation,
      batchNorm: a.batchNorm,
      dropout: a.dropout,
      l2: a.l2,
      outputWidth: a.units.length ? a.units[a.units.length - 1] : inputWidth,
      tasks: tasks.filter((t) => t.head.kind === 'tower').map((t) => t.name),
    },
  };
}

/** Does some tower use STAR weights? */
export function hasStarTower(ir: Pick<ModelIR, 'towers'>): boolean {
  return ir.towers.some((t) => t.star === true);
}

/** Is the model a STAR model (a star tower or the auxiliary network)? */
export function isStar(ir: Pick<ModelIR, 'towers' | 'scenarioAuxiliary'>): boolean {
  return hasStarTower(ir) || ir.scenarioAuxiliary !== undefined;
}

/**
 * Parameters a star MLP (`units` over `inp`) holds beyond the plain MLP: S scenario copies of
 * every kernel and bias. Its FLOPs are the plain MLP's: a row uses one scenario's layer, and the
 * product W_shared ⊙ W_p is per scenario, not per example (the ONNX export folds it).
 */
export function starExtraParams(inp: number, units: readonly number[], scenarios: number): number {
  let extra = 0;
  let w = inp;
  for (const u of units) {
    extra += scenarios * (w * u + u);
    w = u;
  }
  return extra;
}
