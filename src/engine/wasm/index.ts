// Kernels that tfjs-backend-wasm 4.22 lacks, or has in a slow form, and this project needs.
//
// Missing: `UnsortedSegmentSum`, the gradient of `gather`, i.e. of every embedding lookup:
// without it an embedding cannot train on wasm ("Kernel 'UnsortedSegmentSum' not registered for
// backend 'wasm'"). Written in JS over the wasm heap: one pass over the data, O(N x inner). (The
// cpu backend's version loops over every segment, O(numSegments x N x inner).)
//
// Slow: WRAPPED_WASM_KERNELS below replace the package's own kernels once it is loaded (matrix
// products with transposed operands, reductions over the batch axis, Tile, Identity, LeakyRelu
// and its gradient, Concat, Slice / SplitV, FusedBatchNorm). Each kernel's file (one per kernel, in this folder) says what
// was slow and why the replacement gives the same values; docs/performance.md has the measurements.
import { createRequire } from 'node:module';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import type { Tf } from '../tf.js';
import { wrapBatchNorm } from './batch-norm.js';
import { wrapConcat } from './concat.js';
import { ORIGINAL, WRAPPED } from './heap.js';
import { wrapIdentity } from './identity.js';
import { FAST_GRADIENT, registerLeakyReluGradient, wrapLeakyRelu } from './leaky-relu.js';
import { wrapMatMul } from './matmul.js';
import { wrapReduce } from './reduce.js';
import { wrapSlice, wrapSplitV } from './slice.js';
import { wrapTile } from './tile.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/**
 * The tfjs versions the replacement kernels were written and tested against. They reach into
 * tfjs-backend-wasm's private BackendWasm members (heap.ts) and wrap its registered kernels, so
 * package.json pins these versions exactly, and any other installed version gets the stock
 * kernels (see kernelVersionMismatch).
 */
export const KERNELS_TESTED_WITH = { 'tfjs-core': '4.22.0', 'tfjs-backend-wasm': '4.22.0' } as const;

export type TfjsVersions = Record<keyof typeof KERNELS_TESTED_WITH, string | undefined>;

/** The installed versions: tfjs-core from tf itself, the wasm backend from its package.json. */
export function installedTfjsVersions(tf: Tf): TfjsVersions {
  let wasm: string | undefined;
  try {
    wasm = (createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm/package.json') as { version: string })
      .version;
  } catch {
    wasm = undefined;
  }
  return { 'tfjs-core': tf.version_core, 'tfjs-backend-wasm': wasm };
}

/** A one-line note when an installed version is not the tested one, else undefined. */
export function kernelVersionMismatch(versions: TfjsVersions): string | undefined {
  const off = (Object.keys(KERNELS_TESTED_WITH) as (keyof TfjsVersions)[]).filter(
    (k) => versions[k] !== KERNELS_TESTED_WITH[k],
  );
  if (!off.length) return undefined;
  const found = off.map((k) => `${k} ${versions[k] ?? 'unknown'} (tested: ${KERNELS_TESTED_WITH[k]})`).join(', ');
  return `mmoe-compile: note: ${found}: using the stock wasm kernels, not the faster replacements (training on wasm is slower; results are the same)`;
}

export interface RegisterOptions {
  /** Installed versions (default: read them; tests pass others). */
  versions?: TfjsVersions;
  /** Where the version note goes (default: stderr). */
  note?: (line: string) => void;
}

/** Marks the tfjs engine whose version note was printed, so it is printed once per process. */
const NOTED = Symbol.for('mmoe-compile.wasm-kernel-version-noted');

export const WASM_KERNELS: readonly KernelConfig[] = [
  { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum },
];

/** Kernels of tfjs-backend-wasm replaced by the faster forms above (once the package is loaded). */
export const WRAPPED_WASM_KERNELS = [
  'BatchMatMul',
  '_FusedMatMul',
  'Tile',
  'Identity',
  'Sum',
  'Mean',
  'LeakyRelu',
  'Concat',
  'Slice',
  'SplitV',
  'FusedBatchNorm',
] as const;

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
 * When the installed tfjs-core or tfjs-backend-wasm is not the tested version, only the missing
 * kernel is added; the stock kernels stay, with a one-line note (once) on stderr.
 */
export function registerWasmKernels(tf: Tf, opts: RegisterOptions = {}): void {
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
  const mismatch = kernelVersionMismatch(opts.versions ?? installedTfjsVersions(tf));
  if (mismatch) {
    // Not the version the replacements were checked against: keep (or put back) the stock ones.
    restoreStockWasmKernels(tf);
    const marked = tf.engine() as unknown as { [NOTED]?: true };
    if (!marked[NOTED]) {
      marked[NOTED] = true;
      (opts.note ?? ((line: string) => process.stderr.write(line + '\n')))(mismatch);
    }
    return;
  }
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
  return (
    grad?.[FAST_GRADIENT] === true &&
    WRAPPED_WASM_KERNELS.every((n) => (tf.getKernel(n, 'wasm') as Wrapped | undefined)?.[WRAPPED] === true)
  );
}
