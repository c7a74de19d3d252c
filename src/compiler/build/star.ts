// STAR blocks of the tfjs model (../star.ts says what they compute): star towers (every Dense a
// StarDense reading the scenario index), star heads, the scenario auxiliary network, and the
// head of a task whose logit is star or receives the auxiliary logit.
import type { SymbolicTensor } from '@tensorflow/tfjs';
import type { MlpIR, ModelIR, ScenarioAuxiliaryIR, TaskIR } from '../ir.js';
import { fastBatchNormalization } from './batch-norm.js';
import { applyLayer, checkActivation, claim, denseLayer, LEAKY_RELU_ALPHA, mlp, type BuildContext } from './layers.js';
import { derivedSeed, layerName, type MlpPart } from './names.js';

export const starLayerName = {
  /** The auxiliary network's layer j (aux_dense0, aux_bn0, ...), and its logit per task. */
  auxiliary: (part: MlpPart, j: number) => `aux_${part}${j}`,
  auxiliaryInput: 'aux_in',
  auxiliaryHead: (task: string) => `aux_head_${task}`,
  /** The task's logit plus the auxiliary logit, before the head activation. */
  auxiliaryAdd: (task: string) => `head_${task}_aux_add`,
  /** The task's per-scenario logits, selected (when a per-scenario tower meets the auxiliary net). */
  headSelect: (task: string) => `head_${task}_select`,
};

function starDense(ctx: BuildContext, name: string, units: number, scenarios: number, l2: number) {
  const n = claim(ctx, name);
  return new ctx.custom.StarDense({
    name: n,
    units,
    scenarios,
    seed: derivedSeed(ctx.seed, `${n}/kernel`),
    l2: ctx.training ? l2 : 0,
  });
}

/** A star MLP: StarDense -> [BatchNorm] -> activation -> [Dropout] per layer (as mlp()). */
export function starMlp(
  ctx: BuildContext,
  x: SymbolicTensor,
  scenario: SymbolicTensor,
  scenarios: number,
  m: MlpIR,
  nameOf: (part: MlpPart, j: number) => string,
): SymbolicTensor {
  const { tf } = ctx;
  checkActivation(m.activation);
  let h = x;
  m.units.forEach((units, j) => {
    h = applyLayer(starDense(ctx, nameOf('dense', j), units, scenarios, m.l2), [h, scenario]);
    if (m.batchNorm) h = applyLayer(fastBatchNormalization(tf, { name: claim(ctx, nameOf('bn', j)), axis: -1 }), h);
    if (m.activation !== 'linear') {
      const name = claim(ctx, nameOf('act', j));
      h = applyLayer(
        m.activation === 'leaky_relu'
          ? tf.layers.leakyReLU({ name, alpha: LEAKY_RELU_ALPHA })
          : tf.layers.activation({ name, activation: m.activation as 'relu' }),
        h,
      );
    }
    if (m.dropout > 0 && ctx.training)
      h = applyLayer(tf.layers.dropout({ name: claim(ctx, nameOf('drop', j)), rate: m.dropout }), h);
  });
  return h;
}

/** Auxiliary logit per task: Dense(1) heads over an MLP of [groups..., scenario embedding]. */
export function buildAuxiliary(
  ctx: BuildContext,
  aux: ScenarioAuxiliaryIR,
  groups: ReadonlyMap<string, SymbolicTensor>,
  scenarioVector: SymbolicTensor,
): Map<string, SymbolicTensor> {
  const parts = aux.inputs.map((r) => {
    const g = groups.get(r.name);
    if (!g) throw new Error(`internal: the scenario auxiliary network reads unbuilt group ${r.name}`);
    return g;
  });
  parts.push(scenarioVector);
  const x =
    parts.length === 1
      ? parts[0]
      : applyLayer(ctx.tf.layers.concatenate({ name: claim(ctx, starLayerName.auxiliaryInput), axis: -1 }), parts);
  const h = mlp(ctx, x, aux, starLayerName.auxiliary);
  return new Map(aux.tasks.map((t) => [t, applyLayer(denseLayer(ctx, starLayerName.auxiliaryHead(t), 1), h)]));
}

/**
 * The output of a tower task whose head is star or whose logit receives the auxiliary logit:
 * logit (a star Dense(1); per-scenario Dense(1)s, selected; or one Dense(1)) [+ auxiliary logit],
 * then sigmoid (binary) or identity (regression), named after the task. With a per-scenario
 * tower the selection is of logits here, so an unknown scenario gets the mean logit.
 */
export function starTaskOutput(
  ctx: BuildContext,
  ir: ModelIR,
  task: TaskIR,
  towerOut: readonly SymbolicTensor[],
  opts: { star: boolean; perScenario: boolean; scenario: SymbolicTensor | null; aux: SymbolicTensor | undefined },
): SymbolicTensor {
  const { tf } = ctx;
  let logit: SymbolicTensor;
  if (opts.star) {
    if (!opts.scenario || !ir.scenario) throw new Error(`internal: star head ${task.name} without a scenario input`);
    logit = applyLayer(starDense(ctx, layerName.head(task.name), 1, ir.scenario.values.length, 0), [
      towerOut[0],
      opts.scenario,
    ]);
  } else if (opts.perScenario && opts.scenario) {
    const heads = towerOut.map((h, i) => applyLayer(denseLayer(ctx, layerName.head(task.name, i), 1), h));
    const stacked = applyLayer(
      tf.layers.concatenate({ name: claim(ctx, layerName.headScenarios(task.name)), axis: -1 }),
      heads,
    );
    logit = applyLayer(new ctx.custom.ScenarioSelect({ name: claim(ctx, starLayerName.headSelect(task.name)) }), [
      stacked,
      opts.scenario,
    ]);
  } else logit = applyLayer(denseLayer(ctx, layerName.head(task.name), 1), towerOut[0]);
  if (opts.aux)
    logit = applyLayer(tf.layers.add({ name: claim(ctx, starLayerName.auxiliaryAdd(task.name)) }), [logit, opts.aux]);
  return applyLayer(
    tf.layers.activation({
      name: claim(ctx, layerName.output(task.name)),
      activation: task.type === 'binary' ? 'sigmoid' : 'linear',
    }),
    logit,
  );
}
