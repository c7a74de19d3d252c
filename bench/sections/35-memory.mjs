// Memory across epochs: process RSS (after a full GC) and live tensors after each epoch of the
// project's training loop, in a fresh process per model. Flat = no growth per epoch.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchModels, fmt } from '../lib/common.mjs';

export const title = 'Memory across epochs (RSS after GC, wasm heap, live tensors; fresh process per model)';
export const note =
  'Compiled model trained with `trainModel` on the full training split, validation after every epoch, early stopping off, then evaluated on the test split; ' +
  'each sample is taken after `gc()` (node --expose-gc). The wasm heap grows to its high-water mark and is never returned to the OS (WebAssembly memory cannot shrink); growth after epoch 1 would be a leak. ' +
  'The leak test (test/speed/leaks.test.ts) asserts the tensor count.';

export async function run({ root }) {
  const rows = [];
  for (const bm of benchModels(root)) {
    const epochs = bm.key === 'ecom' ? 5 : 20;
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', join(root, 'bench/lib/memory-child.mjs'), root, bm.key, String(epochs)],
      { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (r.status !== 0) throw new Error(`memory child for ${bm.key} exited ${r.status}: ${r.stderr}`);
    const { label, trainRows, samples } = JSON.parse(r.stdout.trim().split('\n').pop());
    const epochsOnly = samples.filter((s) => s.label.startsWith('epoch'));
    const later = epochsOnly.slice(1).map((s) => s.rss);
    const first = epochsOnly[0];
    const last = epochsOnly.at(-1);
    const evald = samples.at(-1);
    rows.push({
      model: label,
      epochs,
      'train rows': trainRows,
      'RSS after epoch 1 (MiB)': fmt.mb(first.rss),
      'RSS after last epoch (MiB)': fmt.mb(last.rss),
      'RSS max - min, epochs 2..last (MiB)': fmt.mb(Math.max(...later) - Math.min(...later)),
      'wasm heap epoch 1 / last (MiB)': `${fmt.mb(first.wasmHeap)} / ${fmt.mb(last.wasmHeap)}`,
      'JS heap epoch 1 / last (MiB)': `${fmt.mb(first.heapUsed)} / ${fmt.mb(last.heapUsed)}`,
      'tensors epoch 1 / last / after evaluate': `${first.tensors} / ${last.tensors} / ${evald.tensors}`,
    });
  }
  return rows;
}
