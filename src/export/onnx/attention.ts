// Target attention (DIN) in ONNX, as compiler/build/target-attention.ts computes it: the
// attention MLP runs on the [B * L, 4D] rows of [h, t, h - t, h * t] (Gemm is 2-D), its Dense(1)
// scores are reshaped to [B, L, 1], masked (raw weights) or softmax-normalised over the
// non-padding positions, and weight the values: sum_l w_l h_l.
import { layerName } from '../../compiler/build/names.js';
import type { FeatureIR } from '../../compiler/ir.js';
import { internal, type ExportContext } from './context.js';
import { FLOAT } from './graph.js';
import { mlp } from './mlp.js';

/** [B, D] pooled by attention; looked [B, L, D], ids [B, L], target [B, 1, D]. */
export function attentionPooled(
  ctx: ExportContext,
  f: FeatureIR,
  looked: string,
  ids: string,
  target: string,
  dim: number,
): string {
  const a = f.attention;
  if (!a || !f.maxLength) throw internal(`sequence ${f.name} has no attention settings or length`);
  const g = ctx.g;
  const name = layerName.featurePool(f.name);
  const pooling = ctx.m.layer(name, 'AttentionPooling');
  if (Boolean(pooling.config['softmax']) !== a.softmax)
    throw new Error(`model.json and ir.json disagree on the attention softmax of "${f.name}"`);
  ctx.m.layer(layerName.attentionFeatures(f.name), 'AttentionFeatures');
  const inName = layerName.attentionFeatures(f.name);
  const t = g.op('Expand', [target, g.op('Shape', [looked], `${inName}_shape`)], `${inName}_target`);
  const x = g.op(
    'Concat',
    [looked, t, g.op('Sub', [looked, t], `${inName}_diff`), g.op('Mul', [looked, t], `${inName}_prod`)],
    inName,
    { axis: -1 },
  );
  const rows = { name: g.op('Reshape', [x, g.ints([-1, 4 * dim])], `${inName}_rows`), width: 4 * dim };
  const mlpIr = { units: a.units, activation: a.activation, batchNorm: false, dropout: 0, l2: 0 };
  const hidden = mlp(ctx, rows, mlpIr, (part, j) => layerName.attention(f.name, part, j));
  const scoreName = layerName.attentionScore(f.name);
  ctx.m.layer(scoreName, 'Dense');
  const k = ctx.m.weight(`${scoreName}/kernel`, [hidden.width, 1]);
  const b = ctx.m.weight(`${scoreName}/bias`, [1]);
  const score = g.op(
    'Gemm',
    [
      hidden.name,
      g.weight(`${scoreName}/kernel`, k.data, [hidden.width, 1]),
      g.weight(`${scoreName}/bias`, b.data, [1]),
    ],
    scoreName,
  );
  const scores = g.op('Reshape', [score, g.ints([-1, f.maxLength, 1])], `${name}_scores`); // [B, L, 1]
  const notPad = g.op('Not', [g.op('Equal', [ids, g.int32s([0])], `${name}_pad`)], `${name}_notpad`);
  const mask = g.op(
    'Unsqueeze',
    [g.op('Cast', [notPad], `${name}_maskf`, { to: FLOAT }), g.ints([-1])],
    `${name}_mask`,
  );
  let w: string;
  if (a.softmax) {
    const penalty = g.op('Mul', [g.op('Sub', [g.scalar(1), mask], `${name}_inv`), g.scalar(1e9)], `${name}_penalty`);
    const z = g.op('Sub', [scores, penalty], `${name}_z`);
    const top = g.op('ReduceMax', [z], `${name}_top`, { axes: [1], keepdims: 1 });
    const e = g.op('Mul', [g.op('Exp', [g.op('Sub', [z, top], `${name}_zc`)], `${name}_exp`), mask], `${name}_e`);
    const total = g.op('ReduceSum', [e, g.ints([1])], `${name}_total`, { keepdims: 1 });
    w = g.op('Div', [e, g.op('Max', [total, g.scalar(1e-30)], `${name}_den`)], `${name}_weights`);
  } else w = g.op('Mul', [scores, mask], `${name}_weights`);
  return g.op('ReduceSum', [g.op('Mul', [w, looked], `${name}_weighted`), g.ints([1])], name, { keepdims: 0 });
}
