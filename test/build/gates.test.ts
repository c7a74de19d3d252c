// Gate semantics: g = softmax(W x / T); with topK, the k largest weights per example kept and
// renormalised (ties: lower index first). Read from the built model's gate layers.
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelIR } from '../../src/compiler/ir.js';
import { buildModel, layerName, registerCustomLayers } from '../../src/compiler/build/index.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { inputTensors, randomBatch, randomizeWeights, tinyIr } from './fixtures.js';
import { softmaxRow, topKRow } from './reference.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

/** Logits and weights of gate `ga` (5 experts) for a batch. */
function gateOutputs(ir: ModelIR, seed: number, fusedGates = false): { logits: number[][]; weights: number[][] } {
  const model = buildModel(ir, tf, { seed, lowering: { gates: fusedGates ? 'fused' : 'separate' } });
  randomizeWeights(tf, model, 3);
  // Scale the gate kernels up so the softmax is far from uniform and top-k choices are clear.
  const gateLayer = model.getLayer(fusedGates ? layerName.fusedGates(0, 0) : layerName.gate(0, 'ga'));
  gateLayer.setWeights(gateLayer.getWeights().map((w) => tf.mul(w, 3)));
  const batch = randomBatch(ir, 12, 4);
  const logitsModel: LayersModel = tf.model({ inputs: model.inputs, outputs: gateLayer.output as never });
  const weightsModel: LayersModel = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(layerName.gateSoftmax(0, 'ga')).output as never,
  });
  const xs = inputTensors(tf, model, batch);
  let logits = (logitsModel.predict(xs) as Tensor).arraySync() as number[][];
  if (fusedGates) logits = logits.map((r) => r.slice(0, 5));
  const weights = (weightsModel.predict(xs) as Tensor).arraySync() as number[][];
  tf.dispose(xs);
  model.dispose();
  return { logits, weights };
}

describe('gates', () => {
  it('temperature: g = softmax(logits / T); lower T is sharper, T = 1 is the plain softmax', () => {
    const sharpness = (w: number[][]) => w.reduce((s, r) => s + Math.max(...r), 0) / w.length;
    const results = [1, 0.25, 4].map((temperature) => ({ temperature, ...gateOutputs(tinyIr({ temperature }), 1) }));
    for (const { temperature, logits, weights } of results) {
      logits.forEach((z, i) => {
        const want = softmaxRow(z.map((v) => v / temperature));
        want.forEach((v, e) => expect(weights[i][e]).toBeCloseTo(v, 6));
      });
    }
    // Same seed, same layer names: the same logits under every temperature.
    expect(results[1].logits).toEqual(results[0].logits);
    const [t1, cold, hot] = results.map((r) => sharpness(r.weights));
    expect(cold).toBeGreaterThan(t1);
    expect(hot).toBeLessThan(t1);
  });

  for (const fused of [false, true]) {
    it(`topK keeps the k largest weights and renormalises (${fused ? 'fused' : 'separate'} gates)`, () => {
      for (const topK of [1, 2, 4]) {
        const { logits, weights } = gateOutputs(tinyIr({ topK, temperature: 0.5 }), 2, fused);
        logits.forEach((z, i) => {
          const row = weights[i];
          expect(row.filter((v) => v > 0).length).toBe(topK);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
          const want = topKRow(softmaxRow(z.map((v) => v / 0.5)), topK);
          want.forEach((v, e) => expect(row[e]).toBeCloseTo(v, 6));
        });
      }
    });
  }

  it('topK >= number of experts is the plain softmax', () => {
    const a = gateOutputs(tinyIr({ topK: 5 }), 6);
    const b = gateOutputs(tinyIr({ topK: null }), 6);
    expect(a.weights.flat().every((v) => v > 0)).toBe(true);
    a.weights.flat().forEach((v, i) => expect(v).toBeCloseTo(b.weights.flat()[i], 6));
  });

  it('GateSoftmax: ties go to the lower index; a slice reads one gate of a fused Dense', () => {
    const { GateSoftmax } = registerCustomLayers(tf);
    const tie = new GateSoftmax({ topK: 2 }).apply(tf.tensor2d([[0, 0, 0, 0]])) as Tensor;
    expect(Array.from(tie.dataSync())).toEqual([0.5, 0.5, 0, 0]);
    const sliced = new GateSoftmax({ begin: 2, size: 2, temperature: 0.5 }).apply(
      tf.tensor2d([[9, 9, 0, Math.log(2) / 2]]),
    ) as Tensor;
    const got = Array.from(sliced.dataSync());
    expect(got[0]).toBeCloseTo(1 / 3, 6);
    expect(got[1]).toBeCloseTo(2 / 3, 6);
  });

  it('GateSoftmax rejects bad arguments', () => {
    const { GateSoftmax } = registerCustomLayers(tf);
    expect(() => new GateSoftmax({ temperature: 0 })).toThrow(/temperature/);
    expect(() => new GateSoftmax({ topK: 1.5 })).toThrow(/topK/);
    expect(() => new GateSoftmax({ begin: 1 })).toThrow(/begin and size/);
  });

  it('gradients flow through a top-k gate to the gate kernel', () => {
    const ir = tinyIr({ topK: 2 });
    const model = buildModel(ir, tf, { seed: 3 });
    const xs = inputTensors(tf, model, randomBatch(ir, 8, 1));
    const { grads } = tf.variableGrads(
      () => tf.addN((model.apply(xs, { training: true }) as Tensor[]).map((o) => tf.sum(o))) as Scalar,
    );
    const gateKernel = Object.entries(grads).find(([k]) => k.startsWith(`${layerName.gate(0, 'ga')}/kernel`));
    expect(gateKernel).toBeDefined();
    expect(Array.from(gateKernel![1].dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([...xs, ...Object.values(grads)]);
    model.dispose();
  });
});
