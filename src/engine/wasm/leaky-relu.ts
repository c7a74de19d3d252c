// LeakyRelu as Prelu, and its gradient from fast kernels (see below).
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tf.js';
import { type KernelBackend, ORIGINAL, WRAPPED } from './heap.js';

/**
 * LeakyRelu: the wasm kernel runs at a fraction of the speed of Prelu (an XNNPACK operator);
 * for a [..., C] input it is Prelu with every slope equal to alpha (same values exactly).
 */
export function wrapLeakyRelu(orig: KernelConfig, prelu: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const alpha = (args.attrs as { alpha: number }).alpha;
    const c = x.shape[x.shape.length - 1];
    if (x.dtype !== 'float32' || x.shape.length < 1 || !(c > 0)) return orig.kernelFunc(args);
    const be = args.backend as unknown as KernelBackend;
    const slopes = be.makeOutput([c], 'float32');
    (be.typedArrayFromHeap(slopes) as Float32Array).fill(alpha);
    const out = prelu.kernelFunc({ inputs: { x, alpha: slopes }, backend: args.backend, attrs: {} }) as TensorInfo;
    be.disposeData(slopes.dataId);
    return out;
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}

/** Marks the LeakyRelu gradient registered here. */
export const FAST_GRADIENT = Symbol.for('mmoe-compile.fast-leaky-relu-gradient');

/**
 * The LeakyRelu gradient, on wasm: tfjs-core's where(x > 0, dy, alpha dy) runs Greater and
 * Select, both slow wasm kernels; m dy + (1 - m)(alpha dy) with m = step(x) in {0, 1} gives the
 * same values exactly from fast ones. Other backends keep tfjs-core's gradient.
 */
export function registerLeakyReluGradient(tf: Tf): void {
  const orig = tf.getGradient('LeakyRelu') as (GradConfig & { [FAST_GRADIENT]?: true }) | undefined;
  if (!orig || orig[FAST_GRADIENT]) return;
  const gradFunc: GradConfig['gradFunc'] = (dy, saved, attrs) => {
    if (tf.getBackend() !== 'wasm' || Array.isArray(dy)) return orig.gradFunc(dy, saved, attrs);
    const [x] = saved;
    const alpha = (attrs as { alpha: number }).alpha;
    return {
      x: () => {
        const m = tf.step(x);
        return tf.add(tf.mul(m, dy), tf.mul(tf.sub(1, m), tf.mul(dy, alpha)));
      },
    };
  };
  tf.registerGradient({ ...orig, gradFunc, [FAST_GRADIENT]: true, [ORIGINAL]: orig } as GradConfig);
}
