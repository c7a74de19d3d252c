// DCN-v2 cross layers (Wang et al., "DCN V2", WWW 2021, Eq. 1) from standard tfjs layers:
//   x_{l+1} = x_0 * (x_l W_l + b_l) + x_l          (full: W_l [d, d], b_l [d])
//   x_{l+1} = x_0 * ((x_l U_l) V_l + b_l) + x_l    (rank r: U_l [d, r] without bias, V_l [r, d])
// with * elementwise. Dense, Multiply and Add only, so a saved model.json needs no custom class,
// and the ONNX and PyTorch exporters read the weights by the names below.
import type { SymbolicTensor } from '@tensorflow/tfjs';
import type { CrossIR } from '../ir.js';
import { applyLayer, claim, type BuildContext } from './layers.js';
import { crossName } from './cross-names.js';
import { derivedSeed } from './names.js';

export function crossNetwork(ctx: BuildContext, x0: SymbolicTensor, cross: CrossIR, expert: string): SymbolicTensor {
  const { tf } = ctx;
  const d = x0.shape[x0.shape.length - 1] as number;
  const dense = (name: string, units: number, useBias: boolean) => {
    const n = claim(ctx, name);
    return tf.layers.dense({
      name: n,
      units,
      useBias,
      kernelInitializer: tf.initializers.glorotUniform({ seed: derivedSeed(ctx.seed, `${n}/kernel`) }),
      biasInitializer: 'zeros',
    });
  };
  let x = x0;
  for (let j = 0; j < cross.layers; j++) {
    const low = cross.rank === null ? x : applyLayer(dense(crossName.down(expert, j), cross.rank, false), x);
    const z = applyLayer(dense(crossName.dense(expert, j), d, true), low);
    const gated = applyLayer(tf.layers.multiply({ name: claim(ctx, crossName.mul(expert, j)) }), [x0, z]);
    x = applyLayer(tf.layers.add({ name: claim(ctx, crossName.add(expert, j)) }), [gated, x]);
  }
  return x;
}
