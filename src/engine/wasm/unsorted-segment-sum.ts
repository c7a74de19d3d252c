// UnsortedSegmentSum, missing from tfjs-backend-wasm 4.22: the gradient of `gather`, i.e. of every
// embedding lookup. Without it an embedding cannot train on wasm ("Kernel 'UnsortedSegmentSum' not
// registered for backend 'wasm'"). Written in JS over the wasm heap: one pass over the data,
// O(N x inner). (The cpu backend's version loops over every segment, O(numSegments x N x inner).)
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type WasmHeapBackend } from './heap.js';

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

export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const prefix = segmentIds.shape;
  if (prefix.some((d, i) => x.shape[i] !== d)) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape [${prefix.join(',')}] is not a prefix of data shape [${x.shape.join(',')}]`,
    );
  }
  const inner = x.shape.slice(prefix.length).reduce((a, b) => a * b, 1);
  const be = backend as unknown as WasmHeapBackend;
  // Allocate first: growing the wasm heap detaches typed-array views taken before it.
  const out = be.makeOutput([numSegments, ...x.shape.slice(prefix.length)], x.dtype);
  const outVals = be.typedArrayFromHeap(out);
  unsortedSegmentSumInto(be.typedArrayFromHeap(x), be.typedArrayFromHeap(segmentIds), inner, numSegments, outVals);
  return out;
};
