// Inference engines the serving API can run a model folder on. Browser-safe: the engine modules
// (tfjs, onnxruntime-web, onnxruntime-node) are handed in by the caller, never imported here.
//
//   tfjs             the folder's model.json + weights.bin on tfjs (any backend)
//   onnxruntime      ONNX Runtime's native Node binding (onnxruntime-node)
//   onnxruntime-web  ONNX Runtime compiled to WebAssembly (onnxruntime-web: browsers and Node)
//
// Both ONNX Runtime engines run the graph of `mmoe-compile export --format onnx`, made in memory
// from the same model.json and weights (or read from the folder's model.onnx when given).
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { createOnnxSession, type InputColumn, type OrtModule } from '../export/onnx/runtime.js';

export type { InputColumn, OrtModule };

export const ENGINES = ['tfjs', 'onnxruntime', 'onnxruntime-web'] as const;
export type EngineName = (typeof ENGINES)[number];

/** A loaded model, engine-neutral: inputs in, one Float32Array per output (in outputNames order) out. */
export interface Runner {
  readonly engine: EngineName;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(inputs: readonly InputColumn[], n: number): Promise<Float32Array[]>;
  dispose(): void;
}

/** The tfjs module (`import * as tf from '@tensorflow/tfjs'`). */
export type Tf = typeof import('@tensorflow/tfjs');

export function tfjsRunner(tf: Tf, model: LayersModel): Runner {
  return {
    engine: 'tfjs',
    inputNames: model.inputNames,
    outputNames: model.outputNames,
    async run(inputs, n) {
      const xs = inputs.map((c) => tf.tensor2d(c.data, [n, c.width], c.dtype));
      let ys: Tensor[] = [];
      try {
        const out = model.predict(xs, { batchSize: n }) as Tensor | Tensor[];
        ys = Array.isArray(out) ? out : [out];
        return await Promise.all(ys.map(async (y) => (await y.data()) as Float32Array));
      } finally {
        tf.dispose([...xs, ...ys]);
      }
    },
    dispose: () => model.dispose(),
  };
}

/** An ONNX Runtime session over the exported graph. */
export async function ortRunner(
  engine: 'onnxruntime' | 'onnxruntime-web',
  ort: OrtModule,
  onnxBytes: Uint8Array,
  sessionOptions: Record<string, unknown> = {},
): Promise<Runner> {
  const session = await createOnnxSession(ort, onnxBytes, sessionOptions);
  return {
    engine,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    run: (inputs, n) => session.run(inputs, n),
    dispose: () => void session.release(),
  };
}
