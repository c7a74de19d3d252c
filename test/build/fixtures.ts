// Shared test helpers: IRs (family configs and a small hand-built one), seeded random batches
// and weights, and model inputs in the model's input order.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../src/engine/backend.js';
import { checkSpec } from '../../src/compiler/front.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { SCENARIO_INPUT, needsScenarioInput } from '../../src/compiler/build/index.js';

export const FAMILY_CONFIGS = ['shared-bottom', 'moe', 'mmoe', 'cgc', 'ple', 'esmm', 'multi-scenario', 'star'] as const;

export function loadIr(config: string): ModelIR {
  const checked = checkSpec(`configs/${config}.yaml`);
  if (!checked.ir)
    throw new Error(`configs/${config}.yaml did not lower: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  return checked.ir;
}

/** A deep copy with every embedding table capped at `cap` rows (keeps the cpu gather gradient fast). */
export function withSmallTables(ir: ModelIR, cap: number): ModelIR {
  const copy = structuredClone(ir);
  for (const t of copy.embeddings) t.vocabSize = Math.min(t.vocabSize ?? cap, cap);
  return copy;
}

/** mulberry32: a small seeded PRNG for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows of plain numbers per model input name: numeric [B][1], ids [B][1] or [B][L], scenario [B][1]. */
export type Batch = Record<string, number[][]>;

export function randomBatch(ir: ModelIR, rows: number, seed: number): Batch {
  const r = rng(seed);
  const batch: Batch = {};
  const vocab = (f: ModelIR['features'][number]) => ir.embeddings.find((t) => t.name === f.embedding)?.vocabSize ?? 1;
  for (const f of ir.features) {
    batch[f.name] = Array.from({ length: rows }, (_, i) => {
      if (f.kind === 'numeric') return [r() * 4 - 2];
      if (f.kind !== 'sequence') return [Math.floor(r() * vocab(f))];
      // Sequences: a random length (row 0 all padding), ids 1.. (0 is padding), padded at the end.
      const len = i === 0 ? 0 : 1 + Math.floor(r() * (f.maxLength ?? 1));
      return Array.from({ length: f.maxLength ?? 1 }, (_, k) => (k < len ? 1 + Math.floor(r() * (vocab(f) - 1)) : 0));
    });
  }
  if (needsScenarioInput(ir) && ir.scenario) {
    const s = ir.scenario.values.length;
    // Every scenario and the unknown one (index S) appear.
    batch[SCENARIO_INPUT] = Array.from({ length: rows }, (_, i) => [i < s + 1 ? i : Math.floor(r() * (s + 1))]);
  }
  return batch;
}

export function inputTensors(tf: Tf, model: LayersModel, batch: Batch): Tensor[] {
  // Layer names (inputNames), not the symbolic tensors' names, which tfjs makes unique per process.
  return model.inputs.map((inp, i) => {
    const name = model.inputNames[i];
    const rows = batch[name];
    if (!rows) throw new Error(`batch lacks input ${name}`);
    return tf.tensor2d(rows, [rows.length, rows[0].length], inp.dtype === 'int32' ? 'int32' : 'float32');
  });
}

/** Overwrite every weight with seeded random values (variances positive), so no weight is trivial. */
export function randomizeWeights(tf: Tf, model: LayersModel, seed: number): void {
  const r = rng(seed);
  const u = () => r() * 2 - 1;
  const values = model.weights.map((w) => {
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const name = w.originalName;
    let gen: () => number;
    if (/moving_variance|gamma/.test(name)) gen = () => 0.5 + r();
    else if (/embeddings/.test(name)) gen = u;
    else if (/kernel/.test(name)) {
      const fanIn = shape[shape.length - 2];
      gen = () => u() * Math.sqrt(3 / fanIn);
    } else gen = () => u() * 0.5;
    return tf.tensor(Float32Array.from({ length: n }, gen), shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

export function predictByTask(tf: Tf, model: LayersModel, batch: Batch): Record<string, number[]> {
  return tf.tidy(() => {
    const out = model.predict(inputTensors(tf, model, batch)) as Tensor | Tensor[];
    const list = Array.isArray(out) ? out : [out];
    return Object.fromEntries(model.outputNames.map((n, i) => [n, Array.from(list[i].dataSync())]));
  });
}

export function maxAbsDiff(a: Record<string, number[]>, b: Record<string, number[]>): number {
  let d = 0;
  for (const k of Object.keys(a)) {
    const x = a[k];
    const y = b[k];
    if (!y || x.length !== y.length) return Infinity;
    for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  }
  return d;
}

/**
 * A small hand-built IR touching every feature kind, a shared table, two pools mixed by two
 * gates, per-scenario towers, two heads on one tower, a regression head and a product task.
 */
export function tinyIr(
  opts: {
    temperature?: number;
    topK?: number | null;
    scenarioAware?: boolean;
    perScenario?: boolean;
    pooling?: 'sum' | 'mean' | 'max';
    activation?: string;
    towerActivation?: string;
    batchNorm?: boolean;
    dropout?: number;
    l2?: number;
    /** Add a multi-class task (softmax over 4 classes) on tower tb. */
    multiclass?: boolean;
  } = {},
): ModelIR {
  const scenarioValues = ['home', 'search', 'detail'];
  const scen = opts.scenarioAware ?? true;
  const mlp = {
    activation: opts.activation ?? 'relu',
    batchNorm: opts.batchNorm ?? false,
    dropout: opts.dropout ?? 0,
    l2: opts.l2 ?? 0,
  };
  const groups = [
    { kind: 'group' as const, name: 'g1', width: 4 },
    { kind: 'group' as const, name: 'g2', width: 8 },
  ];
  const gate = (name: string, pools: string[], numExperts: number) => ({
    kind: 'gate' as const,
    name,
    path: `/model/levels/0/gates/${name}`,
    level: 0,
    pools,
    numExperts,
    inputs: groups,
    inputWidth: 12 + (scen ? 2 : 0),
    temperature: opts.temperature ?? 1,
    topK: opts.topK ?? null,
    scenarioAware: scen,
    outputWidth: 5,
  });
  return {
    irVersion: 1,
    name: 'tiny',
    family: { base: 'custom', esmm: true, multiScenario: true, label: 'test' },
    features: [
      { name: 'num_a', path: '/features/0', column: 'num_a', kind: 'numeric', width: 1 },
      { name: 'cat_b', path: '/features/1', column: 'cat_b', kind: 'categorical', width: 3, embedding: 'emb_cat_b' },
      {
        name: 'seq_c',
        path: '/features/2',
        column: 'seq_c',
        kind: 'sequence',
        width: 4,
        embedding: 'shared_tok',
        maxLength: 5,
        pooling: opts.pooling ?? 'mean',
      },
      { name: 'cat_d', path: '/features/3', column: 'cat_d', kind: 'categorical', width: 4, embedding: 'shared_tok' },
    ],
    embeddings: [
      { name: 'emb_cat_b', vocabSize: 7, dim: 3, features: ['cat_b'] },
      { name: 'shared_tok', vocabSize: 9, dim: 4, features: ['seq_c', 'cat_d'] },
    ],
    groups: [
      { name: 'g1', path: '/featureGroups/g1', features: ['num_a', 'cat_b'], width: 4 },
      { name: 'g2', path: '/featureGroups/g2', features: ['seq_c', 'cat_d'], width: 8 },
    ],
    scenario: { feature: 'cat_b', values: scenarioValues, embeddingDim: 2 },
    levels: [
      {
        index: 0,
        pools: [
          {
            kind: 'pool',
            name: 'shared',
            path: '/model/levels/0/pools/0',
            level: 0,
            count: 3,
            units: [6, 5],
            ...mlp,
            inputs: groups,
            inputWidth: 12,
            outputWidth: 5,
          },
          {
            kind: 'pool',
            name: 'own',
            path: '/model/levels/0/pools/1',
            level: 0,
            count: 2,
            units: [5],
            ...mlp,
            inputs: groups,
            inputWidth: 12,
            outputWidth: 5,
          },
        ],
        gates: [gate('ga', ['own', 'shared'], 5), gate('gb', ['shared'], 3)],
      },
    ],
    towers: [
      {
        kind: 'tower',
        name: 'ta',
        path: '/model/towers/0',
        input: { kind: 'gate', name: 'ga', width: 5 },
        units: [4],
        ...mlp,
        activation: opts.towerActivation ?? mlp.activation,
        perScenario: opts.perScenario === false ? [] : scenarioValues,
        outputWidth: 4,
      },
      {
        kind: 'tower',
        name: 'tb',
        path: '/model/towers/1',
        input: { kind: 'gate', name: 'gb', width: 5 },
        units: [],
        ...mlp,
        perScenario: [],
        outputWidth: 5,
      },
    ],
    tasks: [
      task('a', 'binary', { kind: 'tower', tower: 'ta' }),
      task('b', 'binary', { kind: 'tower', tower: 'tb' }),
      // A second head on tower tb, and a regression head.
      task('c', 'regression', { kind: 'tower', tower: 'tb' }),
      task('ab', 'binary', { kind: 'product', of: ['a', 'b'] }),
      ...(opts.multiclass
        ? [
            {
              ...task('k', 'regression', { kind: 'tower', tower: 'tb' }),
              type: 'multiclass' as const,
              loss: 'categorical_crossentropy' as const,
              classes: ['w', 'x', 'y', 'z'],
              topK: 2,
            },
          ]
        : []),
    ],
    lowering: { experts: 'separate', gates: 'separate' },
  };
}

function task(
  name: string,
  type: 'binary' | 'regression',
  head: ModelIR['tasks'][number]['head'],
): ModelIR['tasks'][number] {
  return {
    name,
    path: `/tasks/${name}`,
    type,
    label: name,
    positive: null,
    loss: type === 'binary' ? 'binary_crossentropy' : 'mse',
    weight: 1,
    metrics: [],
    head,
    sampleSpace: null,
    scenarios: null,
  };
}
