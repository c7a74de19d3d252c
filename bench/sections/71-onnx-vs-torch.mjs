// (h) mmoe-compile's ONNX export against the same model written straightforwardly in PyTorch
// (bench/lib/loop_mmoe.py: a loop over per-expert modules, as torch-rechub writes MMoE) and exported
// with torch.onnx.export: both graphs on onnxruntime-node, one thread, interleaved rounds; batch
// 512 throughput and batch-1 latency. Needs python3 with torch (Debian's python3-torch).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchModels, dist, loadModelData, median, torchPackageOf, wasmEngine } from '../lib/common.mjs';

export const title =
  'ONNX graphs on onnxruntime-node: mmoe-compile export vs torch.onnx.export of a per-expert-loop PyTorch MMoE';
export const note =
  'Both graphs have the same shapes (features, embeddings, experts, gates, towers); weights differ (irrelevant to speed). ' +
  'intraOpNumThreads 1. `ours / torch` = median of per-round ratios of rates (>1: the mmoe-compile graph is faster).';

const ROUNDS = 9;

async function timeRuns(fn, reps) {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

export async function run({ root }) {
  const { findTorchPython } = await dist(root, 'export/torch/python.js');
  const py = findTorchPython();
  if (!py.python) return [{ model: '-', batch: `skipped: ${py.reason}` }];
  const ort = await import('onnxruntime-node').catch(() => null);
  if (!ort) return [{ model: '-', batch: 'skipped: onnxruntime-node cannot be loaded' }];
  const { tf } = await wasmEngine(root);
  const { buildModel } = await dist(root, 'compiler/build/index.js');
  const { exportOnnx } = await dist(root, 'export/onnx/export.js');
  const opts = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const rows = [];
  for (const bm of benchModels(root)) {
    const m = await loadModelData(root, bm.file);
    const model = buildModel(m.ir, tf, { seed: 1, training: false });
    const { tmp, pkg, serialized: s } = await torchPackageOf(root, tf, m, model, 'mmoe-bench-onnx-torch-');
    const ours = exportOnnx({ ir: m.ir, modelJson: JSON.parse(s.modelJson), weights: s.weightsBin }).bytes;
    const theirsFile = join(tmp, 'torch.onnx');
    const r = spawnSync(py.python, [join(root, 'bench/lib/torch_onnx_export.py'), pkg, theirsFile], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`torch_onnx_export.py: ${r.stderr.slice(-1500)}`);
    const sessions = {
      ours: await ort.InferenceSession.create(ours, opts),
      torch: await ort.InferenceSession.create(readFileSync(theirsFile), opts),
    };
    const data = m.prepared.test;
    const feeds = (session, n) => {
      const f = {};
      for (const name of session.inputNames) {
        const c = data.inputs.get(name);
        const meta = model.inputs[model.inputNames.indexOf(name)];
        const want = session === sessions.torch && meta.dtype === 'int32' ? 'int64' : meta.dtype;
        const part = c.data.subarray(0, n * c.width);
        const values =
          want === 'int64'
            ? BigInt64Array.from(part, (v) => BigInt(v))
            : want === 'int32'
              ? Int32Array.from(part)
              : Float32Array.from(part);
        f[name] = new ort.Tensor(want, values, [n, c.width]);
      }
      return f;
    };
    model.dispose();
    for (const n of [512, 1]) {
      const f = { ours: feeds(sessions.ours, n), torch: feeds(sessions.torch, n) };
      const reps = n === 1 ? 200 : 10;
      for (const k of ['ours', 'torch']) await timeRuns(() => sessions[k].run(f[k]), 3); // warm-up
      const t = { ours: [], torch: [] };
      for (let i = 0; i < ROUNDS; i++)
        for (const k of ['ours', 'torch']) t[k].push(await timeRuns(() => sessions[k].run(f[k]), reps));
      rows.push({
        model: bm.label,
        batch: n,
        'mmoe-compile ONNX, ms/call': median(t.ours),
        'torch.onnx.export, ms/call': median(t.torch),
        'ours / torch (speed)': median(t.ours.map((x, i) => t.torch[i] / x)),
      });
    }
  }
  return rows;
}
