// Where a training step's time goes: tf.profile of one optimizer step (forward, backward, Adam)
// of each benchmark model, kernels grouped by name; median of 3 profiled steps.
import { dist, benchModels, firstRows, loadModelData, median, wasmEngine } from '../lib/common.mjs';

export const title = 'Profile of one training step (wasm, batch 512): top kernels';
export const note =
  'tf.profile around one `optimizer.minimize` step after warm-up; per kernel name: calls and milliseconds (the wasm backend times each kernel with wall-clock time), median over 3 profiled steps. ' +
  '`share of kernel time` excludes nested op scopes (customGrad) so the shares add to 100%. Profiling times every kernel and slows the step; `JS / engine overhead` = profiled step wall time minus kernel time.';

export async function run({ root }) {
  const { tf } = await wasmEngine(root);
  const { buildModel } = await dist(root, 'compiler/build/index.js');
  const { inputTensors, gatherRows } = await dist(root, 'train/dataset.js');
  const { taskLoss } = await dist(root, 'train/loss.js');
  const { createOptimizer } = await dist(root, 'train/loop.js');
  const rows = [];
  for (const bm of benchModels(root)) {
    const m = await loadModelData(root, bm.file);
    const data = await firstRows(root, m.prepared.train, 512);
    const all = Int32Array.from({ length: data.n }, (_, i) => i);
    const model = buildModel(m.ir, tf, { seed: 1 });
    const optimizer = createOptimizer(tf, m.spec.training);
    const tasks = m.ir.tasks.filter((t) => t.label !== null);
    const step = () => {
      const loss = tf.tidy(() => {
        const xs = inputTensors(tf, data, all, model.inputNames);
        const ys = tasks.map((t) => tf.tensor1d(gatherRows(data.labels.get(t.name), all)));
        const ms = tasks.map((t) => tf.tensor1d(gatherRows(data.masks.get(t.name), all)));
        return optimizer.minimize(() => {
          const outs = model.apply(xs, { training: true });
          const list = Array.isArray(outs) ? outs : [outs];
          return tf.addN(tasks.map((t, k) => taskLoss(tf, t, list[model.outputNames.indexOf(t.name)], ys[k], ms[k])));
        }, true);
      });
      loss.dataSync();
      loss.dispose();
    };
    for (let i = 0; i < 3; i++) step();
    const walls = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      step();
      walls.push(performance.now() - t0);
    }
    const byName = new Map();
    const totals = [];
    const profiledWalls = [];
    let calls = 0;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const info = await tf.profile(step);
      profiledWalls.push(performance.now() - t0);
      const kernels = info.kernels.filter((k) => !k.name.endsWith('__op') && k.name !== 'unnamed scope');
      calls = kernels.length;
      const sums = new Map();
      for (const k of kernels) {
        const e = sums.get(k.name) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += k.kernelTimeMs;
        sums.set(k.name, e);
      }
      totals.push([...sums.values()].reduce((a, e) => a + e.ms, 0));
      for (const [n, e] of sums) byName.set(n, [...(byName.get(n) ?? []), e]);
    }
    const kernelMs = median(totals);
    const wall = median(walls);
    const profiledWall = median(profiledWalls);
    const top = [...byName]
      .map(([name, es]) => ({ name, n: es[0].n, ms: median(es.map((e) => e.ms)) }))
      .sort((a, b) => b.ms - a.ms);
    for (const k of top.slice(0, bm.key === 'ecom' ? 10 : 8)) {
      rows.push({
        model: bm.key,
        kernel: k.name,
        'calls/step': k.n,
        ms: k.ms,
        'share of kernel time': `${((100 * k.ms) / kernelMs).toFixed(1)}%`,
      });
    }
    const rest = top.slice(bm.key === 'ecom' ? 10 : 8);
    rows.push({
      model: bm.key,
      kernel: `(${rest.length} other kernels)`,
      'calls/step': rest.reduce((a, k) => a + k.n, 0),
      ms: rest.reduce((a, k) => a + k.ms, 0),
      'share of kernel time': `${((100 * rest.reduce((a, k) => a + k.ms, 0)) / kernelMs).toFixed(1)}%`,
    });
    const overhead = Math.max(0, profiledWall - kernelMs);
    rows.push({
      model: bm.key,
      kernel: 'all kernels',
      'calls/step': calls,
      ms: kernelMs,
      'share of kernel time': `${((100 * kernelMs) / profiledWall).toFixed(1)}% of the profiled step`,
    });
    rows.push({
      model: bm.key,
      kernel: 'JS / engine overhead',
      'calls/step': '',
      ms: overhead,
      'share of kernel time': `${((100 * overhead) / profiledWall).toFixed(1)}% of the profiled step`,
    });
    rows.push({
      model: bm.key,
      kernel: 'step (wall: profiled / unprofiled)',
      'calls/step': '',
      ms: `${profiledWall.toFixed(1)} / ${wall.toFixed(1)}`,
      'share of kernel time': '',
    });
    optimizer.dispose();
    model.dispose();
  }
  return rows;
}
