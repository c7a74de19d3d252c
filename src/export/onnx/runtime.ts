// Running an exported graph on ONNX Runtime. Browser-safe: the ONNX Runtime module
// (onnxruntime-node, or onnxruntime-web in browsers and Node) is handed in by the caller.

export const ORT_ENGINES = ['onnxruntime', 'onnxruntime-web'] as const;
/** 'onnxruntime': the native Node binding (onnxruntime-node); 'onnxruntime-web': WebAssembly. */
export type OrtEngine = (typeof ORT_ENGINES)[number];

/** What is used of an ONNX Runtime module (onnxruntime-node and onnxruntime-web both fit). */
export interface OrtModule {
  Tensor: new (type: 'float32' | 'int32', data: Float32Array | Int32Array, dims: readonly number[]) => unknown;
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
  release(): Promise<void>;
}

/** One graph input for a batch: row-major [n, width]. */
export interface InputColumn {
  name: string;
  dtype: 'float32' | 'int32';
  width: number;
  data: Float32Array | Int32Array;
}

export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** One Float32Array per output, in outputNames order. */
  run(inputs: readonly InputColumn[], n: number): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export async function createOnnxSession(
  ort: OrtModule,
  bytes: Uint8Array,
  options: Record<string, unknown> = {},
): Promise<OnnxSession> {
  const session = await ort.InferenceSession.create(bytes, options);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs, n) {
      const feeds: Record<string, unknown> = {};
      for (const c of inputs) feeds[c.name] = new ort.Tensor(c.dtype, c.data, [n, c.width]);
      const out = await session.run(feeds);
      return session.outputNames.map((name) => out[name].data as Float32Array);
    },
    release: () => session.release(),
  };
}
