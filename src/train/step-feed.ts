// A training step's inputs, with the feature groups concatenated on the host.
//
// A feature group is a Concatenate layer over model inputs (the paper's MMoE: 100 numeric inputs
// of width 1 into one [batch, 100] group). Fed as the model's inputs, each step uploads one tensor
// per input, and under optimizer.minimize the tape clones every one of them for the concat's
// gradient (tfjs saves all of a Concat's inputs) and records a tape node per clone: about 200
// kernel calls of fixed cost per step, for values that need no gradient (no variable is upstream
// of a model input). Here the group's [batch, width] values are gathered on the host straight into
// one tensor, made outside the tape, and the Concatenate layer returns it during the step. A
// concat copies values, so the tensor holds the same float32 values in the same layout
// (row-major, inputs in the layer's order) and training is bit-for-bit unchanged.
//
// The layer's call is patched on that instance only while training runs (release() restores it),
// and the patch answers only a call whose inputs are this feed's placeholders: every other call
// (evaluation, prediction during training) runs the original concat.
import type * as tfType from '@tensorflow/tfjs';
import { inputTensors, type InputColumn, type ModelData, type Tf } from './dataset.js';

/** A layer as tfjs-layers' executor calls it (instance fields the public typings hide). */
interface CallableLayer {
  call(inputs: tfType.Tensor | tfType.Tensor[], kwargs: Record<string, unknown>): tfType.Tensor | tfType.Tensor[];
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  /** Input layers: [batch, ...shape]. */
  batchInputShape?: (number | null)[];
  inboundNodes: { inboundLayers: CallableLayer[] }[];
  outboundNodes: { outboundLayer: CallableLayer }[];
  name: string;
}

interface Group {
  layer: CallableLayer;
  /** Model input positions, in the layer's input order. */
  inputs: number[];
  columns: Float32Array[];
  widths: number[];
  width: number;
  /** All rows, row-major, when small enough (ROW_MAJOR_MAX_VALUES). */
  rows?: Float32Array;
  /** The tensor the layer returns for the current step (owned by the step's tidy). */
  value?: tfType.Tensor;
}

export interface StepFeed {
  /** The model's input list for these rows; tensors belong to the caller's tidy scope. */
  inputs(rows: Int32Array): tfType.Tensor[];
  /** Host-concatenated feature groups (0: every input is fed as a tensor of its own). */
  readonly groups: number;
  /** Restore the patched layers and free the placeholders. */
  release(): void;
}

/** Concatenate layers of float32 model inputs, each input consumed only by such layers. */
function hostGroups(model: tfType.LayersModel, data: ModelData, inputNames: readonly string[]): Group[] {
  const layers = model.layers as unknown as CallableLayer[];
  const position = new Map<CallableLayer, number>();
  for (const [i, l] of (model.inputLayers as unknown as CallableLayer[]).entries()) position.set(l, i);
  const floatColumn = (l: CallableLayer): InputColumn | undefined => {
    const i = position.get(l);
    const col = i === undefined ? undefined : data.inputs.get(inputNames[i]);
    // a rank-2 input [batch, width] of float32 values (a sequence or matrix input stays a tensor)
    const shape = l.batchInputShape;
    const rank2 = shape?.length === 2 && shape[1] === col?.width;
    return col && rank2 && col.dtype === 'float32' && col.data instanceof Float32Array ? col : undefined;
  };
  const candidates = layers.filter((l) => {
    if (l.getClassName() !== 'Concatenate' || l.inboundNodes.length !== 1) return false;
    const axis = l.getConfig().axis;
    const from = l.inboundNodes[0].inboundLayers;
    return (axis === -1 || axis === 1) && from.length > 0 && from.every((x) => floatColumn(x) !== undefined);
  });
  const chosen = new Set(candidates);
  // An input that also feeds another layer must be fed for real: keep its groups on the tensor path.
  const groups = candidates.filter((l) =>
    l.inboundNodes[0].inboundLayers.every((x) => x.outboundNodes.every((n) => chosen.has(n.outboundLayer))),
  );
  return groups.map((layer) => {
    const from = layer.inboundNodes[0].inboundLayers;
    const cols = from.map((x) => floatColumn(x)!);
    const widths = cols.map((c) => c.width);
    return {
      layer,
      inputs: from.map((x) => position.get(x)!),
      columns: cols.map((c) => c.data as Float32Array),
      widths,
      width: widths.reduce((a, b) => a + b, 0),
    };
  });
}

/**
 * Groups up to this many values (rows x width) are copied once into one row-major array, so a
 * batch reads whole rows; larger ones are gathered column by column (no second copy in memory).
 * Gathering 128 random rows of the paper model's 100 separate columns misses the cache on nearly
 * every value: most of a step's host time.
 */
export const ROW_MAJOR_MAX_VALUES = 1 << 26;

/** The group's values in row-major order [n, width], as concat on the last axis lays them out. */
function rowMajor(g: Group, n: number): Float32Array {
  const out = new Float32Array(n * g.width);
  let offset = 0;
  for (let j = 0; j < g.columns.length; j++) {
    const col = g.columns[j];
    const w = g.widths[j];
    for (let r = 0; r < n; r++) for (let c = 0; c < w; c++) out[r * g.width + offset + c] = col[r * w + c];
    offset += w;
  }
  return out;
}

/** Rows of the group as [rows, width], row-major: the values concat on the last axis gives. */
function gatherGroup(g: Group, rows: Int32Array): Float32Array {
  const W = g.width;
  const out = new Float32Array(rows.length * W);
  if (g.rows) {
    const all = g.rows;
    for (let i = 0; i < rows.length; i++) out.set(all.subarray(rows[i] * W, rows[i] * W + W), i * W);
    return out;
  }
  let offset = 0;
  for (let j = 0; j < g.columns.length; j++) {
    const col = g.columns[j];
    const w = g.widths[j];
    if (w === 1) for (let i = 0; i < rows.length; i++) out[i * W + offset] = col[rows[i]];
    else for (let i = 0; i < rows.length; i++) out.set(col.subarray(rows[i] * w, rows[i] * w + w), i * W + offset);
    offset += w;
  }
  return out;
}

export function stepFeed(
  tf: Tf,
  model: tfType.LayersModel,
  data: ModelData,
  inputNames: readonly string[],
  { rowMajorMaxValues = ROW_MAJOR_MAX_VALUES } = {},
): StepFeed {
  const groups = hostGroups(model, data, inputNames);
  for (const g of groups) if (data.n * g.width <= rowMajorMaxValues) g.rows = rowMajor(g, data.n);
  if (groups.length === 0)
    return { inputs: (rows) => inputTensors(tf, data, rows, inputNames), groups: 0, release: () => {} };
  const grouped = new Set(groups.flatMap((g) => g.inputs));
  const direct = inputNames.filter((_, i) => !grouped.has(i));
  const directIndex = inputNames.map((_, i) => (grouped.has(i) ? -1 : direct.indexOf(inputNames[i])));
  // Placeholders for the grouped inputs, one per [rows, width] shape (the executor needs a value
  // of the input's shape for each; the patched layer never reads it).
  const placeholders = new Map<string, tfType.Tensor>();
  const placeholder = (n: number, w: number): tfType.Tensor => {
    const key = `${n}x${w}`;
    let t = placeholders.get(key);
    if (!t) {
      t = tf.keep(tf.zeros([n, w]));
      placeholders.set(key, t);
    }
    return t;
  };
  const isPlaceholder = (t: unknown) => [...placeholders.values()].includes(t as tfType.Tensor);
  const own = groups.map((g) => Object.getOwnPropertyDescriptor(g.layer, 'call'));
  for (const g of groups) {
    const original = g.layer.call;
    g.layer.call = function (inputs, kwargs) {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      if (g.value && !g.value.isDisposed && list.every(isPlaceholder)) return g.value;
      return original.call(this, inputs, kwargs);
    };
  }
  const widths = inputNames.map((name) => data.inputs.get(name)?.width ?? 1);
  return {
    groups: groups.length,
    inputs(rows) {
      const real = inputTensors(tf, data, rows, direct);
      for (const g of groups) g.value = tf.tensor2d(gatherGroup(g, rows), [rows.length, g.width], 'float32');
      return inputNames.map((_, i) =>
        directIndex[i] >= 0 ? real[directIndex[i]] : placeholder(rows.length, widths[i]),
      );
    },
    release() {
      groups.forEach((g, k) => {
        delete (g.layer as Partial<CallableLayer>).call; // back to the class's method
        const d = own[k];
        if (d) Object.defineProperty(g.layer, 'call', d);
        g.value = undefined;
      });
      tf.dispose([...placeholders.values()]);
      placeholders.clear();
    },
  };
}
