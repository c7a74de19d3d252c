// Towers, task heads and outputs, as compiler/build/model.ts's buildOutputs makes them: tower
// MLPs (one copy per scenario when perScenario), Dense(1) heads (sigmoid or linear) or Dense(K)
// softmax heads (multi-class), per-scenario
// heads selected by the scenario input (the unknown scenario gets the mean of the towers), and
// ESMM product tasks.
import { layerName } from '../../compiler/build/names.js';
import type { TaskIR } from '../../compiler/ir.js';
import { activate } from './activation.js';
import { concat, internal, type ExportContext, type Value } from './context.js';
import { FLOAT } from './graph.js';
import { resolveRef } from './levels.js';
import { mlp } from './mlp.js';
import { auxiliaryLogits, starMlp, starTaskOutput } from './star.js';

/** Output units of a task's head: K for a multi-class task (softmax over its classes), else 1. */
export function headWidth(task: TaskIR): number {
  return task.type === 'multiclass' ? (task.classes?.length ?? 1) : 1;
}

function head(ctx: ExportContext, x: Value, name: string, units = 1): string {
  const layer = ctx.m.layer(name, 'Dense');
  const kernel = ctx.g.weight(`${name}/kernel`, ctx.m.weight(`${name}/kernel`, [x.width, units]).data, [
    x.width,
    units,
  ]);
  const bias = ctx.g.weight(`${name}/bias`, ctx.m.weight(`${name}/bias`, [units]).data, [units]);
  const act = String(layer.config['activation'] ?? 'linear');
  return activate(ctx, ctx.g.op('Gemm', [x.name, kernel, bias], act === 'linear' ? name : `${name}_logit`), act, name);
}

/** values [B, S], scenario [B, 1] -> [B, 1]: column s for s in [0, S), else the mean (custom-layers.ts ScenarioSelect). */
function scenarioSelect(ctx: ExportContext, values: Value, layer: string, name: string): string {
  const g = ctx.g;
  if (!ctx.scenarioInput) throw internal('per-scenario heads without a scenario input');
  ctx.m.layer(layer, 'ScenarioSelect');
  const s = values.width;
  const range = g.int32s(Array.from({ length: s }, (_, i) => i));
  const pick = g.op('Cast', [g.op('Equal', [ctx.scenarioInput, range], `${name}_is`)], `${name}_pick`, { to: FLOAT }); // [B, S], a zero row when unknown
  const known = g.op('ReduceSum', [pick, g.ints([1])], `${name}_known`, { keepdims: 1 });
  const chosen = g.op(
    'ReduceSum',
    [g.op('Mul', [values.name, pick], `${name}_masked`), g.ints([1])],
    `${name}_chosen`,
    { keepdims: 1 },
  );
  const mean = g.op('ReduceMean', [values.name], `${name}_mean`, { axes: [1], keepdims: 1 });
  const fallback = g.op('Mul', [g.op('Sub', [g.scalar(1), known], `${name}_unknown`), mean], `${name}_fallback`);
  return g.op('Add', [chosen, fallback], name);
}

export function lowerOutputs(ctx: ExportContext): void {
  const { g, ir } = ctx;
  const towers = new Map<string, Value[]>();
  for (const t of ir.towers) {
    const x = resolveRef(ctx, t.input);
    if (t.star) {
      const S = ir.scenario?.values.length ?? 0;
      towers.set(t.name, [starMlp(ctx, x, t, S, (part, j) => layerName.tower(t.name, part, j))]);
    } else if (t.perScenario.length > 0) {
      if (
        !ctx.scenarioInput ||
        t.perScenario.length !== ir.scenario?.values.length ||
        t.perScenario.some((v, i) => ir.scenario?.values[i] !== v)
      ) {
        throw internal(`tower ${t.name}'s scenarios do not match the declared scenario values`);
      }
      towers.set(
        t.name,
        t.perScenario.map((_, i) => mlp(ctx, x, t, (part, j) => layerName.tower(t.name, part, j, i))),
      );
    } else towers.set(t.name, [mlp(ctx, x, t, (part, j) => layerName.tower(t.name, part, j))]);
  }
  const aux = ir.scenarioAuxiliary ? auxiliaryLogits(ctx, ir.scenarioAuxiliary) : new Map<string, string>();
  const outputs = new Map<string, string>();
  const visiting = new Set<string>();
  const taskByName = new Map(ir.tasks.map((t) => [t.name, t]));
  const outputOf = (task: TaskIR): string => {
    const done = outputs.get(task.name);
    if (done) return done;
    if (visiting.has(task.name)) throw internal(`task ${task.name} is a product of itself`);
    visiting.add(task.name);
    let y: string;
    const name = `${layerName.output(task.name)}_value`;
    if (task.head.kind === 'product') {
      ctx.m.layer(layerName.output(task.name), 'Multiply');
      const parts = task.head.of.map((n) => {
        const t = taskByName.get(n);
        if (!t) throw internal(`task ${task.name} multiplies unknown task ${n}`);
        return outputOf(t);
      });
      // ESMM, Eq. 2: pCTCVR = pCTR x pCVR (left to right, as tfjs's Multiply).
      y = parts
        .slice(1)
        .reduce((acc, p, i) => g.op('Mul', [acc, p], i === parts.length - 2 ? name : `${name}_${i}`), parts[0]);
    } else {
      const copies = towers.get(task.head.tower);
      if (!copies) throw internal(`task ${task.name} reads unknown tower ${task.head.tower}`);
      const tower = task.head.tower;
      const perScenario = (ir.towers.find((t) => t.name === tower)?.perScenario.length ?? 0) > 0;
      const star = ir.towers.find((t) => t.name === tower)?.star === true;
      const auxLogit = aux.get(task.name);
      if (star || auxLogit) {
        y = starTaskOutput(ctx, task, copies, { star, perScenario, aux: auxLogit }, (v, l, n) =>
          scenarioSelect(ctx, v, l, n),
        );
        visiting.delete(task.name);
        outputs.set(task.name, y);
        return y;
      }
      const heads = copies.map((h, i) => ({
        name: head(ctx, h, layerName.head(task.name, perScenario ? i : undefined), headWidth(task)),
        width: headWidth(task),
      }));
      if (perScenario)
        y = scenarioSelect(
          ctx,
          concat(ctx, heads, layerName.headScenarios(task.name)),
          layerName.output(task.name),
          name,
        );
      else {
        ctx.m.layer(layerName.output(task.name), 'Activation');
        y = heads[0].name;
      }
    }
    visiting.delete(task.name);
    outputs.set(task.name, y);
    return y;
  };
  const order = ctx.m.outputNames.length > 0 ? ctx.m.outputNames : ir.tasks.map((t) => t.name);
  for (const task of ir.tasks) outputOf(task);
  for (const n of order) {
    const y = outputs.get(n);
    if (!y) throw new Error(`model.json output "${n}" is not a task of ir.json`);
    g.output(n, y, [headWidth(taskByName.get(n)!)]);
  }
}
