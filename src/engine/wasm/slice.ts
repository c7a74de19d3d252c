// Slice and SplitV as copies out of the wasm heap (see wrapSlice, wrapSplitV).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type KernelBackend, WRAPPED } from './heap.js';

/**
 * out = x[begin : begin + size] for row-major arrays: runs along the last axis are copied with
 * set (wide) or element by element (narrow).
 */
export function sliceInto(
  x: Float32Array | Int32Array | Uint8Array,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  // Merge trailing axes taken whole into one (a [B, C, 1, 1] slice is a [B, C] one), so the
  // copied runs are as long as possible.
  const sh = [...shape];
  const bg = [...begin];
  const sz = [...size];
  while (sh.length > 1 && sz[sh.length - 1] === sh[sh.length - 1]) {
    const last = sh.pop()!;
    bg.pop();
    sz.pop();
    const d = sh.length - 1;
    sh[d] *= last;
    bg[d] *= last;
    sz[d] *= last;
  }
  const rank = sh.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * sh[d + 1];
  const run = sz[rank - 1];
  let o = 0;
  const walk = (d: number, offset: number): void => {
    if (d === rank - 1) {
      const start = offset + bg[d];
      if (run >= 16) out.set(x.subarray(start, start + run), o);
      else for (let j = 0; j < run; j++) out[o + j] = x[start + j];
      o += run;
      return;
    }
    for (let i = 0; i < sz[d]; i++) walk(d + 1, offset + (bg[d] + i) * strides[d]);
  };
  if (sz.every((n) => n > 0)) walk(0, 0);
}

type SliceBackend = KernelBackend;

function fastSlice(be: SliceBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = be.makeOutput(size, x.dtype);
  sliceInto(be.typedArrayFromHeap(x), x.shape, begin, size, be.typedArrayFromHeap(out));
  return out;
}

function sliceable(x: TensorInfo): boolean {
  return x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
}

/**
 * Slice and SplitV: the wasm kernels copy the whole input out of the heap (readSync) for every
 * piece, then copy row by row; a split into 3 column blocks of [512, 1536] took ~7 ms. These
 * read the heap in place. (SplitV is the gradient of every Concatenate.)
 */
export function wrapSlice(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (!sliceable(x)) return orig.kernelFunc(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const b = (Array.isArray(begin) ? begin : [begin]).slice();
    const sz = (Array.isArray(size) ? size : [size]).slice();
    for (let d = 0; d < x.shape.length; d++) {
      b[d] ??= 0;
      if (sz[d] === undefined || sz[d] === -1) sz[d] = x.shape[d] - b[d];
    }
    // The whole tensor (tfjs-layers' predict slices every input to its batch): share the data.
    if (b.every((v) => v === 0) && sz.every((v, d) => v === x.shape[d])) {
      (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }
    return fastSlice(args.backend as unknown as SliceBackend, x, b, sz);
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}

export function wrapSplitV(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const rank = x.shape.length;
    const a0 = Array.isArray(axis) ? axis[0] : axis;
    const ax = a0 < 0 ? a0 + rank : a0;
    const dim = x.shape[ax];
    let sizes: number[];
    if (Array.isArray(numOrSizeSplits)) {
      sizes = numOrSizeSplits.slice();
      const free = sizes.indexOf(-1);
      if (free >= 0) sizes[free] = dim - sizes.reduce((n, v, i) => (i === free ? n : n + v), 0);
    } else sizes = new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
    if (!sliceable(x) || sizes.some((n) => !Number.isInteger(n) || n < 0) || sizes.reduce((n, v) => n + v, 0) !== dim)
      return orig.kernelFunc(args);
    const be = args.backend as unknown as SliceBackend;
    const begin = new Array<number>(rank).fill(0);
    return sizes.map((n) => {
      const size = x.shape.slice();
      size[ax] = n;
      const piece = fastSlice(be, x, begin.slice(), size);
      begin[ax] += n;
      return piece;
    });
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}
