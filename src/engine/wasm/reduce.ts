// Sum and Mean over the leading axes (see wrapReduce).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapView, type KernelArgs, releaseView, size, type ViewBackend, WRAPPED } from './heap.js';

/**
 * Row sums of a float32 [rows, cols] tensor: pairwise halving, rows [0, h) + rows [h, 2h) with
 * the XNNPACK Add kernel on views of the two halves (an odd last row is added to row 0), while
 * the block is large; the last few rows are summed in JS (a kernel call costs more there).
 * About N x C additions at SIMD speed, no transpose, no copy.
 */
function pairwiseRowSum(
  be: ViewBackend,
  backend: KernelArgs['backend'],
  add: KernelConfig,
  x: TensorInfo,
  rows: number,
  cols: number,
): TensorInfo {
  let cur = x;
  let n = rows;
  const sum = (a: TensorInfo, b: TensorInfo) => add.kernelFunc({ inputs: { a, b }, backend, attrs: {} }) as TensorInfo;
  while (n > 1 && n * cols >= PAIRWISE_MIN_ELEMENTS) {
    const half = n >> 1;
    const a = heapView(be, cur, 0, [half, cols]);
    const b = heapView(be, cur, half * cols, [half, cols]);
    const next = sum(a, b);
    releaseView(be, a);
    releaseView(be, b);
    if (n % 2 === 1) {
      const first = heapView(be, next, 0, [1, cols]);
      const last = heapView(be, cur, (n - 1) * cols, [1, cols]);
      const row = sum(first, last);
      releaseView(be, first);
      releaseView(be, last);
      (be.typedArrayFromHeap(next) as Float32Array).set(be.typedArrayFromHeap(row) as Float32Array);
      be.disposeData(row.dataId);
    }
    if (cur !== x) be.disposeData(cur.dataId);
    cur = next;
    n = half;
  }
  const out = be.makeOutput([1, cols], 'float32');
  const acc = be.typedArrayFromHeap(out) as Float32Array;
  const src = be.typedArrayFromHeap(cur) as Float32Array;
  acc.set(src.subarray(0, cols));
  for (let i = 1; i < n; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) acc[j] += src[o + j];
  }
  if (cur !== x) be.disposeData(cur.dataId);
  return out;
}

/** Blocks smaller than this are summed in JS. */
const PAIRWISE_MIN_ELEMENTS = 8192;

/**
 * Sum / Mean over the leading axes of a float32 tensor (every bias gradient and batch-norm
 * statistic: [B, C] -> [C]): the wasm kernel transposes the input first so as to reduce
 * innermost rows, and sums without SIMD. Here rows are summed pairwise by XNNPACK adds (the
 * order of the additions differs from the stock kernel's: a tree instead of a running sum).
 */
export function wrapReduce(orig: KernelConfig, add: KernelConfig, mean: boolean): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return orig.kernelFunc(args);
    const rows = size(x.shape.slice(0, axes.length));
    const cols = size(x.shape.slice(axes.length));
    if (rows < 2 || cols < 1) return orig.kernelFunc(args);
    const shape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const be = args.backend as unknown as ViewBackend;
    const out = pairwiseRowSum(be, args.backend, add, x, rows, cols);
    if (mean) {
      const sums = be.typedArrayFromHeap(out) as Float32Array;
      for (let j = 0; j < sums.length; j++) sums[j] /= rows;
    }
    return { ...out, shape };
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}
