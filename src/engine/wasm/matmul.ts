// BatchMatMul / _FusedMatMul: the wasm backend sends a product to XNNPACK only when neither
// operand is transposed and the batch is 1; anything else goes to a naive blocked loop that
// measured 10-20x slower here. Every Dense layer's backward pass is such a product (dX = dY Wᵀ,
// dW = Xᵀ dY), so training spent most of its time there. The wrapped kernels transpose the
// operand explicitly (the Transpose kernel is cheap) and call the original kernel untransposed;
// batched products of large matrices run slice by slice through the same fast path.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapView, type KernelArgs, type KernelBackend, releaseView, size, type ViewBackend, WRAPPED } from './heap.js';

/** Below this many multiply-adds per matrix, a batched product stays on the original kernel. */
export const SLICED_MATMUL_MIN_MACS = 1 << 15;

function swapLast(shape: readonly number[]): number[] {
  const perm = shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return perm;
}

export function wrapMatMul(orig: KernelConfig, transposeKernel: KernelConfig, sliced: boolean): KernelConfig {
  const transpose = (x: TensorInfo, backend: KernelArgs['backend']): TensorInfo =>
    transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLast(x.shape) } }) as TensorInfo;

  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const be = backend as unknown as KernelBackend;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
      return orig.kernelFunc(args);
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const batched = batchA > 1 || batchB > 1;
    if (batched && sliced && slicedShapesOk(a.shape, b.shape) && m * k * n < SLICED_MATMUL_MIN_MACS)
      return smallBatchedMatMul(be, a, b, transposeA, transposeB, m, k, n);
    if (batched && !(sliced && m * k * n >= SLICED_MATMUL_MIN_MACS && slicedShapesOk(a.shape, b.shape)))
      return orig.kernelFunc(args);
    if (!batched && !transposeA && !transposeB) return orig.kernelFunc(args);
    const temps: TensorInfo[] = [];
    const at = transposeA ? transpose(a, backend) : a;
    const bt = transposeB ? transpose(b, backend) : b;
    if (at !== a) temps.push(at);
    if (bt !== b) temps.push(bt);
    try {
      const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
      if (!batched)
        return orig.kernelFunc({ inputs: { ...inputs, a: at, b: bt }, backend, attrs: plainAttrs }) as TensorInfo;
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
function smallBatchedMatMul(
  be: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  ta: boolean,
  tb: boolean,
  m: number,
  k: number,
  n: number,
): TensorInfo {
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
  const ai = ta ? 1 : k;
  const ap = ta ? m : 1;
  const bp = tb ? 1 : n;
  const bj = tb ? k : 1;
  const batch = size(outer);
  // Every output is 0 + the products in order of p, summed in double, stored as float32; the index
  // arithmetic is hoisted out of the inner loop, and k = 1 (a gate's weight gradient: an outer
  // product) skips it.
  let o = 0;
  if (k === 1) {
    for (let t = 0; t < batch; t++) {
      const a0 = t * stepA;
      const b0 = t * stepB;
      for (let i = 0; i < m; i++) {
        const x = av[a0 + i * ai];
        for (let j = 0; j < n; j++) ov[o++] = 0 + x * bv[b0 + j * bj];
      }
    }
    return out;
  }
  for (let t = 0; t < batch; t++) {
    const a0 = t * stepA;
    const b0 = t * stepB;
    for (let i = 0; i < m; i++) {
      const rowA = a0 + i * ai;
      for (let j = 0; j < n; j++) {
        let acc = 0;
        let ia = rowA;
        let ib = b0 + j * bj;
        for (let p = 0; p < k; p++) {
          acc += av[ia] * bv[ib];
          ia += ap;
          ib += bp;
        }
        ov[o++] = acc;
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
function slicedMatMul(
  orig: KernelConfig,
  be: KernelBackend,
  backend: KernelArgs['backend'],
  a: TensorInfo,
  b: TensorInfo,
  m: number,
  k: number,
  n: number,
  attrs: object,
): TensorInfo {
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
