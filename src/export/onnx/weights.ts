// The saved tfjs model as the exporter reads it: weights by name (model.json's weightsManifest
// over the weights.bin bytes) and layer configs by layer name (model.json's Keras topology), so
// every lowering can check it mirrors the layer tfjs runs (its class and settings).

export interface Weight {
  data: Float32Array;
  shape: number[];
}

export interface LayerConfig {
  className: string;
  config: Readonly<Record<string, unknown>>;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}

interface ModelJson {
  modelTopology?: {
    config?: {
      layers?: { class_name: string; config: Record<string, unknown> }[];
      input_layers?: unknown[][];
      output_layers?: unknown[][];
    };
  };
  weightsManifest?: { weights?: ManifestEntry[] }[];
}

/**
 * A layer setting by its TypeScript name: tfjs writes config keys in Python's snake_case
 * (topK -> top_k), and reads both.
 */
export function setting(config: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(config, name)) return config[name];
  const snake = name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return config[snake];
}

export class SavedModel {
  private readonly weights = new Map<string, Weight>();
  private readonly layers = new Map<string, LayerConfig>();
  private readonly read = new Set<string>();
  /** Input layer names, in the model's input order. */
  readonly inputNames: string[];
  /** Output layer names, in the model's output order. */
  readonly outputNames: string[];

  constructor(modelJson: unknown, bytes: Uint8Array) {
    const m = modelJson as ModelJson | null;
    const topology = m?.modelTopology?.config;
    if (!topology || !Array.isArray(topology.layers) || !Array.isArray(m?.weightsManifest))
      throw new Error('model.json lacks modelTopology.config.layers or weightsManifest');
    for (const l of topology.layers)
      this.layers.set(String(l.config.name), { className: l.class_name, config: l.config });
    this.inputNames = (topology.input_layers ?? []).map((x) => String(x[0]));
    this.outputNames = (topology.output_layers ?? []).map((x) => String(x[0]));
    let offset = 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const w of m.weightsManifest.flatMap((g) => g.weights ?? [])) {
      if (w.dtype !== 'float32')
        throw new Error(`model.json: weight ${w.name} is ${w.dtype}; only float32 weights can be exported`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * n > bytes.byteLength)
        throw new Error(
          `weights.bin is too short: weight ${w.name} needs bytes ${offset}..${offset + 4 * n}, the file has ${bytes.byteLength}`,
        );
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(offset + 4 * i, true);
      offset += 4 * n;
      this.weights.set(w.name, { data, shape: [...w.shape] });
    }
    if (offset !== bytes.byteLength)
      throw new Error(`weights.bin has ${bytes.byteLength} bytes, model.json's manifest describes ${offset}`);
  }

  has(weight: string): boolean {
    return this.weights.has(weight);
  }

  /** A weight by its tfjs name (e.g. "tower_ctr_dense0/kernel"), checked against the expected shape. */
  weight(name: string, shape?: number[]): Weight {
    const w = this.weights.get(name);
    if (!w) throw new Error(`model.json has no weight "${name}": the model and ir.json come from different builds`);
    if (shape && (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i]))) {
      throw new Error(`weight "${name}" is [${w.shape.join(',')}], ir.json implies [${shape.join(',')}]`);
    }
    this.read.add(name);
    return w;
  }

  /** The config of a layer, which must exist and be of one of the given classes. */
  layer(name: string, ...classes: string[]): LayerConfig {
    const l = this.layers.get(name);
    if (!l) throw new Error(`model.json has no layer "${name}": the model and ir.json come from different builds`);
    if (classes.length > 0 && !classes.includes(l.className))
      throw new Error(`model.json: layer "${name}" is a ${l.className}, expected ${classes.join(' or ')}`);
    return l;
  }

  /** A layer's config, or undefined when the model has no layer of that name. */
  maybeLayer(name: string): LayerConfig | undefined {
    return this.layers.get(name);
  }

  /** Weights no lowering read: a sign the export missed part of the model. */
  unread(): string[] {
    return [...this.weights.keys()].filter((n) => !this.read.has(n));
  }
}
