// Node adapter for serving: read a model folder from disk and pick the tfjs backend. The only
// serving file with Node imports; the core (index.ts) stays browser-safe.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, type BackendPreference } from '../engine/backend.js';
import { loadOrt } from '../export/onnx/node.js';
import type { FileLoader } from './files.js';
import { loadServable, type Servable, type ServableOptions } from './servable.js';

/** A loader reading files of the folder `dir`. */
export function dirLoader(dir: string): FileLoader {
  const path = (name: string) => join(dir, name);
  const explain = (name: string) => (err: unknown) => {
    throw new Error(
      `cannot read ${path(name)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is this a compiled or trained output folder?)' : String(err)}`,
    );
  };
  return {
    text: (name) => readFile(path(name), 'utf8').catch(explain(name)),
    bytes: async (name) => new Uint8Array(await readFile(path(name)).catch(explain(name))),
  };
}

export interface NodeServableOptions extends Omit<ServableOptions, 'loader'> {
  /** Used when `tf` is not given: auto (tfjs-node, else wasm, else cpu), node, wasm or cpu. */
  backend?: BackendPreference;
}

/** Load a compiled or trained output folder (model.json, weights.bin, pipeline.json, ir.json). */
export async function loadServableFromDir(dir: string, options: NodeServableOptions = {}): Promise<Servable> {
  const { backend, ...rest } = options;
  const engine = rest.engine ?? 'tfjs';
  if (engine !== 'tfjs')
    return loadServable(dir, { ...rest, ort: rest.ort ?? (await loadOrt(engine)), loader: dirLoader(dir) });
  const tf = rest.tf ?? (await initBackend(backend ?? 'auto')).tf;
  return loadServable(dir, { ...rest, tf, loader: dirLoader(dir) });
}
