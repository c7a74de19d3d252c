// model.json + weight bytes -> tf.io.ModelArtifacts. Browser-safe (no Node imports): the build's
// loader (save.ts) and the serving module (src/serve) both read models through it.
import type { io } from '@tensorflow/tfjs';

/** ModelArtifacts from a parsed model.json and the bytes of its weight files, concatenated in manifest order. */
export function modelArtifacts(json: unknown, weights: ArrayBuffer | Uint8Array): io.ModelArtifacts {
  const m = json as io.ModelJSON | null;
  if (!m || typeof m !== 'object' || !m.modelTopology || !Array.isArray(m.weightsManifest))
    throw new Error('model.json lacks modelTopology or weightsManifest');
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  return {
    modelTopology: m.modelTopology,
    format: m.format,
    generatedBy: m.generatedBy,
    convertedBy: m.convertedBy,
    trainingConfig: m.trainingConfig,
    userDefinedMetadata: m.userDefinedMetadata,
    weightSpecs: m.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}
