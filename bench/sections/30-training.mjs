// (b) Training and inference throughput of the compiled models at batch 512, as achieved
// GFLOP/s and as a share of the backend's matMul rate; (c) the same architectures written by
// hand in plain tfjs, on this engine and on tfjs as shipped.
import {
  dist,
  benchModels,
  firstRows,
  inferCompiled,
  loadModelData,
  matmulOnce,
  median,
  trainCompiled,
  wasmEngine,
} from '../lib/common.mjs';
import { handWritten } from '../lib/handwritten.mjs';

export const title = 'Training and inference at batch 512 (wasm, one thread)';
export const note = [
  'FLOPs per example from cost.ts (forward pass: 2·in·out + out per Dense, batch norm 2/unit, activation 1/unit, gates and mixing); ' +
    '**training counts 3x the forward FLOPs** (forward, plus the two products of the backward pass), ignoring the optimizer update and embedding gathers; inference counts 1x.',
  '`share of ceiling` = achieved GFLOP/s ÷ the wasm 1024³ matMul rate measured in the same round (median of per-round ratios); `vs hand-written` likewise, compiled ÷ hand-written (same engine).',
  "Compiled training runs the project's own loop (`trainModel`: seeded batch order, JS gathers, one tidy per step, losses read every 8 batches); inference runs `predictAll` in batches of 512 on the inference graph.",
  'Hand-written = bench/lib/handwritten.mjs: raw tfjs ops, tf.moments + tf.batchNorm, tf.train.adam, loss read every batch. "stock tfjs" rows swap this engine\'s wasm kernels for tfjs-backend-wasm\'s own (restoreStockWasmKernels); the compiled model then keeps its lowering, batch-norm gradient and fused Adam.',
].join('\n\n');

const seedOf = (m) => m.spec.training.seed;

export async function run({ root, shared }) {
  const { tf, kernels } = await wasmEngine(root);
  const { buildModel, resolveLowering } = await dist(root, 'compiler/build/index.js');
  const { createOptimizer, permutation } = await dist(root, 'train/loop.js');
  const out = [];
  shared.training ??= {};
  for (const bm of benchModels(root)) {
    const m = await loadModelData(root, bm.file);
    const batches = bm.key === 'ecom' ? 10 : 14;
    const data = await firstRows(root, m.prepared.train, 512 * batches);
    const order = permutation(data.n, () => 0.5);
    const lowering = resolveLowering(m.ir, {});
    const compiled = buildModel(m.ir, tf, { seed: seedOf(m) });
    const serving = buildModel(m.ir, tf, { seed: seedOf(m), training: false });
    const optimizer = createOptimizer(tf, m.spec.training);
    const hand = await handWritten(root, tf, bm.key, m);
    // warm-up (kernel set-up, XNNPACK operators, first allocations)
    await trainCompiled(root, tf, m, compiled, data, 1, optimizer);
    await hand.train(data, order);
    await inferCompiled(root, tf, serving, data);
    await hand.infer(data);

    const r = { ceiling: [], cTrain: [], hTrain: [], cInfer: [], hInfer: [] };
    const rounds = bm.key === 'ecom' ? 5 : 9;
    for (let i = 0; i < rounds; i++) {
      r.ceiling.push(matmulOnce(tf, 1024));
      r.cTrain.push((await trainCompiled(root, tf, m, compiled, data, 1, optimizer)).exs[0]);
      r.hTrain.push(await hand.train(data, order));
      r.cInfer.push(await inferCompiled(root, tf, serving, data));
      r.hInfer.push(await hand.infer(data));
    }
    // tfjs as shipped: fewer rounds (several times slower)
    const s = { ceiling: [], cTrain: [], hTrain: [], cInfer: [], hInfer: [] };
    kernels.restoreStockWasmKernels(tf);
    try {
      const few = await firstRows(root, data, 512 * (bm.key === 'ecom' ? 3 : batches));
      const fewOrder = permutation(few.n, () => 0.5);
      await hand.train(few, fewOrder);
      for (let i = 0; i < (bm.key === 'ecom' ? 2 : 5); i++) {
        s.ceiling.push(matmulOnce(tf, 1024));
        s.cTrain.push((await trainCompiled(root, tf, m, compiled, few, 1, optimizer)).exs[0]);
        s.hTrain.push(await hand.train(few, fewOrder));
        s.cInfer.push(await inferCompiled(root, tf, serving, few));
        s.hInfer.push(await hand.infer(few));
      }
    } finally {
      kernels.registerWasmKernels(tf);
    }
    const trainFlops = 3 * m.flops;
    const share = (rates, ceil, flops) => median(rates.map((x, i) => (x * flops) / 1e9 / ceil[i]));
    const ratio = (a, b) => median(a.map((x, i) => x / b[i]));
    const row = (variant, set, train, infer, vs) => ({
      model: bm.label,
      variant,
      'train ex/s': median(set[train]),
      'train GFLOP/s': (median(set[train]) * trainFlops) / 1e9,
      'train share of ceiling': share(set[train], set.ceiling, trainFlops),
      'infer ex/s': median(set[infer]),
      'infer GFLOP/s': (median(set[infer]) * m.flops) / 1e9,
      'infer share of ceiling': share(set[infer], set.ceiling, m.flops),
      'vs hand-written (train / infer)': vs,
      'ceiling GFLOP/s': median(set.ceiling),
    });
    const vsTrain = ratio(r.cTrain, r.hTrain);
    const vsInfer = ratio(r.cInfer, r.hInfer);
    out.push(
      row(
        `compiled (auto: experts ${lowering.experts}, gates ${lowering.gates})`,
        r,
        'cTrain',
        'cInfer',
        `${vsTrain.toFixed(2)} / ${vsInfer.toFixed(2)}`,
      ),
    );
    out.push(row('hand-written, this engine', r, 'hTrain', 'hInfer', '1'));
    out.push(
      row(
        'compiled, stock tfjs-wasm kernels',
        s,
        'cTrain',
        'cInfer',
        `${ratio(s.cTrain, s.hTrain).toFixed(2)} / ${ratio(s.cInfer, s.hInfer).toFixed(2)}`,
      ),
    );
    out.push(row('hand-written, stock tfjs-wasm', s, 'hTrain', 'hInfer', '1'));
    shared.training[bm.key] = {
      trainExs: median(r.cTrain),
      trainShare: share(r.cTrain, r.ceiling, trainFlops),
      vsHand: vsTrain,
      flops: m.flops,
      source: bm.source,
    };
    compiled.dispose();
    serving.dispose();
    optimizer.dispose();
    hand.dispose();
  }
  return out;
}
