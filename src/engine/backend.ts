// Backend selection: the only place that loads tfjs at run time, always through a dynamic
// import so that validate / diff / explain (which never call this) stay tfjs-free.
//
// auto: tfjs-node (native, fastest) -> wasm (ships its .wasm files, works offline) -> cpu (pure
// JS, ~50x slower on matrix products). tfjs-node is an optional dependency that cannot install on
// some machines, and with `--ignore-scripts` it is present but broken ("tfjs_binding.node can
// not be found"): both cases fall through to the next backend.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type { Tf } from './tf.js';
import { registerWasmKernels } from './wasm/index.js';

export type { Tf } from './tf.js';
export type BackendPreference = 'auto' | 'node' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'node', 'wasm', 'cpu'];

export interface EngineHandle {
  tf: Tf;
  /** The tfjs backend name now active: 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  backend: string;
}

// Held in variables so TypeScript does not try to resolve the optional package's types.
const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';
const CPU_BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (
    msg
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'unknown error'
  );
}

/** Directory holding the wasm backend's .wasm binaries, resolved from node_modules (any cwd). */
export function wasmBinaryDir(): string {
  const req = createRequire(import.meta.url);
  return dirname(req.resolve(TFJS_WASM)) + sep;
}

async function tryNode(tf: Tf): Promise<void> {
  await import(TFJS_NODE);
  // tfjs-node registers the 'tensorflow' backend in the engine all tfjs copies share.
  if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
}

async function tryWasm(tf: Tf): Promise<void> {
  registerWasmKernels(tf);
  const wasm = (await import(TFJS_WASM)) as typeof import('@tensorflow/tfjs-backend-wasm');
  // Point at the package's own binaries so loading works offline from any cwd. (A no-op once
  // the backend is up; it throws only after a failed initialisation, which is reported.)
  wasm.setWasmPaths(wasmBinaryDir());
  // Now that the package has registered its kernels, replace the slow ones (wasm/index.ts).
  registerWasmKernels(tf);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise (see the warnings above)');
}

async function tryCpu(tf: Tf): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  // The cpu backend prints its "install tfjs-node" banner on its first tensor write. Trigger
  // that write now, with just that one message filtered out, so it never reaches the user.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes(CPU_BANNER)) return;
    warn.apply(console, args);
  };
  try {
    tf.tidy(() => tf.scalar(0).dataSync());
  } finally {
    console.warn = warn;
  }
}

export interface BackendLoader {
  /** Backend name registered with tfjs once loaded. */
  backend: string;
  load(tf: Tf): Promise<void>;
}
export type BackendLoaders = Record<Exclude<BackendPreference, 'auto'>, BackendLoader>;

export const BACKEND_LOADERS: Readonly<BackendLoaders> = {
  node: { backend: 'tensorflow', load: tryNode },
  wasm: { backend: 'wasm', load: tryWasm },
  cpu: { backend: 'cpu', load: tryCpu },
};

/**
 * Make the preferred backend active on an already loaded tfjs and return its name. `auto` tries
 * node, then wasm, then cpu; an explicit preference that cannot be honoured throws an Error with
 * a one-line message. (`loaders` is replaceable for tests.)
 */
export async function activateBackend(
  tf: Tf,
  pref: BackendPreference = 'auto',
  loaders: BackendLoaders = BACKEND_LOADERS,
): Promise<string> {
  if (!BACKEND_PREFERENCES.includes(pref)) {
    throw new Error(`unknown backend "${String(pref)}"; expected one of ${BACKEND_PREFERENCES.join(', ')}`);
  }
  if (pref !== 'auto') {
    try {
      await loaders[pref].load(tf);
    } catch (err) {
      throw new Error(`backend "${pref}" is not available: ${oneLine(err)}`);
    }
    return loaders[pref].backend;
  }
  const failures: string[] = [];
  for (const name of ['node', 'wasm', 'cpu'] as const) {
    try {
      await loaders[name].load(tf);
      return loaders[name].backend;
    } catch (err) {
      failures.push(`${name}: ${oneLine(err)}`);
    }
  }
  throw new Error(`no tfjs backend could be initialised (${failures.join('; ')})`);
}

/**
 * Load tfjs (dynamically) and make the preferred backend active: auto = tfjs-node if it loads,
 * else wasm, else cpu. An explicit preference that fails throws a one-line Error.
 */
export async function initBackend(pref: BackendPreference = 'auto'): Promise<EngineHandle> {
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  return { tf, backend: await activateBackend(tf, pref) };
}
