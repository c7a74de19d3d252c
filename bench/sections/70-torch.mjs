// The PyTorch engine (`train --engine torch`, the exported package) against the tfjs-wasm engine,
// training at batch 512: the seed model and the paper MMoE, same data, same run. Rows: tfjs-wasm
// (the project's loop), torch with 1 process x 1 thread (the generated module: a pool's experts
// as one batched product, a level's gates as one product), torch with 2 processes x 1 thread
// (DistributedDataParallel), and the same model written the way public PyTorch MMoE code writes
// it (torch-rechub: a loop over per-expert modules), 1 thread. Needs python3 with torch.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  benchModels,
  dist,
  firstRows,
  loadModelData,
  median,
  torchPackageOf,
  trainCompiled,
  wasmEngine,
} from '../lib/common.mjs';

export const title = 'PyTorch engine vs tfjs-wasm, training at batch 512';
export const note = [
  'ex/s = training examples per second (medians over rounds); ratios are medians of per-round ratios against tfjs-wasm (`vs tfjs`) and against the per-expert-loop PyTorch model (`vs loop`), measured interleaved.',
  'torch: Debian python3-torch with OpenBLAS, `torch.set_num_threads(1)`; the 2-process row runs under torchrun (gloo), each process one thread, on this 2-core machine.',
].join('\n\n');

export async function run({ root }) {
  const { findTorchPython, freePort, torchrunArgs } = await dist(root, 'export/torch/python.js');
  const py = findTorchPython();
  if (!py.python) return [{ model: '-', engine: `skipped: ${py.reason}` }];
  const { tf } = await wasmEngine(root);
  const { buildModel } = await dist(root, 'compiler/build/index.js');
  const { writeEncoded } = await dist(root, 'export/torch/engine.js');
  const rows = [];
  for (const bm of benchModels(root)) {
    const m = await loadModelData(root, bm.file);
    const batches = bm.key === 'ecom' ? 8 : 14;
    const data = await firstRows(root, m.prepared.train, 512 * batches);
    const model = buildModel(m.ir, tf, { seed: m.spec.training.seed });
    const { tmp, pkg } = await torchPackageOf(root, tf, m, model, 'mmoe-bench-torch-');
    writeEncoded(join(tmp, 'data'), data);
    const rounds = bm.key === 'ecom' ? 4 : 6;
    await trainCompiled(root, tf, m, model, data, 1); // warm-up
    const tfjs = (await trainCompiled(root, tf, m, model, data, rounds)).exs;
    model.dispose();
    const bench = join(root, 'bench/lib/torch_bench.py');
    const env = { ...process.env, OMP_NUM_THREADS: '1' };
    const one = spawnSync(py.python, [bench, pkg, join(tmp, 'data'), String(rounds)], { encoding: 'utf8', env });
    if (one.status !== 0) throw new Error(`torch_bench.py: ${one.stderr.slice(-2000)}`);
    const r1 = JSON.parse(one.stdout.trim().split('\n').pop());
    const two = spawnSync(
      py.python,
      [...torchrunArgs(2, await freePort()), bench, pkg, join(tmp, 'data'), String(rounds)],
      { encoding: 'utf8', env },
    );
    if (two.status !== 0) throw new Error(`torch_bench.py under torchrun: ${two.stderr.slice(-2000)}`);
    const r2 = JSON.parse(
      two.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(/^\[[^\]]*\]:/, ''))
        .filter((l) => l.startsWith('{'))
        .pop(),
    );
    const ratio = (a, b) => median(a.map((x, i) => x / b[Math.min(i, b.length - 1)]));
    rows.push({
      model: bm.label,
      engine: 'tfjs-wasm (1 thread)',
      'train ex/s': median(tfjs),
      'vs tfjs': 1,
      'vs loop': ratio(tfjs, r1.loop),
    });
    rows.push({
      model: bm.label,
      engine: 'torch, generated module, 1 process x 1 thread',
      'train ex/s': median(r1.generated),
      'vs tfjs': ratio(r1.generated, tfjs),
      'vs loop': ratio(r1.generated, r1.loop),
    });
    rows.push({
      model: bm.label,
      engine: 'torch, generated module, 2 processes (DDP)',
      'train ex/s': median(r2.generated),
      'vs tfjs': ratio(r2.generated, tfjs),
      'vs loop': ratio(r2.generated, r1.loop),
    });
    rows.push({
      model: bm.label,
      engine: 'torch, per-expert loop (torch-rechub style), 1 thread',
      'train ex/s': median(r1.loop),
      'vs tfjs': ratio(r1.loop, tfjs),
      'vs loop': 1,
    });
  }
  return rows;
}
