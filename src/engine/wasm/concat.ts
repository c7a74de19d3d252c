// Concat (see wrapConcat).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type KernelBackend, size, WRAPPED } from './heap.js';

/**
 * Concat: the wasm kernel copies with a typed-array subarray + set per row per input; with many
 * narrow inputs (a model with 100 numeric features concatenates 100 [B, 1] inputs) it spends
 * its time creating subarrays. Narrow pieces are copied element by element here.
 */
export function wrapConcat(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const inputs = (args.inputs as unknown as TensorInfo[]).filter((t) => size(t.shape) > 0);
    const first = args.inputs[0] as TensorInfo | undefined;
    if (!first || first.dtype === 'string' || first.dtype === 'complex64' || inputs.length < 2)
      return orig.kernelFunc(args);
    const rank = first.shape.length;
    const raw = (args.attrs as { axis: number | number[] }).axis;
    const axis0 = Array.isArray(raw) ? raw[0] : raw;
    const axis = axis0 < 0 ? axis0 + rank : axis0;
    const outShape = [...first.shape];
    outShape[axis] = inputs.reduce((n, t) => n + t.shape[axis], 0);
    const be = args.backend as unknown as KernelBackend;
    const out = be.makeOutput(outShape, first.dtype);
    const rows = size(first.shape.slice(0, axis));
    const widths = inputs.map((t) => size(t.shape.slice(axis)));
    const total = widths.reduce((a, b) => a + b, 0);
    const dst = be.typedArrayFromHeap(out);
    let offset = 0;
    inputs.forEach((t, k) => {
      const src = be.typedArrayFromHeap(t);
      const w = widths[k];
      if (w >= 16) {
        for (let r = 0; r < rows; r++) dst.set(src.subarray(r * w, r * w + w), r * total + offset);
      } else {
        for (let r = 0; r < rows; r++) {
          const s = r * w;
          const d = r * total + offset;
          for (let j = 0; j < w; j++) dst[d + j] = src[s + j];
        }
      }
      offset += w;
    });
    return out;
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}
