// Shared bench helpers: medians, the backend's matMul ceiling, the two benchmark models (the
// seed's configs/ecom.yaml and the MMoE paper's 8-expert model), prepared data, and timed
// training / inference of a compiled model through the project's own loop.
//
// The machine is shared and noisy: every comparison is measured as interleaved rounds (each
// round runs every variant once) and reported as medians, ratios as the median of per-round
// ratios.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const dist = (root, path) => import(join(root, 'dist', path));

export function median(xs) {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let engine;
/** tfjs on the wasm backend (this project's engine, with its kernels), loaded once per process. */
export async function wasmEngine(root) {
  if (!engine) {
    const { initBackend, activateBackend } = await dist(root, 'engine/backend.js');
    const kernels = await dist(root, 'engine/wasm/index.js');
    const { tf } = await initBackend('wasm');
    engine = { tf, activate: (b) => activateBackend(tf, b), kernels };
  }
  await engine.activate('wasm');
  return engine;
}

/** GFLOP/s of one n x n x n matMul (result read back), after a warm-up. */
export function matmulOnce(tf, n) {
  return tf.tidy(() => {
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    tf.matMul(a, b).dataSync();
    const t0 = performance.now();
    tf.matMul(a, b).dataSync();
    return (2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9;
  });
}

/** The paper model: configs/paper/mmoe.yaml when present, else the same architecture inline. */
export function paperConfig(root) {
  const file = join(root, 'configs/paper/mmoe.yaml');
  if (existsSync(file)) return { file, source: 'configs/paper/mmoe.yaml' };
  const features = Array.from(
    { length: 100 },
    (_, i) => `  - { name: x${i}, type: numeric, normalization: none }`,
  ).join('\n');
  const spec = `specVersion: 1
name: paper_mmoe
data: { source: synthetic, generator: mmoe-synthetic, rows: 8000, testRows: 4000, seed: 1, correlation: 0.5, params: { d: 100, c: 1, m: 10, noise: 0.01 } }
features:
${features}
featureGroups:
  x: [${Array.from({ length: 100 }, (_, i) => `x${i}`).join(', ')}]
model:
  levels:
    - pools:
        - { name: experts, count: 8, units: [16], activation: relu }
      gates:
        - { name: gate_y1, pools: [experts] }
        - { name: gate_y2, pools: [experts] }
  towers:
    - { name: y1, input: gate_y1, units: [8] }
    - { name: y2, input: gate_y2, units: [8] }
tasks:
  - { name: y1, type: regression, label: y1, loss: mse, metrics: [mse, mae] }
  - { name: y2, type: regression, label: y2, loss: mse, metrics: [mse, mae] }
training: { optimizer: adam, learningRate: 0.001, batchSize: 512, epochs: 20, seed: 1, validationFraction: 0.1 }
`;
  const dir = mkdtempSync(join(tmpdir(), 'mmoe-bench-'));
  writeFileSync(join(dir, 'paper-mmoe.yaml'), spec);
  return { file: join(dir, 'paper-mmoe.yaml'), source: 'inline spec (configs/paper/mmoe.yaml absent)' };
}

/** The benchmark models, at batch 512. */
export function benchModels(root) {
  const paper = paperConfig(root);
  return [
    {
      key: 'ecom',
      label: 'ecom (seed: 3 experts [512,256,128], BN, leaky ReLU)',
      file: join(root, 'configs/ecom.yaml'),
      source: 'configs/ecom.yaml',
    },
    { key: 'paper', label: 'paper MMoE (8 experts x [16], 100 inputs)', file: paper.file, source: paper.source },
  ];
}

/** Spec, IR, cost and prepared data of a config (batch size forced to 512). */
export async function loadModelData(root, file) {
  const { checkSpec } = await dist(root, 'compiler/front.js');
  const { prepare } = await dist(root, 'driver/prepare.js');
  const { costOf } = await dist(root, 'compiler/cost.js');
  const checked = checkSpec(file, { sets: ['training.batchSize=512'] });
  if (!checked.spec) throw new Error(`${file}: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const p = await prepare(checked.spec, checked.loaded.absPath, checked.name);
  return { spec: checked.spec, ir: p.ir, prepared: p, flops: costOf(p.ir).flops };
}

/** The first n rows of a ModelData. */
export async function firstRows(root, data, n) {
  const { subset } = await dist(root, 'train/dataset.js');
  return subset(
    data,
    Int32Array.from({ length: Math.min(n, data.n) }, (_, i) => i),
  );
}

export async function epochRandom(root, seed) {
  const { deriveSeed, Rng } = await dist(root, 'data/random.js');
  return (e) => {
    const rng = new Rng(deriveSeed(seed, `epoch:${e}`));
    return () => rng.uniform();
  };
}

/**
 * Train a compiled model with the project's loop (trainModel) for `epochs` epochs over `data`;
 * returns examples/s per epoch (the loop's own timing: batches only) and, after each epoch, the
 * process RSS and the number of live tensors.
 */
export async function trainCompiled(root, tf, m, model, data, epochs, optimizer) {
  const { trainModel, createOptimizer } = await dist(root, 'train/loop.js');
  const training = { ...m.spec.training, epochs, earlyStopping: undefined };
  const after = [];
  const opt = optimizer ?? createOptimizer(tf, training);
  const r = await trainModel({
    tf,
    ir: m.ir,
    model,
    train: data,
    training,
    optimizer: opt,
    randomForEpoch: await epochRandom(root, training.seed),
    hooks: { onEpoch: () => after.push({ rss: process.memoryUsage().rss, tensors: tf.memory().numTensors }) },
  });
  if (!optimizer) opt.dispose();
  return { exs: r.history.map((h) => h.examplesPerSecond), losses: r.history.map((h) => h.loss), after };
}

/** Inference examples/s of a compiled model: predictAll over `data` in batches of 512. */
export async function inferCompiled(root, tf, model, data) {
  const { predictAll } = await dist(root, 'train/evaluate.js');
  const t0 = performance.now();
  await predictAll(tf, model, data, 512);
  return data.n / ((performance.now() - t0) / 1000);
}

export const fmt = {
  n: (x, d = 0) => (Number.isFinite(x) ? Number(x.toFixed(d)) : 'n/a'),
  mb: (bytes) => Number((bytes / 2 ** 20).toFixed(1)),
};

/**
 * A built model as a model folder and its exported PyTorch package, in a new temporary folder
 * (sections 70-torch and 71-onnx-vs-torch): returns { tmp, folder, pkg, serialized }.
 */
export async function torchPackageOf(root, tf, m, model, prefix) {
  const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { serializeModel } = await dist(root, 'compiler/build/index.js');
  const { torchPackage } = await dist(root, 'export/torch/export.js');
  const { stableJson } = await dist(root, 'util/stable-json.js');
  const serialized = await serializeModel(tf, model);
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const folder = join(tmp, 'model');
  mkdirSync(folder);
  writeFileSync(join(folder, 'model.json'), serialized.modelJson);
  writeFileSync(join(folder, 'weights.bin'), serialized.weightsBin);
  writeFileSync(join(folder, 'ir.json'), stableJson(m.ir));
  writeFileSync(join(folder, 'pipeline.json'), stableJson(m.prepared.pipeline.toJSON()));
  writeFileSync(join(folder, 'spec.json'), stableJson(m.spec));
  const pkg = join(tmp, 'pkg');
  mkdirSync(pkg);
  for (const [rel, content] of torchPackage(folder).files) writeFileSync(join(pkg, rel), content);
  return { tmp, folder, pkg, serialized };
}
