// What selects the arithmetic of a run, for run records (docs/reproducibility.md): the active
// backend and tfjs version, and on wasm which binary tfjs loaded (plain / SIMD / threaded SIMD,
// chosen from WASM_HAS_SIMD_SUPPORT and WASM_HAS_MULTITHREAD_SUPPORT) and the thread count; plus
// the Node / V8 version and the CPU, which do not change wasm results but do change the native
// backend's (tfjs-node picks oneDNN / Eigen kernels by CPU features and splits work by thread).
import { cpus } from 'node:os';
import type { Tf } from './backend.js';

export interface KernelsInfo {
  backend: string;
  tfjsCore: string;
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpu: string | null;
  /** wasm backend only. */
  wasm?: { simd: boolean; multithread: boolean; binary: string; threads: number | null };
}

export async function describeKernels(tf: Tf, backend: string): Promise<KernelsInfo> {
  const info: KernelsInfo = {
    backend,
    tfjsCore: tf.version_core,
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu: cpus()[0]?.model?.trim() || null,
  };
  if (backend === 'wasm') {
    const flag = async (name: string) => {
      try {
        return Boolean(await tf.env().getAsync(name));
      } catch {
        return false;
      }
    };
    const simd = await flag('WASM_HAS_SIMD_SUPPORT');
    const multithread = await flag('WASM_HAS_MULTITHREAD_SUPPORT');
    // the same choice as tfjs-backend-wasm's init()
    const binary = simd
      ? multithread
        ? 'tfjs-backend-wasm-threaded-simd.wasm'
        : 'tfjs-backend-wasm-simd.wasm'
      : 'tfjs-backend-wasm.wasm';
    let threads: number | null = null;
    try {
      const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as { getThreadsCount(): number };
      threads = wasm.getThreadsCount();
    } catch {
      threads = null;
    }
    info.wasm = { simd, multithread, binary, threads };
  }
  return info;
}
