// (g) Serving engines: the same inference model (seed 1, auto lowering) on tfjs-wasm, ONNX
// Runtime's Node binding and ONNX Runtime Web (wasm), all single-threaded, interleaved round by
// round: examples/s at batch 512 and latency at batch 1; and score() of raw records (checks,
// pipeline, input building and the model call) against the bare model call at batch 1.
import { benchModels, dist, loadModelData, median, wasmEngine } from '../lib/common.mjs';

export const title = 'Serving engines: tfjs-wasm vs onnxruntime-node vs onnxruntime-web; score() vs the bare call';
export const note = [
  'One thread everywhere (tfjs-wasm has one; ONNX Runtime sessions get intraOpNumThreads 1, onnxruntime-web numThreads 1). The ONNX graph is `mmoe-compile export --format onnx` of the same model.json + weights. ' +
    'A "bare call" builds the input tensors from typed arrays already encoded, runs the model and reads the outputs back; `score()` takes raw records (plain objects) through the record checks, the fitted pipeline and the same call. ' +
    'Median over interleaved rounds; `x tfjs-wasm` = median of per-round ratios of rates (>1 = faster than tfjs-wasm on the same round); `score / bare` = median of per-round ratios of batch-1 latencies.',
].join('\n\n');

const ROUNDS = 7;

export async function run({ root }) {
  const { tf } = await wasmEngine(root);
  const { buildModel, serializeModel } = await dist(root, 'compiler/build/index.js');
  const { exportOnnx } = await dist(root, 'export/onnx/export.js');
  const { createOnnxSession } = await dist(root, 'export/onnx/runtime.js');
  const { loadServable } = await dist(root, 'serve/index.js');
  const { inputTensors, subset } = await dist(root, 'train/dataset.js');
  // onnxruntime-node is an optional dependency: without it the section says so and stops.
  const ortNode = await import('onnxruntime-node').catch((err) => {
    console.error(`70-engines: onnxruntime-node cannot be loaded (${err.message.split('\n')[0]}); section skipped`);
    return null;
  });
  if (!ortNode) return [];
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  const ortOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const out = [];
  for (const bench of benchModels(root)) {
    const m = await loadModelData(root, bench.file);
    const p = m.prepared;
    const model = buildModel(p.ir, tf, { seed: 1, training: false });
    const saved = await serializeModel(tf, model);
    const bytes = exportOnnx({ ir: p.ir, modelJson: JSON.parse(saved.modelJson), weights: saved.weightsBin }).bytes;
    const data = subset(
      p.test,
      Int32Array.from({ length: Math.min(512, p.test.n) }, (_, i) => i),
    );
    const sessions = {
      'onnxruntime-node': await createOnnxSession(ortNode, bytes, ortOptions),
      'onnxruntime-web': await createOnnxSession(ortWeb, bytes, ortOptions),
    };
    const columns = (n) =>
      model.inputNames.map((name) => {
        const c = data.inputs.get(name);
        const part = c.data.subarray(0, n * c.width);
        return {
          name,
          dtype: c.dtype,
          width: c.width,
          data:
            (c.dtype === 'int32') === part instanceof Int32Array
              ? part
              : c.dtype === 'int32'
                ? Int32Array.from(part)
                : Float32Array.from(part),
        };
      });
    const rows = (n) => Int32Array.from({ length: n }, (_, i) => i);
    const bare = {
      'tfjs-wasm': async (n) => {
        const xs = inputTensors(tf, data, rows(n), model.inputNames);
        const ys = model.predict(xs, { batchSize: n });
        for (const y of Array.isArray(ys) ? ys : [ys]) await y.data();
        tf.dispose([...xs, ...(Array.isArray(ys) ? ys : [ys])]);
      },
      'onnxruntime-node': (n) => sessions['onnxruntime-node'].run(columns(n), n),
      'onnxruntime-web': (n) => sessions['onnxruntime-web'].run(columns(n), n),
    };
    // Raw records: the test split's first rows, as a client sends them.
    const records = Array.from({ length: 64 }, (_, i) =>
      Object.fromEntries([...p.testTable.columns].map(([name, col]) => [name, col.missing[i] ? null : col.values[i]])),
    );
    const files = { modelJson: saved.modelJson, weights: saved.weightsBin, pipeline: p.pipeline.toJSON(), ir: p.ir };
    const servables = {
      'tfjs-wasm': await loadServable(files, { tf }),
      'onnxruntime-node': await loadServable(files, {
        engine: 'onnxruntime',
        ort: ortNode,
        ortSessionOptions: ortOptions,
      }),
      'onnxruntime-web': await loadServable(files, {
        engine: 'onnxruntime-web',
        ort: ortWeb,
        ortSessionOptions: ortOptions,
      }),
    };
    let next = 0;
    const score = (engine) => servables[engine].score([records[next++ % records.length]]);
    const engines = Object.keys(bare);
    const time = async (f, minMs) => {
      let reps = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < minMs) {
        await f();
        reps++;
      }
      return (performance.now() - t0) / reps;
    };
    const res = Object.fromEntries(engines.map((e) => [e, { b512: [], b1: [], s1: [] }]));
    for (const e of engines) {
      await bare[e](512);
      await bare[e](1);
      await score(e);
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const e of engines) {
        res[e].b512.push(await time(() => bare[e](512), 400));
        res[e].b1.push(await time(() => bare[e](1), 200));
        res[e].s1.push(await time(() => score(e), 200));
      }
    }
    const base = res['tfjs-wasm'];
    for (const e of engines) {
      const r = res[e];
      out.push({
        model: bench.label,
        engine: e,
        'ex/s batch 512': Math.round(median(r.b512.map((ms) => 512_000 / ms))),
        'x tfjs-wasm (512)': median(r.b512.map((ms, i) => base.b512[i] / ms)),
        'ms batch 1': median(r.b1),
        'x tfjs-wasm (1)': median(r.b1.map((ms, i) => base.b1[i] / ms)),
        'score() ms batch 1': median(r.s1),
        'score / bare (1)': median(r.s1.map((ms, i) => ms / r.b1[i])),
      });
    }
    for (const s of Object.values(servables)) s.dispose();
    for (const s of Object.values(sessions)) await s.release();
    model.dispose();
  }
  return out;
}
