// MLP stacks (Dense -> [BatchNorm] -> activation; Dropout is the identity at inference) in their
// separate and fused forms, as compiler/build/layers.ts's mlp() builds them. Batch norm is in
// inference form and folded into the Dense before it:
//   BN(x W + b) = x (W * s) + (b * s + beta - mean * s),   s = gamma / sqrt(var + epsilon).
import type { MlpIR } from '../../compiler/ir.js';
import type { MlpPart } from '../../compiler/build/names.js';
import { activate } from './activation.js';
import { internal, type ExportContext, type Value } from './context.js';

export interface BatchNorm {
  scale: Float64Array;
  shift: Float64Array;
}

/** A BatchNormalization layer's inference transform per channel, or null when there is none. */
export function batchNorm(ctx: ExportContext, name: string, channels: number): BatchNorm | null {
  const layer = ctx.m.maybeLayer(name);
  if (!layer) return null;
  if (layer.className !== 'BatchNormalization')
    throw new Error(`model.json: layer "${name}" is a ${layer.className}, expected BatchNormalization`);
  const c = layer.config;
  const axis = c['axis'];
  if (!(axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1)))
    throw new Error(
      `cannot export: batch norm "${name}" normalises axis ${JSON.stringify(axis)}, only the last axis is supported`,
    );
  const epsilon = Number(c['epsilon'] ?? 1e-3);
  const shape = [channels];
  const gamma = c['scale'] === false ? null : ctx.m.weight(`${name}/gamma`, shape).data;
  const beta = c['center'] === false ? null : ctx.m.weight(`${name}/beta`, shape).data;
  const mean = ctx.m.weight(`${name}/moving_mean`, shape).data;
  const variance = ctx.m.weight(`${name}/moving_variance`, shape).data;
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let i = 0; i < channels; i++) {
    scale[i] = (gamma ? gamma[i] : 1) / Math.sqrt(variance[i] + epsilon);
    shift[i] = (beta ? beta[i] : 0) - mean[i] * scale[i];
  }
  return { scale, shift };
}

/**
 * Kernel and bias [out] with a batch norm over `out` folded in. The kernel is [in, out] (Dense)
 * or [G, in, units] with out = G x units (GroupedDense): `units` values per kernel row.
 */
function fold(
  kernel: Float32Array,
  bias: Float32Array,
  bn: BatchNorm | null,
  units = bias.length,
): { kernel: Float32Array; bias: Float32Array } {
  if (!bn) return { kernel, bias };
  const rowsPerGroup = kernel.length / bias.length; // in
  const channel = (i: number) => Math.floor(i / (rowsPerGroup * units)) * units + (i % units);
  return {
    kernel: Float32Array.from(kernel, (w, i) => w * bn.scale[channel(i)]),
    bias: Float32Array.from(bias, (b, i) => b * bn.scale[i] + bn.shift[i]),
  };
}

/** y = x W + b for a Dense layer [in] -> [units]; bn folded in when given. */
export function dense(ctx: ExportContext, x: Value, name: string, units: number, bn: BatchNorm | null): Value {
  const k = ctx.m.weight(`${name}/kernel`, [x.width, units]);
  const b = ctx.m.weight(`${name}/bias`, [units]);
  const w = fold(k.data, b.data, bn);
  const kernel = ctx.g.weight(`${name}/kernel`, w.kernel, [x.width, units]);
  const bias = ctx.g.weight(`${name}/bias`, w.bias, [units]);
  return { name: ctx.g.op('Gemm', [x.name, kernel, bias], name), width: units };
}

/** GroupedDense: G Dense layers side by side, [B, G x in] -> [B, G x units]. */
function groupedDense(
  ctx: ExportContext,
  x: Value,
  name: string,
  groups: number,
  units: number,
  bn: BatchNorm | null,
): Value {
  if (x.width % groups !== 0) throw internal(`${name}: width ${x.width} does not split into ${groups} groups`);
  const inp = x.width / groups;
  const k = ctx.m.weight(`${name}/kernel`, [groups, inp, units]);
  const b = ctx.m.weight(`${name}/bias`, [groups * units]);
  const w = fold(k.data, b.data, bn, units);
  const g = ctx.g;
  const perGroup = g.op(
    'Transpose',
    [g.op('Reshape', [x.name, g.ints([-1, groups, inp])], `${name}_split`)],
    `${name}_groups`,
    { perm: [1, 0, 2] },
  );
  const y = g.op('MatMul', [perGroup, g.weight(`${name}/kernel`, w.kernel, [groups, inp, units])], `${name}_matmul`); // [G, B, units]
  const flat = g.op(
    'Reshape',
    [g.op('Transpose', [y], `${name}_batch`, { perm: [1, 0, 2] }), g.ints([-1, groups * units])],
    `${name}_flat`,
  );
  return { name: g.op('Add', [flat, g.weight(`${name}/bias`, w.bias, [groups * units])], name), width: groups * units };
}

/**
 * An MLP over x. groups = 1: Dense layers. groups = G > 1 (fused experts): layer 0 one Dense of
 * G x units, later layers GroupedDense; the result is [B, G x last], group g in block g.
 */
export function mlp(
  ctx: ExportContext,
  x: Value,
  m: MlpIR,
  nameOf: (part: MlpPart, j: number) => string,
  groups = 1,
): Value {
  let h = x;
  m.units.forEach((units, j) => {
    const name = nameOf('dense', j);
    const grouped = groups > 1 && j > 0;
    const layer = ctx.m.layer(name, grouped ? 'GroupedDense' : 'Dense');
    const width = groups * units;
    const denseAct = grouped ? 'linear' : String(layer.config['activation'] ?? 'linear');
    const bn = batchNorm(ctx, nameOf('bn', j), width);
    if (m.batchNorm !== (bn !== null)) throw new Error(`model.json and ir.json disagree on batch norm after "${name}"`);
    // BN folds into the Dense unless an activation sits between them (the builder never does that).
    const folded = denseAct === 'linear' ? bn : null;
    h = grouped ? groupedDense(ctx, h, name, groups, units, folded) : dense(ctx, h, name, width, folded);
    h = { name: activate(ctx, h.name, denseAct, `${name}_${denseAct}`), width };
    if (bn && !folded) {
      const g = ctx.g;
      const mul = g.op(
        'Mul',
        [h.name, g.weight(`${nameOf('bn', j)}/scale`, Float32Array.from(bn.scale), [width])],
        `${nameOf('bn', j)}_scale`,
      );
      h = {
        name: g.op(
          'Add',
          [mul, g.weight(`${nameOf('bn', j)}/shift`, Float32Array.from(bn.shift), [width])],
          nameOf('bn', j),
        ),
        width,
      };
    }
    const act = ctx.m.maybeLayer(nameOf('act', j));
    if (act) {
      if (act.className === 'LeakyReLU')
        h = { name: activate(ctx, h.name, { leakyAlpha: Number(act.config['alpha']) }, nameOf('act', j)), width };
      else if (act.className === 'Activation')
        h = { name: activate(ctx, h.name, String(act.config['activation']), nameOf('act', j)), width };
      else
        throw new Error(
          `model.json: layer "${nameOf('act', j)}" is a ${act.className}, expected Activation or LeakyReLU`,
        );
    }
  });
  return h;
}
