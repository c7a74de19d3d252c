// Expert pools and gates, level by level, as compiler/build/model.ts's buildLevel makes them:
// pools of expert MLPs (separate, or fused when model.json has the fused layers), gate weights
// softmax(Dense(inputs [+ scenario]) / T) with optional top-k (one Dense per gate, or one for
// several gates when model.json has the fused form), and each gate's weighted sum of its experts.
import { layerName } from '../../compiler/build/names.js';
import type { GateIR, LevelIR, PoolIR, RefIR } from '../../compiler/ir.js';
import { concat, internal, type ExportContext, type Value } from './context.js';
import { expertPrefix } from '../../compiler/build/cross-names.js';
import { crossNetwork } from './cross.js';
import { mlp } from './mlp.js';
import { setting } from './weights.js';

export function resolveRef(ctx: ExportContext, r: RefIR): Value {
  if (r.kind === 'group') {
    const v = ctx.groups.get(r.name);
    if (v) return v;
  } else if (r.kind === 'gate') {
    const v = ctx.gates.get(r.name);
    if (v) return v;
  } else {
    const p = ctx.pools.get(r.name);
    if (p) {
      if (p.pool.count !== 1)
        throw new Error(`cannot export: pool "${r.name}" is read directly but has ${p.pool.count} experts`);
      return p.pieces[0];
    }
  }
  throw internal(`unresolved ${r.kind} ${r.name}`);
}

/** The concatenation of refs (+ the scenario embedding), shared by every reader of the same set. */
function concatRefs(
  ctx: ExportContext,
  refs: RefIR[],
  withScenario: boolean,
  name: string,
  expectedWidth: number,
): Value {
  const key = refs.map((r) => `${r.kind}:${r.name}`).join('|') + (withScenario ? '|+scenario' : '');
  let v = ctx.concats.get(key);
  if (!v) {
    const parts = refs.map((r) => resolveRef(ctx, r));
    if (withScenario) {
      if (!ctx.scenarioVector) throw internal('a scenario-aware gate without a scenario embedding');
      parts.push(ctx.scenarioVector);
    }
    v = concat(ctx, parts, name);
    ctx.concats.set(key, v);
  }
  if (v.width !== expectedWidth) throw internal(`${name} is ${v.width} wide, the IR says ${expectedWidth}`);
  return v;
}

function lowerPool(ctx: ExportContext, level: number, p: PoolIR): void {
  const x = concatRefs(ctx, p.inputs, false, layerName.poolInput(level, p.name), p.inputWidth);
  // The lowering the model was built with: fused pools have one Dense for all experts.
  const fused = p.count > 1 && ctx.m.has(`${layerName.fusedExperts(level, p.name, 'dense', 0)}/kernel`);
  const pieces = fused
    ? [mlp(ctx, x, p, (part, j) => layerName.fusedExperts(level, p.name, part, j), p.count)]
    : Array.from({ length: p.count }, (_, e) =>
        mlp(ctx, p.cross ? crossNetwork(ctx, x, p.cross, expertPrefix(level, p.name, e)) : x, p, (part, j) =>
          layerName.expert(level, p.name, e, part, j),
        ),
      );
  ctx.pools.set(p.name, { pieces, pool: p });
}

/** Gate weights from logits [B, N] as GateSoftmax (or a plain Softmax layer) computes them. */
function gateSoftmax(ctx: ExportContext, logits: Value, layer: string): Value {
  const g = ctx.g;
  const l = ctx.m.layer(layer, 'Softmax', 'GateSoftmax');
  if (l.className === 'Softmax')
    return { name: g.op('Softmax', [logits.name], layer, { axis: -1 }), width: logits.width };
  const c = l.config;
  const num = (key: string): number | null => {
    const v = setting(c, key);
    return v === null || v === undefined ? null : Number(v);
  };
  const temperature = num('temperature') ?? 1;
  const topK = num('topK');
  const begin = num('begin');
  const size = num('size');
  let z = logits.name;
  let n = logits.width;
  if (begin !== null && size !== null) {
    z = g.op('Slice', [z, g.ints([begin]), g.ints([begin + size]), g.ints([1])], `${layer}_slice`);
    n = size;
  }
  if (temperature !== 1) z = g.op('Div', [z, g.scalar(temperature)], `${layer}_temperature`);
  if (topK === null || topK >= n) return { name: g.op('Softmax', [z], layer, { axis: -1 }), width: n };
  const p = g.op('Softmax', [z], `${layer}_all`, { axis: -1 });
  // The k largest weights (ties: lowest index first, as ONNX TopK and tfjs's argMax loop both
  // pick), renormalised to sum to 1.
  const [values, indices] = g.opMulti('TopK', [p, g.ints([topK])], `${layer}_topk`, 2, {
    axis: 1,
    largest: 1,
    sorted: 1,
  });
  const zeros = g.op('Mul', [p, g.scalar(0)], `${layer}_zeros`);
  const ones = g.op('Add', [g.op('Mul', [values, g.scalar(0)], `${layer}_kzeros`), g.scalar(1)], `${layer}_ones`);
  const mask = g.op('ScatterElements', [zeros, indices, ones], `${layer}_mask`, { axis: 1 });
  const kept = g.op('Mul', [p, mask], `${layer}_kept`);
  return {
    name: g.op('Div', [kept, g.op('ReduceSum', [kept, g.ints([1])], `${layer}_total`, { keepdims: 1 })], layer),
    width: n,
  };
}

function gateInputKey(gate: GateIR): string {
  return gate.inputs.map((r) => `${r.kind}:${r.name}`).join('|') + (gate.scenarioAware ? '|+scenario' : '');
}

function denseLogits(ctx: ExportContext, x: Value, name: string, units: number): Value {
  ctx.m.layer(name, 'Dense');
  const kernel = ctx.g.weight(`${name}/kernel`, ctx.m.weight(`${name}/kernel`, [x.width, units]).data, [
    x.width,
    units,
  ]);
  const bias = ctx.g.weight(`${name}/bias`, ctx.m.weight(`${name}/bias`, [units]).data, [units]);
  return { name: ctx.g.op('Gemm', [x.name, kernel, bias], name), width: units };
}

/** Gate weights [B, numExperts] for every gate of a level. */
function gateWeights(ctx: ExportContext, level: LevelIR): Map<string, Value> {
  const weights = new Map<string, Value>();
  const gateX = (gate: GateIR) =>
    concatRefs(ctx, gate.inputs, gate.scenarioAware, layerName.gateInput(level.index, gate.name), gate.inputWidth);
  // Fused gates (the build's grouping: gates reading the same inputs, two or more, in order).
  if (ctx.m.has(`${layerName.fusedGates(level.index, 0)}/kernel`)) {
    const byInput = new Map<string, GateIR[]>();
    for (const gate of level.gates) byInput.set(gateInputKey(gate), [...(byInput.get(gateInputKey(gate)) ?? []), gate]);
    let k = 0;
    for (const gates of byInput.values()) {
      if (gates.length < 2) continue;
      const total = gates.reduce((n, x) => n + x.numExperts, 0);
      const logits = denseLogits(ctx, gateX(gates[0]), layerName.fusedGates(level.index, k++), total);
      for (const gate of gates)
        weights.set(gate.name, gateSoftmax(ctx, logits, layerName.gateSoftmax(level.index, gate.name)));
    }
  }
  for (const gate of level.gates) {
    if (weights.has(gate.name)) continue;
    const logits = denseLogits(ctx, gateX(gate), layerName.gate(level.index, gate.name), gate.numExperts);
    weights.set(gate.name, gateSoftmax(ctx, logits, layerName.gateSoftmax(level.index, gate.name)));
  }
  return weights;
}

export function lowerLevel(ctx: ExportContext, level: LevelIR): void {
  const g = ctx.g;
  for (const p of level.pools) lowerPool(ctx, level.index, p);
  const weights = gateWeights(ctx, level);
  const outputs = new Map<string, Value>();
  for (const gate of level.gates) {
    const key = gate.pools.join('|');
    let stack = ctx.stacks.get(key);
    if (!stack) {
      const pieces = gate.pools.flatMap((n) => {
        const p = ctx.pools.get(n);
        if (!p || p.pool.level !== level.index) throw internal(`gate ${gate.name} mixes unknown pool ${n}`);
        if (p.pool.outputWidth !== gate.outputWidth)
          throw internal(`gate ${gate.name} mixes pools of different widths`);
        return p.pieces;
      });
      const flat = concat(ctx, pieces, layerName.gateExperts(level.index, gate.name));
      stack = g.op(
        'Reshape',
        [flat.name, g.ints([-1, gate.numExperts, gate.outputWidth])],
        layerName.gateStack(level.index, gate.name),
      );
      ctx.stacks.set(key, stack);
    }
    const w = weights.get(gate.name);
    if (!w || w.width !== gate.numExperts) throw internal(`no weights for gate ${gate.name}`);
    // sum_e w[b, e] * experts[b, e, :]: [B, 1, E] x [B, E, W] -> [B, 1, W] -> [B, W]
    const name = layerName.gateMix(level.index, gate.name);
    const row = g.op('Unsqueeze', [w.name, g.ints([1])], `${name}_row`);
    const mixed = g.op('MatMul', [row, stack], `${name}_matmul`);
    outputs.set(gate.name, {
      name: g.op('Reshape', [mixed, g.ints([-1, gate.outputWidth])], name),
      width: gate.outputWidth,
    });
  }
  // Gates become visible to the next level only once the whole level is built.
  for (const [n, v] of outputs) ctx.gates.set(n, v);
}
