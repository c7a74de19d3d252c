// The files a served model needs, and how to fetch them. Browser-safe: no node: imports; the
// default loader uses the global `fetch` (browsers, Node >= 18). Node reads a folder with the
// loader in node.ts instead.
//
//   model.json    Keras-format topology + weights manifest (the paths of the weight files)
//   weights.bin   every weight, in manifest order (more files if the manifest names more)
//   pipeline.json the fitted feature pipeline (Pipeline.fromJSON)
//   ir.json       the ModelIR: task names and types, the scenario feature and its values

/** The model folder's contents, already read. */
export interface ModelFiles {
  /** model.json, as text or parsed. */
  modelJson: string | object;
  /** The weight files named in model.json's weightsManifest, concatenated in manifest order. */
  weights: ArrayBuffer | Uint8Array;
  /** pipeline.json, as text or parsed. */
  pipeline: string | object;
  /** ir.json, as text or parsed. */
  ir: string | object;
  /** An exported model.onnx for the ONNX Runtime engines (default: exported from model.json + weights in memory). */
  onnx?: Uint8Array;
}

/** Reads one file of a model folder by its name relative to the folder (e.g. "model.json"). */
export interface FileLoader {
  text(name: string): Promise<string>;
  bytes(name: string): Promise<Uint8Array>;
}

export const MODEL_FILES = { modelJson: 'model.json', pipeline: 'pipeline.json', ir: 'ir.json' } as const;

/**
 * A loader for a model folder served over HTTP(S): `base` is the folder's URL (a trailing "/" is
 * added if missing; relative URLs resolve against the page). `fetchImpl` defaults to the global
 * fetch.
 */
export function fetchLoader(base: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): FileLoader {
  const folder = base.endsWith('/') ? base : `${base}/`;
  const get = async (name: string): Promise<Response> => {
    const url = `${folder}${name}`;
    let res: Response;
    try {
      res = await fetchImpl(url);
    } catch (err) {
      throw new Error(`cannot fetch ${url}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok)
      throw new Error(`cannot fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    return res;
  };
  return {
    text: async (name) => (await get(name)).text(),
    bytes: async (name) => new Uint8Array(await (await get(name)).arrayBuffer()),
  };
}

function weightPaths(modelJson: unknown): string[] {
  const manifest = (modelJson as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new Error('model.json has no weightsManifest');
  return manifest.flatMap((group: { paths?: unknown }) => {
    if (!Array.isArray(group?.paths) || !group.paths.every((p) => typeof p === 'string'))
      throw new Error('model.json: a weightsManifest entry has no paths');
    return group.paths as string[];
  });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Read model.json, its weight files, pipeline.json and ir.json through a loader. */
export async function readModelFiles(loader: FileLoader): Promise<ModelFiles> {
  // model.json first: its absence is the clearest error for a wrong folder.
  const modelJson = parseJson(await loader.text(MODEL_FILES.modelJson), MODEL_FILES.modelJson) as object;
  const [pipeline, ir, weights] = await settledInOrder([
    loader.text(MODEL_FILES.pipeline),
    loader.text(MODEL_FILES.ir),
    Promise.all(weightPaths(modelJson).map((p) => loader.bytes(p))).then(concat),
  ] as const);
  return { modelJson, weights, pipeline, ir };
}

/** Like Promise.all, but the error reported is the first in list order (not the first to fail). */
async function settledInOrder<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export function parseJson(value: string | object, file: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
