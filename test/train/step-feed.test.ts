// The training step's host-concatenated feature groups (src/train/step-feed.ts): the group tensor
// holds exactly the values tf.concat of the per-input tensors gives, a training step through the
// feed produces the same floats as one through the plain inputs, inputs used outside a group keep
// their own tensors, and release() leaves the model as it was.
import type { LayersModel, Scalar, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { inputTensors, type ModelData } from '../../src/train/dataset.js';
import { ROW_MAJOR_MAX_VALUES, stepFeed } from '../../src/train/step-feed.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

const N = 40;
const column = (n: number, w: number, k: number) => Float32Array.from({ length: n * w }, (_, i) => Math.sin(i * k + k));

/** Inputs a (1), b (2), c (1) and an int32 id; a, b, c concatenated into one group. */
function data(): ModelData {
  return {
    n: N,
    inputs: new Map([
      ['a', { dtype: 'float32', width: 1, data: column(N, 1, 1.3) }],
      ['b', { dtype: 'float32', width: 2, data: column(N, 2, 0.7) }],
      ['c', { dtype: 'float32', width: 1, data: column(N, 1, 2.1) }],
      ['id', { dtype: 'int32', width: 1, data: Int32Array.from({ length: N }, (_, i) => i % 5) }],
    ]),
    labels: new Map([['y', column(N, 1, 0.3)]]),
    masks: new Map([['y', new Float32Array(N).fill(1)]]),
  };
}

/** a, b, c -> Concatenate -> Dense, plus an embedding of id; `aAlsoDirect` also feeds a to a Dense. */
function model(aAlsoDirect: boolean): LayersModel {
  const a = tf.input({ shape: [1], name: 'a' });
  const b = tf.input({ shape: [2], name: 'b' });
  const c = tf.input({ shape: [1], name: 'c' });
  const id = tf.input({ shape: [1], name: 'id', dtype: 'int32' });
  const group = tf.layers.concatenate({ name: 'group' }).apply([a, b, c]) as SymbolicTensor;
  const emb = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 5, outputDim: 2 }).apply(id)) as SymbolicTensor;
  const parts = [group, emb];
  if (aAlsoDirect) parts.push(tf.layers.dense({ units: 2 }).apply(a) as SymbolicTensor);
  const h = tf.layers
    .dense({ units: 3, activation: 'relu' })
    .apply(tf.layers.concatenate().apply(parts)) as SymbolicTensor;
  const y = tf.layers.dense({ units: 1, name: 'y' }).apply(h) as SymbolicTensor;
  return tf.model({ inputs: [a, b, c, id], outputs: y });
}

const ROWS = Int32Array.from([7, 3, 39, 0, 12, 12, 25]);

/** The group's values as the test computes them: per row, a, then b's two values, then c. */
function expectedGroup(d: ModelData): number[] {
  const col = (k: string) => d.inputs.get(k)!.data;
  return [...ROWS].flatMap((r) => [col('a')[r], col('b')[2 * r], col('b')[2 * r + 1], col('c')[r]].map(Math.fround));
}

/** One Adam step from a copy of the weights; returns the loss and the new weights. */
function stepOnce(m: LayersModel, xs: () => Tensor[]): { loss: number; weights: number[][] } {
  const before = m.getWeights().map((w) => w.clone());
  const opt = tf.train.adam(0.01);
  const loss = tf.tidy(() => {
    const inputs = xs();
    return opt.minimize(() => {
      const out = m.apply(inputs, { training: true }) as Tensor;
      return out
        .sub(tf.tensor2d([...ROWS].map((r) => [r / 10])))
        .square()
        .mean() as Scalar;
    }, true)!;
  });
  const result = { loss: loss.dataSync()[0], weights: m.getWeights().map((w) => Array.from(w.dataSync())) };
  m.setWeights(before);
  tf.dispose([loss, ...before]);
  opt.dispose();
  return result;
}

describe('stepFeed', () => {
  it('feeds a group of float inputs as one tensor with the values of their concat', () => {
    const d = data();
    const m = model(false);
    const start = tf.memory().numTensors;
    const feed = stepFeed(tf, m, d, m.inputNames);
    expect(feed.groups).toBe(1);
    const concatLayer = m.getLayer('group');
    const seen = tf.tidy(() => {
      const xs = feed.inputs(ROWS);
      expect(xs).toHaveLength(4);
      // the id input is a real tensor of the rows' ids; a, b, c are placeholders of their shapes
      expect(Array.from(xs[3].dataSync())).toEqual([...ROWS].map((r) => r % 5));
      expect(xs.slice(0, 3).map((x) => x.shape)).toEqual([
        [ROWS.length, 1],
        [ROWS.length, 2],
        [ROWS.length, 1],
      ]);
      const out = concatLayer.apply(xs.slice(0, 3)) as Tensor;
      return Array.from(out.dataSync());
    });
    expect(seen).toEqual(expectedGroup(d));
    feed.release();
    expect(tf.memory().numTensors).toBe(start);
    m.dispose();
  });

  it('a training step through the feed gives the same loss and weights as through the plain inputs', () => {
    const d = data();
    const m = model(false);
    const plain = stepOnce(m, () => inputTensors(tf, d, ROWS, m.inputNames));
    const feed = stepFeed(tf, m, d, m.inputNames);
    const fed = stepOnce(m, () => feed.inputs(ROWS));
    feed.release();
    expect(fed.loss).toBe(plain.loss);
    expect(fed.weights).toEqual(plain.weights);
    // and the weights did move (a step that changes nothing would compare equal too)
    expect(fed.weights).not.toEqual(m.getWeights().map((w) => Array.from(w.dataSync())));
    m.dispose();
  });

  it('other calls of the layer during training concatenate their own inputs', () => {
    const d = data();
    const m = model(false);
    const feed = stepFeed(tf, m, d, m.inputNames);
    const rows = Int32Array.from([1, 2]);
    const viaModel = tf.tidy(() => {
      feed.inputs(ROWS); // a step's group value is pending
      return Array.from((m.apply(inputTensors(tf, d, rows, m.inputNames)) as Tensor).dataSync());
    });
    feed.release();
    const again = tf.tidy(() => Array.from((m.apply(inputTensors(tf, d, rows, m.inputNames)) as Tensor).dataSync()));
    expect(viaModel).toEqual(again);
    expect(viaModel).toHaveLength(rows.length);
    m.dispose();
  });

  it('keeps a group on the tensor path when one of its inputs also feeds another layer', () => {
    const d = data();
    const m = model(true);
    const feed = stepFeed(tf, m, d, m.inputNames);
    expect(feed.groups).toBe(0);
    const xs = tf.tidy(() => feed.inputs(ROWS).map((x) => Array.from(x.dataSync())));
    expect(xs[0]).toEqual([...ROWS].map((r) => d.inputs.get('a')!.data[r]));
    feed.release();
    m.dispose();
  });

  it('leaves a concat of rank-3 inputs (sequences, matrices) on the tensor path', () => {
    const n = 4;
    const d: ModelData = {
      n,
      inputs: new Map([
        ['s', { dtype: 'float32', width: 6, data: column(n, 6, 0.9) }],
        ['t', { dtype: 'float32', width: 6, data: column(n, 6, 1.1) }],
      ]),
      labels: new Map(),
      masks: new Map(),
    };
    const s = tf.input({ shape: [2, 3], name: 's' });
    const t = tf.input({ shape: [2, 3], name: 't' });
    const joined = tf.layers.concatenate({ name: 'seq' }).apply([s, t]) as SymbolicTensor;
    const y = tf.layers.dense({ units: 1 }).apply(tf.layers.flatten().apply(joined)) as SymbolicTensor;
    const m = tf.model({ inputs: [s, t], outputs: y });
    const feed = stepFeed(tf, m, d, m.inputNames);
    expect(feed.groups).toBe(0);
    feed.release();
    m.dispose();
  });

  it('release() restores the layer method and frees the placeholders', () => {
    const d = data();
    const m = model(false);
    const layer = m.getLayer('group');
    const before = tf.memory().numTensors;
    const feed = stepFeed(tf, m, d, m.inputNames);
    expect(Object.hasOwn(layer, 'call')).toBe(true);
    tf.tidy(() => {
      feed.inputs(ROWS);
    });
    feed.release();
    expect(Object.hasOwn(layer, 'call')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('gathers the same values column by column when the group is too large to copy row-major', () => {
    const d = data();
    const m = model(false);
    const groupOf = (maxValues: number) => {
      const feed = stepFeed(tf, m, d, m.inputNames, { rowMajorMaxValues: maxValues });
      const values = tf.tidy(() =>
        Array.from((m.getLayer('group').apply(feed.inputs(ROWS).slice(0, 3)) as Tensor).dataSync()),
      );
      feed.release();
      return values;
    };
    expect(groupOf(0)).toEqual(expectedGroup(d));
    expect(groupOf(ROW_MAJOR_MAX_VALUES)).toEqual(expectedGroup(d));
    m.dispose();
  });
});
