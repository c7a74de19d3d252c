// Child process of bench/sections/35-memory.mjs (run with --expose-gc): trains one benchmark
// model with the project's loop and prints, after each epoch and a full GC, the process memory
// and the live tensors as one JSON line.
import { benchModels, dist, epochRandom, loadModelData, wasmEngine } from './common.mjs';

const [root, key, epochs] = process.argv.slice(2);
const { tf } = await wasmEngine(root);
const bm = benchModels(root).find((b) => b.key === key);
const m = await loadModelData(root, bm.file);
const { buildModel } = await dist(root, 'compiler/build/index.js');
const { trainModel, createOptimizer } = await dist(root, 'train/loop.js');
const { evaluateModel } = await dist(root, 'train/evaluate.js');
const model = buildModel(m.ir, tf, { seed: m.spec.training.seed });
const training = { ...m.spec.training, epochs: Number(epochs), earlyStopping: undefined };
const optimizer = createOptimizer(tf, training);
const sample = (label) => {
  globalThis.gc();
  const u = process.memoryUsage();
  const wasmHeap = tf.backend().wasm?.HEAPU8?.length ?? 0;
  return {
    label,
    rss: u.rss,
    heapUsed: u.heapUsed,
    arrayBuffers: u.arrayBuffers,
    wasmHeap,
    tensors: tf.memory().numTensors,
    tensorBytes: tf.memory().numBytes,
  };
};
const samples = [];
await trainModel({
  tf,
  ir: m.ir,
  model,
  train: m.prepared.train,
  validation: m.prepared.validation,
  training,
  optimizer,
  randomForEpoch: await epochRandom(root, training.seed),
  hooks: { onEpoch: (row) => samples.push(sample(`epoch ${row.epoch}`)) },
});
await evaluateModel(tf, m.ir, model, m.prepared.test);
samples.push(sample('after evaluate'));
process.stdout.write(JSON.stringify({ label: bm.label, trainRows: m.prepared.train.n, samples }) + '\n');
