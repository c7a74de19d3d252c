// (i) The fixed cost of a training step on a small model: the MMoE paper's model
// (configs/paper/mmoe.yaml: 100 numeric inputs, 8 experts x [16], two towers of [8]) trained at
// batch 128 on one thread, the configuration its study runs, in this tool (the project's loop,
// `trainModel`, on the wasm and cpu backends) and in PyTorch (the exported package's generated
// module, and the per-expert-loop model of bench/lib/loop_mmoe.py), in the same run. At this size
// a step is a few hundred small kernel calls, so what is measured is mostly per-step overhead.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { dist, median, paperConfig, torchPackageOf, trainCompiled, wasmEngine } from '../lib/common.mjs';

const BATCH = 128;
/** Outer rounds; each trains every tfjs variant EPOCHS epochs, then runs PyTorch for EPOCHS epochs. */
const ROUNDS = 5;
const EPOCHS = 3;

export const title = 'Paper MMoE training rate at batch 128, one thread: this tool vs PyTorch';
export const note = [
  `configs/paper/mmoe.yaml as configured (7,200 training rows, batch ${BATCH}, Adam, 57 steps per epoch): steps/s and examples/s of whole epochs, the loop's own timing (batches, loss reads and checks; not validation).`,
  `${ROUNDS} rounds; each round trains ${EPOCHS} epochs per tfjs backend in this process, then ${EPOCHS} epochs of each PyTorch model in one python process (its start-up and a warm-up epoch not timed). Rates are medians over all epochs; \`vs torch\` = median over rounds of (this row's median rate in the round ÷ the generated PyTorch module's), so load that changes between rounds cancels out.`,
  '`steps per CPU-second` counts the CPU time of the process instead of the wall clock (`process.cpuUsage` around the epochs here, `time.process_time` in python): on this shared 2-core machine other jobs stretch the wall time of both sides, much less their CPU time, so the CPU-time ratio is the steadier one. Its tfjs side includes what the loop does per epoch besides batches (a finite-weights check, weight snapshots), so it slightly understates tfjs.',
  'PyTorch: Debian python3-torch 1.13 with OpenBLAS, `torch.set_num_threads(1)`, Adam, batches in a seeded random order as in this tool; it drops the last partial batch (this tool trains it: 56 full batches + 32 rows).',
].join('\n\n');

export async function run({ root }) {
  const { findTorchPython } = await dist(root, 'export/torch/python.js');
  const { writeEncoded } = await dist(root, 'export/torch/engine.js');
  const { checkSpec } = await dist(root, 'compiler/front.js');
  const { prepare } = await dist(root, 'driver/prepare.js');
  const { buildModel } = await dist(root, 'compiler/build/index.js');
  const { createOptimizer } = await dist(root, 'train/loop.js');
  const { tf, activate } = await wasmEngine(root);
  const paper = paperConfig(root);
  const checked = checkSpec(paper.file, { sets: [`training.batchSize=${BATCH}`] });
  if (!checked.spec) throw new Error(`${paper.file}: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const prepared = await prepare(checked.spec, checked.loaded.absPath, checked.name);
  const m = { spec: checked.spec, ir: prepared.ir, prepared };
  const data = prepared.train;
  const steps = Math.ceil(data.n / BATCH);
  const py = findTorchPython();

  const backends = ['wasm', 'cpu'];
  const tfjs = {};
  for (const b of backends) {
    await activate(b);
    const model = buildModel(m.ir, tf, { seed: m.spec.training.seed });
    const optimizer = createOptimizer(tf, m.spec.training);
    await trainCompiled(root, tf, m, model, data, 1, optimizer); // warm-up
    tfjs[b] = { model, optimizer, exs: [], perRound: [], cpu: [] };
  }
  let torchDir;
  if (py.python) {
    await activate('wasm');
    const { tmp, pkg } = await torchPackageOf(root, tf, m, tfjs.wasm.model, 'mmoe-bench-small-');
    writeEncoded(join(tmp, 'data'), data);
    torchDir = { pkg, data: join(tmp, 'data') };
  }
  const torch = { generated: [], loop: [], perRound: { generated: [], loop: [] }, cpu: { generated: [], loop: [] } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of backends) {
      await activate(b);
      const t = tfjs[b];
      const c0 = process.cpuUsage();
      const { exs } = await trainCompiled(root, tf, m, t.model, data, EPOCHS, t.optimizer);
      const c = process.cpuUsage(c0);
      t.cpu.push((EPOCHS * data.n) / ((c.user + c.system) / 1e6));
      t.exs.push(...exs);
      t.perRound.push(median(exs));
    }
    if (!torchDir) continue;
    const bench = join(root, 'bench/lib/torch_bench.py');
    const env = { ...process.env, OMP_NUM_THREADS: '1' };
    const args = [bench, torchDir.pkg, torchDir.data, String(EPOCHS), String(BATCH), 'shuffle'];
    const res = spawnSync(py.python, args, { encoding: 'utf8', env });
    if (res.status !== 0) throw new Error(`torch_bench.py: ${res.stderr.slice(-2000)}`);
    const out = JSON.parse(res.stdout.trim().split('\n').pop());
    for (const k of ['generated', 'loop']) {
      torch[k].push(...out[k]);
      torch.perRound[k].push(median(out[k]));
      torch.cpu[k].push(median(out[`${k}_cpu`]));
    }
  }
  await activate('wasm');
  for (const b of backends) {
    tfjs[b].model.dispose();
    tfjs[b].optimizer.dispose();
  }
  const vsTorch = (perRound, ref = torch.perRound.generated) =>
    torchDir ? median(perRound.map((x, i) => x / ref[i])) : 'n/a (no torch)';
  const perCpu = (cpuRates) => (median(cpuRates) * steps) / data.n;
  const rows = backends.map((b) => ({
    engine: `mmoe-compile, tfjs ${b} (trainModel)`,
    'steps/s': (median(tfjs[b].exs) * steps) / data.n,
    'examples/s': median(tfjs[b].exs),
    'ms/step': (1000 * data.n) / (median(tfjs[b].exs) * steps),
    'vs torch': vsTorch(tfjs[b].perRound),
    'steps per CPU-second': perCpu(tfjs[b].cpu),
    'vs torch (CPU time)': vsTorch(tfjs[b].cpu, torch.cpu.generated),
  }));
  if (!torchDir)
    rows.push({
      engine: `PyTorch: skipped (${py.reason})`,
      'steps/s': '',
      'examples/s': '',
      'ms/step': '',
      'vs torch': '',
    });
  else
    for (const [k, label] of [
      ['generated', 'PyTorch 1 thread, generated module (targets/torch)'],
      ['loop', 'PyTorch 1 thread, per-expert loop (torch-rechub style)'],
    ])
      rows.push({
        engine: label,
        'steps/s': median(torch[k]) / BATCH,
        'examples/s': median(torch[k]),
        'ms/step': 1000 / (median(torch[k]) / BATCH),
        'vs torch': vsTorch(torch.perRound[k]),
        'steps per CPU-second': median(torch.cpu[k]) / BATCH,
        'vs torch (CPU time)': vsTorch(torch.cpu[k], torch.cpu.generated),
      });
  return rows;
}
