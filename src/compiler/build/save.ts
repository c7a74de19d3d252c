// Model artifacts on disk: model.json (Keras-format topology + a weights manifest pointing at
// weights.bin) and weights.bin (all weights, float32/int32 little-endian, in manifest order).
// Serialisation is deterministic: object keys sorted, no timestamps or paths, so the same spec
// and seed give byte-identical files. Loading needs no tfjs-node (no file:// handler): a custom
// IOHandler reads the files.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io, LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';
import { registerCustomLayers } from './custom-layers.js';
import { modelArtifacts } from './model-artifacts.js';
import { stableStringify } from '../../util/stable-json.js';

export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface SerializedModel {
  modelJson: string;
  weightsBin: Uint8Array;
}

function joinWeights(tf: Tf, data: io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** model.json text and weights.bin bytes of a model, byte-for-byte stable. */
export async function serializeModel(tf: Tf, model: LayersModel): Promise<SerializedModel> {
  let artifacts: io.ModelArtifacts | undefined;
  await model.save({
    save: async (a: io.ModelArtifacts): Promise<io.SaveResult> => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    },
  });
  if (!artifacts) throw new Error('internal: model.save produced no artifacts');
  const json: Record<string, unknown> = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return { modelJson: stableStringify(json) + '\n', weightsBin: joinWeights(tf, artifacts.weightData) };
}

/** ModelArtifacts from model.json text and the bytes of its weight files, concatenated in manifest order. */
export function artifactsFromSerialized(s: SerializedModel): io.ModelArtifacts {
  return modelArtifacts(JSON.parse(s.modelJson), s.weightsBin);
}

/** A LayersModel from serialized files (custom layers registered first). */
export async function deserializeModel(tf: Tf, s: SerializedModel): Promise<LayersModel> {
  registerCustomLayers(tf);
  return tf.loadLayersModel({ load: async () => artifactsFromSerialized(s) });
}

export async function writeModelDir(dir: string, s: SerializedModel): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MODEL_JSON_FILE), s.modelJson);
  await writeFile(join(dir, WEIGHTS_FILE), s.weightsBin);
}

/** Read dir/model.json and the weight files its manifest names (relative to dir). */
export async function readModelDir(dir: string): Promise<SerializedModel> {
  const modelJson = await readFile(join(dir, MODEL_JSON_FILE), 'utf8');
  const json = JSON.parse(modelJson) as io.ModelJSON;
  const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths);
  const parts = await Promise.all(paths.map((p) => readFile(join(dir, p))));
  const weightsBin = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    weightsBin.set(b, at);
    at += b.byteLength;
  }
  return { modelJson, weightsBin };
}

export async function saveModelDir(tf: Tf, model: LayersModel, dir: string): Promise<SerializedModel> {
  const s = await serializeModel(tf, model);
  await writeModelDir(dir, s);
  return s;
}

export async function loadModelDir(tf: Tf, dir: string): Promise<LayersModel> {
  return deserializeModel(tf, await readModelDir(dir));
}
