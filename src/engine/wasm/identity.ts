// Identity without a copy (see wrapIdentity).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { WRAPPED } from './heap.js';

/**
 * Identity: the wasm kernel copies the data; tfjs runs it for every tensor saved for the
 * backward pass (hundreds per training step). Tensors are immutable (a Variable's assign swaps
 * its data id), so sharing the data with a reference count, as the cpu backend does, is enough.
 */
export function wrapIdentity(orig: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return orig.kernelFunc(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...orig, kernelFunc, [WRAPPED]: true } as KernelConfig;
}
