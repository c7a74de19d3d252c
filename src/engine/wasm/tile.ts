// Tile: the wasm kernel computes a source index per output element; batch-norm gradients tile a
// [C] vector to [B, C] several times per step. The JS version copies whole rows and doubles
// blocks with copyWithin.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type KernelBackend, size, WRAPPED } from './heap.js';

/**
 * out = tile(x, reps) for row-major arrays: the first copy of each block is built from x, the
 * other reps - 1 copies by doubling copyWithin.
 */
export function tileInto(
  x: ArrayLike<number> & { subarray?: unknown },
  xShape: readonly number[],
  reps: readonly number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = xShape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const outShape = xShape.map((d, i) => d * reps[i]);
  const xStride = new Array<number>(rank).fill(1);
  const outStride = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    xStride[d] = xStride[d + 1] * xShape[d + 1];
    outStride[d] = outStride[d + 1] * outShape[d + 1];
  }
  const repeat = (start: number, block: number, times: number) => {
    for (let have = 1; have < times; ) {
      const c = Math.min(have, times - have);
      out.copyWithin(start + have * block, start, start + c * block);
      have += c;
    }
  };
  const fill = (d: number, xOff: number, outOff: number): void => {
    if (d === rank - 1) {
      const len = xShape[d];
      for (let j = 0; j < len; j++) out[outOff + j] = x[xOff + j];
    } else {
      for (let i = 0; i < xShape[d]; i++) fill(d + 1, xOff + i * xStride[d], outOff + i * outStride[d]);
    }
    repeat(outOff, xShape[d] * outStride[d], reps[d]);
  };
  if (size(outShape) > 0) fill(0, 0, 0);
}

export function wrapTile(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return orig.kernelFunc(args);
    const be = args.backend as unknown as KernelBackend;
    const out = be.makeOutput(
      x.shape.map((d, i) => d * reps[i]),
      x.dtype,
    );
    tileInto(be.typedArrayFromHeap(x), x.shape, reps, be.typedArrayFromHeap(out));
    return out;
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}
