// (d) Expert and gate lowerings, per backend: the same function built four ways, timed as
// training steps and as inference batches of 512, interleaved round by round.
import { dist, benchModels, firstRows, loadModelData, median, wasmEngine } from '../lib/common.mjs';

export const title = 'Lowerings: experts separate | fused, gates separate | fused (batch 512)';
export const note = [
  "experts `separate`: one Dense chain per expert; `fused`: layer 0 of all experts as one Dense(E·units) (the seed note's input_dim × units × experts trick), deeper layers as GroupedDense (one batched matMul, run slice by slice through XNNPACK on wasm). " +
    'gates `separate`: one Dense per gate; `fused`: one Dense for all gates of a level that read the same inputs, split by GateSoftmax.',
  'Training: one optimizer step (forward, backward, Adam) on a fixed batch; inference: `model.predict` on a fixed batch with the inference graph. Median ms over interleaved rounds; `vs separate/separate` = median of per-round ratios of step times (>1 = faster). `auto` marks what resolveLowering picks for the backend.',
  "cpu runs the seed model at 64 rows per step (the pure-JS backend is ~40x slower), so its absolute numbers are not comparable with wasm's.",
].join('\n\n');

const LOWERINGS = [
  ['separate', 'separate'],
  ['fused', 'separate'],
  ['separate', 'fused'],
  ['fused', 'fused'],
];

export async function run({ root }) {
  const { tf, activate } = await wasmEngine(root);
  const { buildModel, resolveLowering } = await dist(root, 'compiler/build/index.js');
  const { inputTensors, gatherRows } = await dist(root, 'train/dataset.js');
  const { taskLoss } = await dist(root, 'train/loss.js');
  const { createOptimizer } = await dist(root, 'train/loop.js');
  const out = [];
  const plans = [
    ['wasm', 'ecom', 512, 5],
    ['wasm', 'paper', 512, 15],
    ['cpu', 'ecom', 64, 2],
    ['cpu', 'paper', 512, 5],
  ];
  const models = Object.fromEntries(
    await Promise.all(benchModels(root).map(async (b) => [b.key, { bench: b, m: await loadModelData(root, b.file) }])),
  );
  for (const [backend, key, rows, rounds] of plans) {
    await activate(backend);
    const { bench, m } = models[key];
    const data = await firstRows(root, m.prepared.train, rows);
    const all = Int32Array.from({ length: data.n }, (_, i) => i);
    const lossTasks = m.ir.tasks.filter((t) => t.label !== null);
    const auto = resolveLowering(m.ir, {}, backend);
    const variants = LOWERINGS.map(([experts, gates]) => {
      const lowering = { experts, gates };
      const model = buildModel(m.ir, tf, { seed: 1, lowering });
      const serving = buildModel(m.ir, tf, { seed: 1, lowering, training: false });
      const optimizer = createOptimizer(tf, m.spec.training);
      const xs = inputTensors(tf, data, all, model.inputNames);
      const ys = lossTasks.map((t) => tf.tensor1d(gatherRows(data.labels.get(t.name), all)));
      const ms = lossTasks.map((t) => tf.tensor1d(gatherRows(data.masks.get(t.name), all)));
      const step = () => {
        const loss = optimizer.minimize(() => {
          const outs = model.apply(xs, { training: true });
          const list = Array.isArray(outs) ? outs : [outs];
          return tf.addN(
            lossTasks.map((t, k) => taskLoss(tf, t, list[model.outputNames.indexOf(t.name)], ys[k], ms[k])),
          );
        }, true);
        loss.dataSync();
        loss.dispose();
      };
      const infer = () => {
        const o = serving.predict(xs, { batchSize: data.n });
        for (const t of Array.isArray(o) ? o : [o]) t.dataSync();
        tf.dispose(o);
      };
      return {
        experts,
        gates,
        model,
        serving,
        optimizer,
        tensors: [...xs, ...ys, ...ms],
        step,
        infer,
        train: [],
        inf: [],
      };
    });
    const time = (f, reps) => {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f();
      return (performance.now() - t0) / reps;
    };
    const reps = backend === 'wasm' && key === 'paper' ? 10 : 1;
    for (const v of variants) {
      v.step();
      v.infer();
    }
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        v.train.push(time(v.step, reps));
        v.inf.push(time(v.infer, reps));
      }
    }
    const base = variants[0];
    for (const v of variants) {
      out.push({
        backend,
        model: bench.label,
        rows,
        experts: v.experts,
        gates: v.gates,
        auto: v.experts === auto.experts && v.gates === auto.gates ? 'auto' : '',
        'train step ms': median(v.train),
        'train vs separate/separate': median(v.train.map((t, i) => base.train[i] / t)),
        'infer ms': median(v.inf),
        'infer vs separate/separate': median(v.inf.map((t, i) => base.inf[i] / t)),
      });
    }
    for (const v of variants) {
      tf.dispose(v.tensors);
      v.model.dispose();
      v.serving.dispose();
      v.optimizer.dispose();
    }
  }
  await activate('wasm');
  return out;
}
