// Serialisation: deterministic bytes (same spec + seed -> identical files), files that load back
// through a custom IOHandler with the same outputs, custom layers that round-trip through
// model.toJSON / modelFromJSON, and the Keras-visible class names.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOf } from '../../src/compiler/cost.js';
import {
  buildModel,
  CUSTOM_LAYER_CLASSES,
  deserializeModel,
  loadModelDir,
  registerCustomLayers,
  saveModelDir,
  serializeModel,
  WEIGHTS_FILE,
  type SerializedModel,
} from '../../src/compiler/build/index.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { stableStringify } from '../../src/util/stable-json.js';
import {
  FAMILY_CONFIGS,
  inputTensors,
  loadIr,
  maxAbsDiff,
  predictByTask,
  randomBatch,
  randomizeWeights,
  tinyIr,
} from './fixtures.js';

let tf: Tf;
let dir: string;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
  dir = await mkdtemp(join(tmpdir(), 'mmoe-build-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('serializeModel', () => {
  it('same IR and seed -> byte-identical model.json and weights.bin; another seed -> different weights', async () => {
    const ir = loadIr('multi-scenario');
    const [a, b, c] = [42, 42, 43].map((seed) => buildModel(ir, tf, { seed }));
    const [sa, sb, sc] = await Promise.all([a, b, c].map((m) => serializeModel(tf, m)));
    expect(sb.modelJson).toBe(sa.modelJson);
    expect(Buffer.from(sb.weightsBin).equals(Buffer.from(sa.weightsBin))).toBe(true);
    expect(Buffer.from(sc.weightsBin).equals(Buffer.from(sa.weightsBin))).toBe(false);
    expect(sa.weightsBin.byteLength).toBe(4 * costOf(ir).params);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('model.json: Keras topology, a manifest pointing at weights.bin, sorted keys, no paths or times', async () => {
    const model = buildModel(loadIr('mmoe'), tf, { seed: 1, lowering: { experts: 'separate', gates: 'separate' } });
    const { modelJson } = await serializeModel(tf, model);
    const json = JSON.parse(modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Model');
    expect(json.modelTopology.config.name).toBe('mmoe');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_FILE]);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toContain(
      'l0_pool_experts_e2_dense1/kernel',
    );
    expect(modelJson).toBe(stableStringify(json) + '\n');
    expect(modelJson).not.toContain(process.cwd());
    expect(modelJson).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    model.dispose();
  });

  it('only standard Keras layers plus CUSTOM_LAYER_CLASSES appear in the topology', async () => {
    const standard = new Set([
      'InputLayer',
      'Embedding',
      'Reshape',
      'Concatenate',
      'Dense',
      'BatchNormalization',
      'Activation',
      'LeakyReLU',
      'Dropout',
      'Softmax',
      'Dot',
      'Multiply',
      'Add', // STAR: the auxiliary logit added to a task's
    ]);
    const seen = new Set<string>();
    for (const config of [...FAMILY_CONFIGS, 'ecom', 'ecom-din']) {
      for (const experts of ['separate', 'fused'] as const) {
        const model = buildModel(loadIr(config), tf, { seed: 1, lowering: { experts, gates: experts } });
        const topo = JSON.parse((await serializeModel(tf, model)).modelJson).modelTopology;
        for (const l of topo.config.layers as { class_name: string }[]) seen.add(l.class_name);
        model.dispose();
      }
    }
    const custom = [...seen].filter((c) => !standard.has(c));
    expect(custom.every((c) => (CUSTOM_LAYER_CLASSES as readonly string[]).includes(c))).toBe(true);
    // (sequence pooling, per-scenario selection, fused experts and fused gates, target attention)
    expect(custom.sort()).toEqual([...CUSTOM_LAYER_CLASSES].sort());
  });
});

/** A layer config without what deserialisation fills in (dtype) or spells differently (null / undefined). */
function normalise(config: object): unknown {
  const { dtype: _dtype, ...rest } = JSON.parse(
    JSON.stringify(config, (_k, v: unknown) => (v === null ? undefined : v)),
  ) as Record<string, unknown>;
  return rest;
}

function sortBy<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

/** weight name -> values, from serialized files. */
function weightsByName(s: SerializedModel): Record<string, number[]> {
  const specs = JSON.parse(s.modelJson).weightsManifest[0].weights as { name: string; shape: number[] }[];
  const all = new Float32Array(
    s.weightsBin.buffer.slice(s.weightsBin.byteOffset, s.weightsBin.byteOffset + s.weightsBin.byteLength),
  );
  let at = 0;
  const out: Record<string, number[]> = {};
  for (const w of specs) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    out[w.name] = Array.from(all.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe('save to a directory and load back', () => {
  const cases: [string, () => ReturnType<typeof loadIr>, 'separate' | 'fused'][] = [
    ['ple, separate', () => loadIr('ple'), 'separate'],
    ['multi-scenario, fused', () => loadIr('multi-scenario'), 'fused'],
    [
      'hand-built IR with every custom layer, fused',
      () => tinyIr({ topK: 2, temperature: 0.5, batchNorm: true, pooling: 'max' }),
      'fused',
    ],
  ];
  for (const [label, irOf, mode] of cases) {
    it(label, async () => {
      const ir = irOf();
      const model = buildModel(ir, tf, { seed: 5, lowering: { experts: mode, gates: mode } });
      randomizeWeights(tf, model, 6);
      const out = join(dir, label.replace(/\W+/g, '_'));
      const saved = await saveModelDir(tf, model, out);
      expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']);
      const loaded = await loadModelDir(tf, out);
      const batch = randomBatch(ir, 6, 7);
      expect(maxAbsDiff(predictByTask(tf, model, batch), predictByTask(tf, loaded, batch))).toBeLessThan(1e-7);
      expect(loaded.countParams()).toBe(model.countParams());
      // Saving the loaded model gives the same layers and weights (tfjs may list them in another order).
      const again = await serializeModel(tf, loaded);
      const layersOf = (json: string) =>
        sortBy(JSON.parse(json).modelTopology.config.layers as { name: string; config: object }[]).map((l) => ({
          ...l,
          config: normalise(l.config),
        }));
      expect(layersOf(again.modelJson)).toEqual(layersOf(saved.modelJson));
      expect(weightsByName(again)).toEqual(weightsByName(saved));
      model.dispose();
      loaded.dispose();
    });
  }
});

describe('custom layers round-trip through toJSON / modelFromJSON', () => {
  async function roundTrip(model: LayersModel, inputs: Tensor[]): Promise<void> {
    const restored = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as never });
    restored.setWeights(model.getWeights());
    const a = model.predict(inputs) as Tensor;
    const b = restored.predict(inputs) as Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    for (const layer of model.layers)
      expect(normalise(restored.getLayer(layer.name).getConfig())).toEqual(normalise(layer.getConfig()));
    // Also through the serialised files (custom IOHandler).
    const viaFiles = await deserializeModel(tf, await serializeModel(tf, model));
    expect(Array.from((viaFiles.predict(inputs) as Tensor).dataSync())).toEqual(Array.from(a.dataSync()));
  }

  it('MaskedSequencePooling (sum, mean, max; all-padding rows pool to zeros)', async () => {
    const { MaskedSequencePooling } = registerCustomLayers(tf);
    for (const mode of ['sum', 'mean', 'max'] as const) {
      const ids = tf.input({ name: 'ids', shape: [3], dtype: 'int32' });
      const emb = tf.layers.embedding({ name: 'tab', inputDim: 5, outputDim: 2 }).apply(ids) as never;
      const pooled = new MaskedSequencePooling({ name: 'pool', mode }).apply([emb, ids]) as never;
      const model = tf.model({ inputs: ids, outputs: pooled });
      model.getLayer('tab').setWeights([
        tf.tensor2d([
          [9, 9],
          [1, -2],
          [3, 4],
          [-5, 6],
          [7, -8],
        ]),
      ]);
      const x = tf.tensor2d(
        [
          [0, 0, 0],
          [1, 0, 2],
          [3, 3, 4],
        ],
        [3, 3],
        'int32',
      );
      const want = { sum: [0, 0, 4, 2, -3, 4], mean: [0, 0, 2, 1, -1, 4 / 3], max: [0, 0, 3, 4, 7, 6] }[mode];
      Array.from((model.predict(x) as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
      await roundTrip(model, [x]);
    }
  });

  it('GateSoftmax', async () => {
    const { GateSoftmax } = registerCustomLayers(tf);
    const x = tf.input({ name: 'x', shape: [6] });
    const y = new GateSoftmax({ name: 'g', temperature: 0.5, topK: 2, begin: 1, size: 4 }).apply(x) as never;
    await roundTrip(tf.model({ inputs: x, outputs: y }), [
      tf.tensor2d([
        [1, 2, 3, 4, 5, 6],
        [0.3, -1, 2, 0.1, 0.2, 9],
      ]),
    ]);
  });

  it('GroupedDense', async () => {
    const { GroupedDense } = registerCustomLayers(tf);
    const x = tf.input({ name: 'x', shape: [6] });
    const layer = new GroupedDense({ name: 'gd', groups: 3, units: 4, seed: 1, l2: 0.01 });
    const model = tf.model({ inputs: x, outputs: layer.apply(x) as never });
    expect(model.countParams()).toBe(3 * (2 * 4 + 4));
    // Group g is a Dense of columns 2g..2g+1 with kernel[g] and bias[4g..4g+3].
    const input = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
    const [kernel, bias] = layer.getWeights().map((t) => t.arraySync()) as [number[][][], number[]];
    const got = Array.from((model.predict(input) as Tensor).dataSync());
    for (let g = 0; g < 3; g++) {
      for (let u = 0; u < 4; u++) {
        const want = bias[4 * g + u] + (2 * g + 1) * kernel[g][0][u] + (2 * g + 2) * kernel[g][1][u];
        expect(got[4 * g + u]).toBeCloseTo(want, 5);
      }
    }
    await roundTrip(model, [input]);
    expect(() => new GroupedDense({ groups: 0, units: 2 })).toThrow(/groups/);
  });

  it('ScenarioSelect (index S and beyond: the mean)', async () => {
    const { ScenarioSelect } = registerCustomLayers(tf);
    const v = tf.input({ name: 'v', shape: [3] });
    const s = tf.input({ name: 's', shape: [1], dtype: 'int32' });
    const model = tf.model({ inputs: [v, s], outputs: new ScenarioSelect({ name: 'sel' }).apply([v, s]) as never });
    const values = tf.tensor2d([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 6],
      [4, 5, 6],
    ]);
    const scen = tf.tensor2d([[0], [1], [2], [3], [-1]], [5, 1], 'int32');
    expect(Array.from((model.predict([values, scen]) as Tensor).dataSync())).toEqual([1, 2, 3, 3, 5]);
    await roundTrip(model, [values, scen]);
  });
});

describe('build options and errors', () => {
  it('training: false drops Dropout and L2 but keeps weights and outputs', () => {
    const ir = tinyIr({ dropout: 0.5, l2: 0.1 });
    const train = buildModel(ir, tf, { seed: 1 });
    const infer = buildModel(ir, tf, { seed: 1, training: false });
    expect(train.layers.some((l) => l.getClassName() === 'Dropout')).toBe(true);
    expect(infer.layers.some((l) => l.getClassName() === 'Dropout')).toBe(false);
    expect(train.calculateLosses().length).toBeGreaterThan(0);
    expect(infer.calculateLosses()).toEqual([]);
    expect(infer.countParams()).toBe(train.countParams());
    const batch = randomBatch(ir, 4, 1);
    expect(maxAbsDiff(predictByTask(tf, train, batch), predictByTask(tf, infer, batch))).toBe(0);
    train.dispose();
    infer.dispose();
  });

  it('inputs: one per feature named like it, then the scenario index; outputs named like the tasks', () => {
    const ir = loadIr('multi-scenario');
    const model = buildModel(ir, tf, { seed: 1 });
    expect(model.inputNames).toEqual([...ir.features.map((f) => f.name), 'scenario-index']);
    expect(model.outputNames).toEqual(ir.tasks.map((t) => t.name));
    const hist = model.inputs[model.inputNames.indexOf('user_history')];
    expect(hist.shape).toEqual([null, 10]);
    expect(hist.dtype).toBe('int32');
    expect(model.inputs[model.inputNames.indexOf('user_age')].dtype).toBe('float32');
    // user_history and item_category share one table.
    expect(model.layers.filter((l) => l.getClassName() === 'Embedding').map((l) => l.name)).toContain(
      'shared_category',
    );
    const xs = inputTensors(tf, model, randomBatch(ir, 2, 1));
    expect((model.predict(xs) as Tensor[]).map((t) => t.shape)).toEqual(ir.tasks.map(() => [2, 1]));
    model.dispose();
  });

  it('refuses an IR whose tables are not sized yet, and names tfjs cannot hold', () => {
    const ir = loadIr('mmoe');
    const unsized = structuredClone(ir);
    unsized.embeddings[0].vocabSize = null;
    expect(() => buildModel(unsized, tf, { seed: 1 })).toThrow(
      /embedding table "emb_user_id" has no vocabulary size yet/,
    );
    const underscore = structuredClone(ir);
    underscore.tasks[0].name = '_ctr';
    expect(() => buildModel(underscore, tf, { seed: 1 })).toThrow(/"_ctr" is not a valid tfjs layer name/);
    const clash = structuredClone(ir);
    clash.features[1].name = 'head_ctr';
    clash.groups[0].features = clash.groups[0].features.map((f) => (f === 'user_age' ? 'head_ctr' : f));
    expect(() => buildModel(clash, tf, { seed: 1 })).toThrow(/two layers would be named "head_ctr"/);
  });
});
