// ONNX Runtime's outputs for a random batch (test/build/fixtures.ts), by output name: one
// [rows, width] tensor per model input, float32 where the graph declares it, int32 ids otherwise.
// Shared by the ONNX parity tests; the runtime (onnxruntime-node or -web) is passed in.
import type * as ortNode from 'onnxruntime-node';
import type { Batch } from './fixtures.js';

export type Ort = typeof ortNode;

export async function runOrt(
  ort: Ort,
  bytes: Uint8Array,
  batch: Batch,
  inputs: string[],
): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
    for (const name of inputs) {
      const rows = batch[name];
      const isFloat = session.inputMetadata.some((m) => m.name === name && m.isTensor && m.type === 'float32');
      const flat = rows.flat();
      feeds[name] = new ort.Tensor(
        isFloat ? 'float32' : 'int32',
        isFloat ? Float32Array.from(flat) : Int32Array.from(flat),
        [rows.length, rows[0].length],
      );
    }
    const out = await session.run(feeds);
    return Object.fromEntries(session.outputNames.map((n) => [n, Array.from(out[n].data as Float32Array)]));
  } finally {
    await session.release();
  }
}
