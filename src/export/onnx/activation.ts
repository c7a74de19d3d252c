// Activations as tfjs computes them (tfjs-layers activations.js), in opset-17 operators.
import type { ExportContext } from './context.js';

/**
 * Apply an activation: a Keras identifier (relu, elu, selu, gelu, tanh, sigmoid, swish, linear)
 * or { leakyAlpha } for a LeakyReLU layer.
 */
export function activate(ctx: ExportContext, x: string, act: string | { leakyAlpha: number }, name: string): string {
  const g = ctx.g;
  if (typeof act !== 'string') return g.op('LeakyRelu', [x], name, { alpha: { float: act.leakyAlpha } });
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x], name);
    case 'elu':
      return g.op('Elu', [x], name, { alpha: { float: 1 } });
    case 'selu':
      // tf.selu's constants (float32), the same as ONNX's defaults.
      return g.op('Selu', [x], name, { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } });
    case 'tanh':
      return g.op('Tanh', [x], name);
    case 'sigmoid':
      return g.op('Sigmoid', [x], name);
    case 'softmax':
      // a multi-class head's [B, K] logits (tfjs softmaxes the last axis, as opset 13+ does)
      return g.op('Softmax', [x], name, { axis: -1 });
    case 'swish':
      return g.op('Mul', [g.op('Sigmoid', [x], `${name}_sigmoid`), x], name);
    case 'gelu': {
      // x * 0.5 * (1 + erf(x / sqrt(2))): the exact form tfjs uses (Gelu is opset 20).
      const erf = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)], `${name}_scaled`)], `${name}_erf`);
      const cdf = g.op('Mul', [g.scalar(0.5), g.op('Add', [g.scalar(1), erf], `${name}_1p`)], `${name}_cdf`);
      return g.op('Mul', [x, cdf], name);
    }
    default:
      throw new Error(`cannot export: activation "${act}" has no ONNX lowering`);
  }
}
