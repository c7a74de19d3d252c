// Backend selection: explicit preferences, the auto fallback chain (including a tfjs-node that is
// installed but broken), and the cpu backend's console banner kept quiet.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  activateBackend,
  BACKEND_LOADERS,
  initBackend,
  wasmBinaryDir,
  type BackendLoaders,
} from '../../src/engine/backend.js';

const spy = vi.spyOn(console, 'warn');
afterAll(() => spy.mockRestore());

describe('initBackend', () => {
  // First in this file (a fresh process): the cpu backend's first tensor write happens here.
  it('cpu: active, and the "running TensorFlow.js in Node.js" banner is not printed', async () => {
    const { tf, backend } = await initBackend('cpu');
    expect(backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    tf.tidy(() => tf.ones([2, 2]).add(1).dataSync());
    const banner = spy.mock.calls.filter((args) => String(args[0]).includes('running TensorFlow.js in Node.js'));
    expect(banner).toEqual([]);
  });

  it('an explicit preference that cannot be met throws a one-line error', async () => {
    let caught: unknown;
    try {
      await initBackend('node');
    } catch (e) {
      caught = e;
    }
    if (caught === undefined) return; // tfjs-node is installed and works on this machine
    expect(caught).toBeInstanceOf(Error);
    const msg = (caught as Error).message;
    expect(msg).toMatch(/^backend "node" is not available: /);
    expect(msg).not.toContain('\n');
  });

  it('rejects an unknown preference', async () => {
    await expect(initBackend('gpu' as never)).rejects.toThrow(/unknown backend "gpu"/);
  });

  it('auto picks the fastest backend that loads (tfjs-node is not installable here: wasm)', async () => {
    const { tf, backend } = await initBackend('auto');
    expect(['tensorflow', 'wasm']).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
    expect(tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync()[0])).toBe(3);
  });

  it('auto falls through a present-but-broken tfjs-node, and to cpu when wasm fails too', async () => {
    const { tf } = await initBackend('cpu');
    const broken = (msg: string) => ({ backend: 'x', load: async () => Promise.reject(new Error(msg)) });
    const nodeBroken: BackendLoaders = {
      ...BACKEND_LOADERS,
      node: broken('The specified module could not be found.\n  tfjs_binding.node can not be found'),
    };
    expect(await activateBackend(tf, 'auto', nodeBroken)).toBe('wasm');
    expect(await activateBackend(tf, 'auto', { ...nodeBroken, wasm: broken('no wasm') })).toBe('cpu');
    await expect(
      activateBackend(tf, 'auto', { node: broken('a'), wasm: broken('b'), cpu: broken('c') }),
    ).rejects.toThrow('no tfjs backend could be initialised (node: a; wasm: b; cpu: c)');
    await expect(activateBackend(tf, 'node', nodeBroken)).rejects.toThrow(
      'backend "node" is not available: The specified module could not be found.',
    );
  });

  it('finds the wasm binaries inside node_modules, independent of the working directory', () => {
    const dir = wasmBinaryDir();
    expect(existsSync(join(dir, 'tfjs-backend-wasm.wasm'))).toBe(true);
    expect(existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });
});
