// DCN-v2 cross layers as src/compiler/build/cross.ts builds them:
//   x_{l+1} = x_0 * (x_l W + b) + x_l, or with rank r: x_0 * ((x_l U) V + b) + x_l.
// Gemm for the Dense with bias, MatMul for the low-rank factor U (no bias), then Mul and Add.
import type { CrossIR } from '../../compiler/ir.js';
import { crossName } from '../../compiler/build/cross-names.js';
import type { ExportContext, Value } from './context.js';

export function crossNetwork(ctx: ExportContext, x0: Value, cross: CrossIR, expert: string): Value {
  const { g, m } = ctx;
  const d = x0.width;
  let x = x0;
  for (let j = 0; j < cross.layers; j++) {
    let low = x;
    if (cross.rank !== null) {
      const down = crossName.down(expert, j);
      const u = m.weight(`${down}/kernel`, [d, cross.rank]);
      low = {
        name: g.op('MatMul', [x.name, g.weight(`${down}/kernel`, u.data, [d, cross.rank])], down),
        width: cross.rank,
      };
    }
    const name = crossName.dense(expert, j);
    const w = m.weight(`${name}/kernel`, [low.width, d]);
    const b = m.weight(`${name}/bias`, [d]);
    const z = g.op(
      'Gemm',
      [low.name, g.weight(`${name}/kernel`, w.data, [low.width, d]), g.weight(`${name}/bias`, b.data, [d])],
      name,
    );
    const gated = g.op('Mul', [x0.name, z], crossName.mul(expert, j));
    x = { name: g.op('Add', [gated, x.name], crossName.add(expert, j)), width: d };
  }
  return x;
}
