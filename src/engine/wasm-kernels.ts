// Kernels that tfjs-backend-wasm 4.22 lacks, or has in a slow form, and this project needs.
//
// Missing: `UnsortedSegmentSum`, the gradient of `gather`, i.e. of every embedding lookup:
// without it an embedding cannot train on wasm ("Kernel 'UnsortedSegmentSum' not registered for
// backend 'wasm'"). Written in JS over the wasm heap: one pass over the data, O(N x inner). (The
// cpu backend's version loops over every segment, O(numSegments x N x inner).)
//
// Slow: WRAPPED_WASM_KERNELS below replace the package's own kernels once it is loaded (matrix
// products with transposed operands, reductions over the batch axis, Tile, Identity, LeakyRelu
// and its gradient, Concat, Slice / SplitV, FusedBatchNorm). Each section says what was slow and
// why the replacement gives the same values; docs/performance.md has the measurements.
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from './tf.js';

/** The parts of tfjs-backend-wasm's BackendWasm this file uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * out[s, ...] = sum of data[i, ...] over the i with segmentIds[i] == s, for s in [0, numSegments).
 * segmentIds' shape is a prefix of data's shape; ids outside [0, numSegments) are dropped, as in
 * TensorFlow.
 */
export function unsortedSegmentSumInto(
  data: ArrayLike<number>,
  ids: ArrayLike<number>,
  inner: number,
  numSegments: number,
  out: { [i: number]: number; fill(v: number): unknown },
): void {
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += data[src + j];
  }
}

const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const prefix = segmentIds.shape;
  if (prefix.some((d, i) => x.shape[i] !== d)) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${prefix.join(',')}] is not a prefix of data shape [${x.shape.join(',')}]`);
  }
  const inner = x.shape.slice(prefix.length).reduce((a, b) => a * b, 1);
  const be = backend as unknown as WasmHeapBackend;
  // Allocate first: growing the wasm heap detaches typed-array views taken before it.
  const out = be.makeOutput([numSegments, ...x.shape.slice(prefix.length)], x.dtype);
  const outVals = be.typedArrayFromHeap(out);
  unsortedSegmentSumInto(be.typedArrayFromHeap(x), be.typedArrayFromHeap(segmentIds), inner, numSegments, outVals);
  return out;
};

// ---------------------------------------------------------------------------------------------
// Faster forms of kernels tfjs-backend-wasm 4.22 has but runs slowly in training.
//
// BatchMatMul / _FusedMatMul: the wasm backend sends a product to XNNPACK only when neither
// operand is transposed and the batch is 1; anything else goes to a naive blocked loop that
// measured 10-20x slower here. Every Dense layer's backward pass is such a product (dX = dY Wᵀ,
// dW = Xᵀ dY), so training spent most of its time there. The wrapped kernels transpose the
// operand explicitly (the Transpose kernel is cheap) and call the original kernel untransposed;
// batched products of large matrices run slice by slice through the same fast path.
//
// Tile: the wasm kernel computes a source index per output element; batch-norm gradients tile a
// [C] vector to [B, C] several times per step. The JS version copies whole rows and doubles
// blocks with copyWithin.
// ---------------------------------------------------------------------------------------------

interface KernelBackend extends WasmHeapBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

type KernelArgs = Parameters<KernelFunc>[0];

/** Marks a kernel config wrapped here, so registering twice does not wrap twice. */
const WRAPPED = Symbol.for('mmoe-compile.wasm-kernel-wrapped');
/** The tfjs-backend-wasm kernel a wrapped one replaced. */
const ORIGINAL = Symbol.for('mmoe-compile.wasm-kernel-original');

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Below this many multiply-adds per matrix, a batched product stays on the original kernel. */
export const SLICED_MATMUL_MIN_MACS = 1 << 15;

function swapLast(shape: readonly number[]): number[] {
  const perm = shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return perm;
}

function wrapMatMul(orig: KernelConfig, transposeKernel: KernelConfig, sliced: boolean): KernelConfig {
  const transpose = (x: TensorInfo, backend: KernelArgs['backend']): TensorInfo =>
    transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLast(x.shape) } }) as TensorInfo;

  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const be = backend as unknown as KernelBackend;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return orig.kernelFunc(args);
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const batched = batchA > 1 || batchB > 1;
    if (batched && sliced && slicedShapesOk(a.shape, b.shape) && m * k * n < SLICED_MATMUL_MIN_MACS) return smallBatchedMatMul(be, a, b, transposeA, transposeB, m, k, n);
    if (batched && !(sliced && m * k * n >= SLICED_MATMUL_MIN_MACS && slicedShapesOk(a.shape, b.shape))) return orig.kernelFunc(args);
    if (!batched && !transposeA && !transposeB) return orig.kernelFunc(args);
    const temps: TensorInfo[] = [];
    const at = transposeA ? transpose(a, backend) : a;
    const bt = transposeB ? transpose(b, backend) : b;
    if (at !== a) temps.push(at);
    if (bt !== b) temps.push(bt);
    try {
      const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
      if (!batched) return orig.kernelFunc({ inputs: { ...inputs, a: at, b: bt }, backend, attrs: plainAttrs }) as TensorInfo;
      return slicedMatMul(orig, be, backend, at, bt, m, k, n, plainAttrs);
    } finally {
      for (const t of temps) be.disposeData(t.dataId);
    }
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}

/**
 * Many small products (a gate's weights times its stacked experts: [B, 1, E] x [B, E, W], and
 * their gradients): one JS loop over all of them, transposes as strides. The wasm kernel runs
 * each through a blocked loop with a fixed set-up cost, several times slower at these sizes.
 */
function smallBatchedMatMul(be: KernelBackend, a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean, m: number, k: number, n: number): TensorInfo {
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = size(outerA) >= size(outerB) ? outerA : outerB;
  const out = be.makeOutput([...outer, m, n], 'float32');
  const av = be.typedArrayFromHeap(a) as Float32Array;
  const bv = be.typedArrayFromHeap(b) as Float32Array;
  const ov = be.typedArrayFromHeap(out) as Float32Array;
  const stepA = size(outerA) === 1 ? 0 : m * k;
  const stepB = size(outerB) === 1 ? 0 : k * n;
  // element (i, p) of a's matrix and (p, j) of b's
  const [ai, ap] = ta ? [1, m] : [k, 1];
  const [bp, bj] = tb ? [1, k] : [n, 1];
  const batch = size(outer);
  for (let t = 0; t < batch; t++) {
    const a0 = t * stepA;
    const b0 = t * stepB;
    const o0 = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += av[a0 + i * ai + p * ap] * bv[b0 + p * bp + j * bj];
        ov[o0 + i * n + j] = acc;
      }
    }
  }
  return out;
}

/** Batch dims equal, or one side has a single matrix (broadcast). */
function slicedShapesOk(a: readonly number[], b: readonly number[]): boolean {
  const oa = a.slice(0, -2);
  const ob = b.slice(0, -2);
  if (size(oa) === 1 || size(ob) === 1) return true;
  return oa.length === ob.length && oa.every((d, i) => d === ob[i]);
}

/**
 * out[i] = a[i] @ b[i] (or the single matrix of a side with batch 1), one fast product per i on
 * views of the operands' memory (no copies in).
 */
function slicedMatMul(orig: KernelConfig, be: KernelBackend, backend: KernelArgs['backend'], a: TensorInfo, b: TensorInfo, m: number, k: number, n: number, attrs: object): TensorInfo {
  const vb = be as unknown as ViewBackend;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = size(outerA) >= size(outerB) ? outerA : outerB;
  const batch = size(outer);
  const out = be.makeOutput([...outer, m, n], 'float32');
  const stepA = size(outerA) === 1 ? 0 : m * k;
  const stepB = size(outerB) === 1 ? 0 : k * n;
  const single = (t: TensorInfo, rows: number, cols: number): TensorInfo => ({ ...t, shape: [1, rows, cols] });
  for (let i = 0; i < batch; i++) {
    const sa = stepA ? heapView(vb, a, i * stepA, [1, m, k]) : single(a, m, k);
    const sb = stepB ? heapView(vb, b, i * stepB, [1, k, n]) : single(b, k, n);
    const r = orig.kernelFunc({ inputs: { a: sa, b: sb }, backend, attrs: attrs as never }) as TensorInfo;
    // views are taken after every allocation: growing the heap detaches earlier ones
    (be.typedArrayFromHeap(out) as Float32Array).set(be.typedArrayFromHeap(r) as Float32Array, i * m * n);
    be.disposeData(r.dataId);
    if (stepA) releaseView(vb, sa);
    if (stepB) releaseView(vb, sb);
  }
  return out;
}

/**
 * out = tile(x, reps) for row-major arrays: the first copy of each block is built from x, the
 * other reps - 1 copies by doubling copyWithin.
 */
export function tileInto(x: ArrayLike<number> & { subarray?: unknown }, xShape: readonly number[], reps: readonly number[], out: Float32Array | Int32Array | Uint8Array): void {
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

/**
 * Identity: the wasm kernel copies the data; tfjs runs it for every tensor saved for the
 * backward pass (hundreds per training step). Tensors are immutable (a Variable's assign swaps
 * its data id), so sharing the data with a reference count, as the cpu backend does, is enough.
 */
function wrapIdentity(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return orig.kernelFunc(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}

/** The BackendWasm members used to make tensors that view part of another tensor's memory. */
interface ViewBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: TensorInfo['dtype'], memoryOffset?: number): TensorInfo;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined; delete(dataId: object): boolean };
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** A tensor over `shape` elements of `base`'s memory from element `offset` (no copy). */
function heapView(be: ViewBackend, base: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const data = be.dataIdMap.get(base.dataId);
  if (!data) throw new Error('internal: heap view of an unknown tensor');
  return be.makeOutput(shape, base.dtype, data.memoryOffset + offset * 4);
}

/** Forget a view without freeing the memory it shares. */
function releaseView(be: ViewBackend, view: TensorInfo): void {
  const data = be.dataIdMap.get(view.dataId);
  if (!data) return;
  be.wasm.tfjs.disposeData(data.id);
  be.dataIdMap.delete(view.dataId);
}

/**
 * Row sums of a float32 [rows, cols] tensor: pairwise halving, rows [0, h) + rows [h, 2h) with
 * the XNNPACK Add kernel on views of the two halves (an odd last row is added to row 0), while
 * the block is large; the last few rows are summed in JS (a kernel call costs more there).
 * About N x C additions at SIMD speed, no transpose, no copy.
 */
function pairwiseRowSum(be: ViewBackend, backend: KernelArgs['backend'], add: KernelConfig, x: TensorInfo, rows: number, cols: number): TensorInfo {
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
function wrapReduce(orig: KernelConfig, add: KernelConfig, mean: boolean): KernelConfig {
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

/**
 * LeakyRelu: the wasm kernel runs at a fraction of the speed of Prelu (an XNNPACK operator);
 * for a [..., C] input it is Prelu with every slope equal to alpha (same values exactly).
 */
function wrapLeakyRelu(orig: KernelConfig, prelu: KernelConfig): KernelConfig {
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

/**
 * Concat: the wasm kernel copies with a typed-array subarray + set per row per input; with many
 * narrow inputs (a model with 100 numeric features concatenates 100 [B, 1] inputs) it spends
 * its time creating subarrays. Narrow pieces are copied element by element here.
 */
function wrapConcat(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const inputs = (args.inputs as unknown as TensorInfo[]).filter((t) => size(t.shape) > 0);
    const first = args.inputs[0] as TensorInfo | undefined;
    if (!first || first.dtype === 'string' || first.dtype === 'complex64' || inputs.length < 2) return orig.kernelFunc(args);
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

/**
 * out = x[begin : begin + size] for row-major arrays: runs along the last axis are copied with
 * set (wide) or element by element (narrow).
 */
export function sliceInto(x: Float32Array | Int32Array | Uint8Array, shape: readonly number[], begin: readonly number[], size: readonly number[], out: Float32Array | Int32Array | Uint8Array): void {
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
function wrapSlice(orig: KernelConfig): KernelConfig {
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

function wrapSplitV(orig: KernelConfig): KernelConfig {
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
    if (!sliceable(x) || sizes.some((n) => !Number.isInteger(n) || n < 0) || sizes.reduce((n, v) => n + v, 0) !== dim) return orig.kernelFunc(args);
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

/**
 * FusedBatchNorm (tf.batchNorm): the wasm kernel evaluates (x - mean) * scale / sqrt(var + eps)
 * + offset per element, a square root and a division each (~3.5 ns per value measured). With
 * per-channel statistics the same expression is (x - mean) * s + offset with s = scale /
 * sqrt(var + eps) computed once per channel: three XNNPACK passes (sub, mul, add).
 */
function wrapBatchNorm(orig: KernelConfig, sub: KernelConfig, mul: KernelConfig, add: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    if (!x || !mean || !variance || x.dtype !== 'float32' || x.shape.length < 1) return orig.kernelFunc(args);
    const c = x.shape[x.shape.length - 1];
    const perChannel = (t: TensorInfo | undefined) => t === undefined || t === null || (t.dtype === 'float32' && size(t.shape) === c && t.shape[t.shape.length - 1] === c);
    if (!(c > 0) || ![mean, variance, offset, scale].every(perChannel)) return orig.kernelFunc(args);
    const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    const be = args.backend as unknown as KernelBackend;
    const factor = be.makeOutput([c], 'float32');
    const f = be.typedArrayFromHeap(factor) as Float32Array;
    const v = be.typedArrayFromHeap(variance) as Float32Array;
    const g = scale ? (be.typedArrayFromHeap(scale) as Float32Array) : null;
    for (let j = 0; j < c; j++) f[j] = (g ? g[j] : 1) / Math.sqrt(v[j] + eps);
    const run = (k: KernelConfig, a: TensorInfo, b: TensorInfo) => k.kernelFunc({ inputs: { a, b }, backend: args.backend, attrs: {} }) as TensorInfo;
    const flat = (t: TensorInfo): TensorInfo => ({ ...t, shape: [c] });
    const centred = run(sub, x, flat(mean));
    const scaled = run(mul, centred, factor);
    be.disposeData(centred.dataId);
    be.disposeData(factor.dataId);
    if (!offset) return scaled;
    const out = run(add, scaled, flat(offset));
    be.disposeData(scaled.dataId);
    return out;
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}

function wrapTile(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return orig.kernelFunc(args);
    const be = args.backend as unknown as KernelBackend;
    const out = be.makeOutput(x.shape.map((d, i) => d * reps[i]), x.dtype);
    tileInto(be.typedArrayFromHeap(x), x.shape, reps, be.typedArrayFromHeap(out));
    return out;
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}

export const WASM_KERNELS: readonly KernelConfig[] = [{ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum }];

/** Kernels of tfjs-backend-wasm replaced by the faster forms above (once the package is loaded). */
export const WRAPPED_WASM_KERNELS = ['BatchMatMul', '_FusedMatMul', 'Tile', 'Identity', 'Sum', 'Mean', 'LeakyRelu', 'Concat', 'Slice', 'SplitV', 'FusedBatchNorm'] as const;

interface Wrapped extends KernelConfig {
  [WRAPPED]?: true;
  [ORIGINAL]?: KernelConfig;
}
function replaceKernel(tf: Tf, config: Wrapped, original: KernelConfig): void {
  config[ORIGINAL] = original;
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Register the missing wasm kernels and, once tfjs-backend-wasm is loaded, replace its slow
 * BatchMatMul, _FusedMatMul, Tile, Identity, Sum, Mean, LeakyRelu, Concat, Slice, SplitV and
 * FusedBatchNorm with the wrapped forms
 * (and, on wasm, compute the LeakyRelu gradient from fast kernels). Idempotent; a missing kernel tfjs
 * already provides is kept. Call it again after importing the wasm package (backend.ts does).
 */
export function registerWasmKernels(tf: Tf): void {
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, k.backendName) === undefined) tf.registerKernel(k);
  }
  const stock = (name: string) => {
    const k = tf.getKernel(name, 'wasm') as Wrapped | undefined;
    return k?.[ORIGINAL] ?? k;
  };
  const transpose = stock('Transpose');
  const prelu = stock('Prelu');
  const add = stock('Add');
  const sub = stock('Sub');
  const mul = stock('Multiply');
  if (!transpose || !prelu || !add || !sub || !mul) return; // tfjs-backend-wasm not loaded yet
  const wrap: Record<(typeof WRAPPED_WASM_KERNELS)[number], (orig: KernelConfig) => KernelConfig> = {
    BatchMatMul: (orig) => wrapMatMul(orig, transpose, true),
    _FusedMatMul: (orig) => wrapMatMul(orig, transpose, false),
    Tile: wrapTile,
    Identity: wrapIdentity,
    Sum: (orig) => wrapReduce(orig, add, false),
    Mean: (orig) => wrapReduce(orig, add, true),
    LeakyRelu: (orig) => wrapLeakyRelu(orig, prelu),
    Concat: wrapConcat,
    Slice: wrapSlice,
    SplitV: wrapSplitV,
    FusedBatchNorm: (orig) => wrapBatchNorm(orig, sub, mul, add),
  };
  for (const name of WRAPPED_WASM_KERNELS) {
    const orig = tf.getKernel(name, 'wasm') as Wrapped | undefined;
    if (!orig || orig[WRAPPED]) continue;
    replaceKernel(tf, wrap[name](orig), orig);
  }
  registerLeakyReluGradient(tf);
}

/** Marks the LeakyRelu gradient registered here. */
const FAST_GRADIENT = Symbol.for('mmoe-compile.fast-leaky-relu-gradient');

/**
 * The LeakyRelu gradient, on wasm: tfjs-core's where(x > 0, dy, alpha dy) runs Greater and
 * Select, both slow wasm kernels; m dy + (1 - m)(alpha dy) with m = step(x) in {0, 1} gives the
 * same values exactly from fast ones. Other backends keep tfjs-core's gradient.
 */
function registerLeakyReluGradient(tf: Tf): void {
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

/** Put tfjs-backend-wasm's own kernels back (benchmarks compare them with the wrapped ones). */
export function restoreStockWasmKernels(tf: Tf): void {
  for (const name of WRAPPED_WASM_KERNELS) {
    const k = tf.getKernel(name, 'wasm') as Wrapped | undefined;
    const orig = k?.[ORIGINAL];
    if (!orig) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(orig);
  }
  const grad = tf.getGradient('LeakyRelu') as (GradConfig & { [ORIGINAL]?: GradConfig }) | undefined;
  if (grad?.[ORIGINAL]) tf.registerGradient(grad[ORIGINAL]);
}

/** Are the wrapped (fast) kernels active? */
export function fastWasmKernelsActive(tf: Tf): boolean {
  const grad = tf.getGradient('LeakyRelu') as (GradConfig & { [FAST_GRADIENT]?: true }) | undefined;
  return grad?.[FAST_GRADIENT] === true && WRAPPED_WASM_KERNELS.every((n) => (tf.getKernel(n, 'wasm') as Wrapped | undefined)?.[WRAPPED] === true);
}
