// The parts of tfjs-backend-wasm's BackendWasm the replacement kernels use (private members:
// index.ts checks the installed version before any of them is touched), the marks a wrapped
// kernel carries, and tensors that view part of another tensor's wasm memory.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm this file uses. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export interface KernelBackend extends WasmHeapBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

export type KernelArgs = Parameters<KernelFunc>[0];

/** Marks a kernel config wrapped here, so registering twice does not wrap twice. */
export const WRAPPED = Symbol.for('mmoe-compile.wasm-kernel-wrapped');
/** The tfjs-backend-wasm kernel a wrapped one replaced. */
export const ORIGINAL = Symbol.for('mmoe-compile.wasm-kernel-original');

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The BackendWasm members used to make tensors that view part of another tensor's memory. */
export interface ViewBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: TensorInfo['dtype'], memoryOffset?: number): TensorInfo;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined; delete(dataId: object): boolean };
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** A tensor over `shape` elements of `base`'s memory from element `offset` (no copy). */
export function heapView(be: ViewBackend, base: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const data = be.dataIdMap.get(base.dataId);
  if (!data) throw new Error('internal: heap view of an unknown tensor');
  return be.makeOutput(shape, base.dtype, data.memoryOffset + offset * 4);
}

/** Forget a view without freeing the memory it shares. */
export function releaseView(be: ViewBackend, view: TensorInfo): void {
  const data = be.dataIdMap.get(view.dataId);
  if (!data) return;
  be.wasm.tfjs.disposeData(data.id);
  be.dataIdMap.delete(view.dataId);
}
