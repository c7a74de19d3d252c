// Model-ready data: one typed array per model input (row-major, `width` values per row), one
// label array and one loss-mask array per task. Batches are gathered by row index, so shuffling
// and splitting never copy the whole set.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../engine/tf.js';

export type { Tf };

export interface InputColumn {
  dtype: 'float32' | 'int32';
  /** Values per row: 1 for scalars, maxLength for sequences. */
  width: number;
  data: Float32Array | Int32Array;
}

export interface ModelData {
  n: number;
  inputs: Map<string, InputColumn>;
  /** Per task with a label: the label (0/1 or a number) and a mask (1 = counts in the loss). */
  labels: Map<string, Float32Array>;
  masks: Map<string, Float32Array>;
  /** Row scenario index (0..S-1, S = unknown), when the spec has scenarios. */
  scenario?: Int32Array;
  /** Per task whose mask holds sample weights: the weight column. */
  weightedBy?: Map<string, string>;
}

export function gatherColumn(col: InputColumn, rows: ArrayLike<number>): Float32Array | Int32Array {
  const w = col.width;
  const { data } = col;
  // One loop per array type keeps each monomorphic (a shared loop over the union type was a
  // tenth of a training step for a model with 100 numeric inputs).
  if (col.dtype === 'int32' && data instanceof Int32Array)
    return w === 1 ? gatherInt32(data, rows) : gatherRowsOf(data, new Int32Array(rows.length * w), rows, w);
  if (col.dtype === 'float32' && data instanceof Float32Array)
    return w === 1 ? gatherRows(data, rows) : gatherRowsOf(data, new Float32Array(rows.length * w), rows, w);
  const out = col.dtype === 'int32' ? new Int32Array(rows.length * w) : new Float32Array(rows.length * w);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < w; j++) out[i * w + j] = data[rows[i] * w + j];
  return out;
}

function gatherInt32(a: Int32Array, rows: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]];
  return out;
}

function gatherRowsOf<T extends Float32Array | Int32Array>(a: T, out: T, rows: ArrayLike<number>, w: number): T {
  for (let i = 0; i < rows.length; i++) out.set(a.subarray(rows[i] * w, rows[i] * w + w), i * w);
  return out;
}

export function gatherRows(a: Float32Array, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]];
  return out;
}

/** rows[i] === rows[0] + i for every i (a block of consecutive rows, as prediction reads them). */
function consecutive(rows: ArrayLike<number>): boolean {
  const first = rows[0];
  for (let i = 1; i < rows.length; i++) if (rows[i] !== first + i) return false;
  return rows.length > 0;
}

/** Input tensors for the rows, keyed by model input name (the caller disposes them). */
export function inputTensors(
  tf: Tf,
  data: ModelData,
  rows: ArrayLike<number>,
  inputNames: readonly string[],
): tfType.Tensor[] {
  // Consecutive rows are a view of each column: no gather, one copy into the backend.
  const block = consecutive(rows);
  return inputNames.map((name) => {
    const col = data.inputs.get(name);
    if (!col) throw new Error(`the data has no column for model input "${name}"`);
    const values =
      block && (col.dtype === 'int32') === col.data instanceof Int32Array
        ? col.data.subarray(rows[0] * col.width, (rows[0] + rows.length) * col.width)
        : gatherColumn(col, rows);
    return tf.tensor2d(values, [rows.length, col.width], col.dtype);
  });
}

/** A subset of the rows as its own ModelData (used for train / validation splits). */
export function subset(data: ModelData, rows: ArrayLike<number>): ModelData {
  const inputs = new Map<string, InputColumn>();
  for (const [k, c] of data.inputs) inputs.set(k, { ...c, data: gatherColumn(c, rows) });
  const labels = new Map([...data.labels].map(([k, v]) => [k, gatherRows(v, rows)] as const));
  const masks = new Map([...data.masks].map(([k, v]) => [k, gatherRows(v, rows)] as const));
  const out: ModelData = { n: rows.length, inputs, labels, masks };
  if (data.weightedBy) out.weightedBy = data.weightedBy;
  if (data.scenario) {
    const s = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) s[i] = data.scenario[rows[i]];
    out.scenario = s;
  }
  return out;
}
