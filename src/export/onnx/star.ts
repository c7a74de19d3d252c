// STAR blocks in ONNX, as compiler/build/star.ts builds them. A StarDense layer is exported in
// inference form with its products folded at export time: a stack of S + 1 kernels
// [W_shared ⊙ W_0, ..., W_shared ⊙ W_{S-1}, W_shared] (and biases b_shared + b_s, b_shared),
// batch norm folded in as in mlp.ts; each row gathers its scenario's kernel (an index outside
// [0, S) the last, shared one) and multiplies: y[b] = x[b] K[s_b] + c[s_b].
import type { MlpPart } from '../../compiler/build/names.js';
import { layerName } from '../../compiler/build/names.js';
import { starLayerName } from '../../compiler/build/star.js';
import type { MlpIR, ScenarioAuxiliaryIR, TaskIR } from '../../compiler/ir.js';
import { activate } from './activation.js';
import { concat, internal, type ExportContext, type Value } from './context.js';
import { batchNorm, dense, mlp, type BatchNorm } from './mlp.js';

function scenarioRow(ctx: ExportContext, S: number, name: string): string {
  const g = ctx.g;
  if (!ctx.scenarioInput) throw internal(`${name}: a star layer without a scenario input`);
  const s = g.op('Reshape', [ctx.scenarioInput, g.ints([-1])], `${name}_s`);
  const known = g.op(
    'And',
    [g.op('GreaterOrEqual', [s, g.int32s([0])], `${name}_ge0`), g.op('Less', [s, g.int32s([S])], `${name}_ltS`)],
    `${name}_known`,
  );
  return g.op('Where', [known, s, g.int32s([S])], `${name}_row`);
}

/** StarDense [B, in] -> [B, units] with the scenario rows of `row`; bn folded in when given. */
function starDense(ctx: ExportContext, x: Value, name: string, units: number, S: number, bn: BatchNorm | null): Value {
  ctx.m.layer(name, 'StarDense');
  const inp = x.width;
  const K = ctx.m.weight(`${name}/kernel`, [inp, units]).data;
  const b = ctx.m.weight(`${name}/bias`, [units]).data;
  const SK = ctx.m.weight(`${name}/scenario_kernel`, [S, inp, units]).data;
  const SB = ctx.m.weight(`${name}/scenario_bias`, [S, units]).data;
  const kernels = new Float32Array((S + 1) * inp * units);
  const biases = new Float32Array((S + 1) * units);
  const scale = (j: number) => (bn ? bn.scale[j] : 1);
  const shift = (j: number) => (bn ? bn.shift[j] : 0);
  for (let s = 0; s <= S; s++) {
    for (let i = 0; i < inp * units; i++)
      kernels[s * inp * units + i] = K[i] * (s < S ? SK[s * inp * units + i] : 1) * scale(i % units);
    for (let j = 0; j < units; j++)
      biases[s * units + j] = (b[j] + (s < S ? SB[s * units + j] : 0)) * scale(j) + shift(j);
  }
  const g = ctx.g;
  const row = scenarioRow(ctx, S, name);
  const k = g.op('Gather', [g.weight(`${name}/kernels`, kernels, [S + 1, inp, units]), row], `${name}_k`, { axis: 0 });
  const c = g.op('Gather', [g.weight(`${name}/biases`, biases, [S + 1, units]), row], `${name}_c`, { axis: 0 });
  const xb = g.op('Unsqueeze', [x.name, g.ints([1])], `${name}_x`); // [B, 1, in]
  const y = g.op('Reshape', [g.op('MatMul', [xb, k], `${name}_matmul`), g.ints([-1, units])], `${name}_y`);
  return { name: g.op('Add', [y, c], name), width: units };
}

/** A star MLP: StarDense -> [BatchNorm, folded] -> activation per layer. */
export function starMlp(
  ctx: ExportContext,
  x: Value,
  m: MlpIR,
  S: number,
  nameOf: (p: MlpPart, j: number) => string,
): Value {
  let h = x;
  m.units.forEach((units, j) => {
    const bn = batchNorm(ctx, nameOf('bn', j), units);
    if (m.batchNorm !== (bn !== null))
      throw new Error(`model.json and ir.json disagree on batch norm after "${nameOf('dense', j)}"`);
    h = starDense(ctx, h, nameOf('dense', j), units, S, bn);
    const act = ctx.m.maybeLayer(nameOf('act', j));
    if (act) {
      const how =
        act.className === 'LeakyReLU' ? { leakyAlpha: Number(act.config['alpha']) } : String(act.config['activation']);
      h = { name: activate(ctx, h.name, how, nameOf('act', j)), width: units };
    }
  });
  return h;
}

/** The auxiliary network's logit per task: an MLP over [groups, scenario embedding], Dense(1) heads. */
export function auxiliaryLogits(ctx: ExportContext, aux: ScenarioAuxiliaryIR): Map<string, string> {
  if (!ctx.scenarioVector) throw internal('the scenario auxiliary network without a scenario embedding');
  const parts = aux.inputs.map((r) => {
    const v = ctx.groups.get(r.name);
    if (!v) throw internal(`the scenario auxiliary network reads unknown group ${r.name}`);
    return v;
  });
  const x = concat(ctx, [...parts, ctx.scenarioVector], starLayerName.auxiliaryInput);
  const h = mlp(ctx, x, aux, starLayerName.auxiliary);
  return new Map(aux.tasks.map((t) => [t, dense(ctx, h, starLayerName.auxiliaryHead(t), 1, null).name]));
}

/**
 * A tower task's output when its head is star or it receives the auxiliary logit (compiler/build/
 * star.ts starTaskOutput): logit [+ auxiliary logit], then the head activation.
 */
export function starTaskOutput(
  ctx: ExportContext,
  task: TaskIR,
  towerOut: readonly Value[],
  opts: { star: boolean; perScenario: boolean; aux: string | undefined },
  select: (values: Value, layer: string, name: string) => string,
): string {
  const g = ctx.g;
  const out = `${layerName.output(task.name)}_value`;
  let logit: string;
  if (opts.star) {
    const S = ctx.ir.scenario?.values.length ?? 0;
    logit = starDense(ctx, towerOut[0], layerName.head(task.name), 1, S, null).name;
  } else if (opts.perScenario) {
    const heads = towerOut.map((h, i) => dense(ctx, h, layerName.head(task.name, i), 1, null));
    logit = select(
      concat(ctx, heads, layerName.headScenarios(task.name)),
      starLayerName.headSelect(task.name),
      `${out}_select`,
    );
  } else logit = dense(ctx, towerOut[0], layerName.head(task.name), 1, null).name;
  if (opts.aux) {
    ctx.m.layer(starLayerName.auxiliaryAdd(task.name), 'Add');
    logit = g.op('Add', [logit, opts.aux], `${out}_logit`);
  }
  ctx.m.layer(layerName.output(task.name), 'Activation');
  return task.type === 'binary' ? g.op('Sigmoid', [logit], out) : g.op('Identity', [logit], out);
}
