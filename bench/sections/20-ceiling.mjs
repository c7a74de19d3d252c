// (a) The ceiling: the backend's own matMul rate, the best case for any model's arithmetic.
import { matmulOnce, median, wasmEngine } from '../lib/common.mjs';

export const title = "Ceiling: the backend's own matMul rate (GFLOP/s)";
export const note =
  'One n x n x n `tf.matMul` with the result read back, 2n³ FLOPs; median, min and max of `runs` runs after a warm-up. ' +
  'wasm is single-threaded (tfjs disables wasm threads under Node). The cpu backend (pure JS) is measured at small sizes for reference only. ' +
  'The training and inference tables below compare against the wasm 1024³ rate, measured again inside their own rounds.';

export async function run({ root, shared }) {
  const { tf, activate } = await wasmEngine(root);
  const rows = [];
  const measure = (backend, n, runs) => {
    const rates = Array.from({ length: runs }, () => matmulOnce(tf, n));
    rows.push({
      backend,
      n,
      runs,
      'GFLOP/s (median)': median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
    });
    return median(rates);
  };
  for (const n of [256, 512, 1024]) {
    const r = measure('wasm', n, n === 1024 ? 9 : 15);
    if (n === 1024) shared.ceiling = r;
  }
  await activate('cpu');
  for (const n of [128, 256]) measure('cpu', n, 5);
  await activate('wasm');
  return rows;
}
