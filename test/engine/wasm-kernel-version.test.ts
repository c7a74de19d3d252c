// The replacement wasm kernels reach into tfjs-backend-wasm's private members, so they are used
// only with the exact tfjs versions they were tested with (pinned in package.json); any other
// installed version gets the stock kernels and a one-line note on stderr. Versions are faked here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import {
  fastWasmKernelsActive,
  installedTfjsVersions,
  KERNELS_TESTED_WITH,
  kernelVersionMismatch,
  registerWasmKernels,
  WRAPPED_WASM_KERNELS,
} from '../../src/engine/wasm/index.js';

const ROOT = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

describe('wasm kernel version check', () => {
  it('package.json pins the tfjs packages to exactly the tested version', () => {
    for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'])
      expect(pkg.dependencies[name]).toBe(KERNELS_TESTED_WITH['tfjs-backend-wasm']);
    expect(pkg.optionalDependencies['@tensorflow/tfjs-node']).toBe(KERNELS_TESTED_WITH['tfjs-core']);
  });

  it('the installed versions are the tested ones, so the fast kernels are on', () => {
    const installed = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/package.json'), 'utf8'),
    ).version;
    expect(installedTfjsVersions(tf)).toEqual({ 'tfjs-core': tf.version_core, 'tfjs-backend-wasm': installed });
    expect(kernelVersionMismatch(installedTfjsVersions(tf))).toBeUndefined();
    expect(fastWasmKernelsActive(tf)).toBe(true);
  });

  it('a different wasm backend version falls back to the stock kernels, with one note', () => {
    const notes: string[] = [];
    const faked = {
      versions: { 'tfjs-core': '4.22.0', 'tfjs-backend-wasm': '4.23.0' },
      note: (l: string) => void notes.push(l),
    };
    registerWasmKernels(tf, faked);
    expect(fastWasmKernelsActive(tf)).toBe(false);
    // every replaced kernel is the package's own again (no wrapper mark)
    const marked = WRAPPED_WASM_KERNELS.filter(
      (n) =>
        (tf.getKernel(n, 'wasm') as unknown as Record<symbol, unknown>)[Symbol.for('mmoe-compile.wasm-kernel-wrapped')],
    );
    expect(marked).toEqual([]);
    // the missing kernel stays: without it embeddings cannot train on wasm at all
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    expect(notes).toEqual([
      'mmoe-compile: note: tfjs-backend-wasm 4.23.0 (tested: 4.22.0): using the stock wasm kernels, not the faster replacements (training on wasm is slower; results are the same)',
    ]);
    registerWasmKernels(tf, faked);
    expect(notes).toHaveLength(1); // once per process
    // the stock kernels compute the same product
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, 0, 2, 1, 0, 3], [2, 3]);
    expect(Array.from(tf.matMul(a, b, false, true).dataSync())).toEqual([
      1 * 1 + 2 * 0 + 3 * 2,
      1 * 1 + 2 * 0 + 3 * 3,
      4 * 1 + 5 * 0 + 6 * 2,
      4 * 1 + 5 * 0 + 6 * 3,
    ]);
  });

  it('a different tfjs-core is caught too, and an unreadable version counts as different', () => {
    expect(kernelVersionMismatch({ 'tfjs-core': '4.21.0', 'tfjs-backend-wasm': '4.22.0' })).toContain(
      'tfjs-core 4.21.0 (tested: 4.22.0)',
    );
    expect(kernelVersionMismatch({ 'tfjs-core': '4.22.0', 'tfjs-backend-wasm': undefined })).toContain(
      'tfjs-backend-wasm unknown (tested: 4.22.0)',
    );
  });

  it('back on the tested versions, the fast kernels are registered again', () => {
    registerWasmKernels(tf);
    expect(fastWasmKernelsActive(tf)).toBe(true);
  });
});
