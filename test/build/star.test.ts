// STAR variants of the tiny IR (star towers with batch norm and leaky ReLU, a star head with no
// tower layers shared by a binary and a regression task, the auxiliary network with and without
// inputs and hidden layers, per-scenario towers meeting the auxiliary logit): with random
// weights, the tfjs model equals the float64 reference (star-reference.ts), its parameter count
// equals the cost analysis, a saved model.json reloads to the same outputs, and the ONNX export
// run by onnxruntime-node equals tfjs (the unknown scenario included).
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { buildModel, deserializeModel, serializeModel } from '../../src/compiler/build/index.js';
import { costOf } from '../../src/compiler/cost.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { exportOnnx } from '../../src/export/onnx/export.js';
import { maxAbsDiff, predictByTask, randomBatch, randomizeWeights } from './fixtures.js';
import { runOrt } from './ort-run.js';
import { STAR_VARIANTS } from './star-fixtures.js';
import { referenceForward } from './reference.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

describe.each(STAR_VARIANTS)('%s', (_, ir) => {
  it('equals the float64 reference, counts its parameters, reloads, and exports to ONNX', async () => {
    const model = buildModel(ir, tf, { seed: 5 });
    try {
      randomizeWeights(tf, model, 6);
      expect(model.countParams()).toBe(costOf(ir).params);
      const batch = randomBatch(ir, 64, 7);
      // every scenario and the unknown one (index S) appear (randomBatch)
      expect(new Set(batch['scenario-index'].map((r) => r[0])).size).toBe(4);
      const got = predictByTask(tf, model, batch);
      const want = referenceForward(model, ir, batch, { experts: 'separate', gates: 'separate' });
      expect(maxAbsDiff(want, got)).toBeLessThan(1e-5);

      const saved = await serializeModel(tf, model);
      expect(saved.modelJson.includes('StarDense')).toBe(ir.towers.some((t) => t.star));
      const reloaded = await deserializeModel(tf, saved);
      expect(maxAbsDiff(got, predictByTask(tf, reloaded, batch))).toBe(0);
      reloaded.dispose();

      const onnx = exportOnnx({ ir, modelJson: JSON.parse(saved.modelJson), weights: saved.weightsBin });
      expect(maxAbsDiff(got, await runOrt(ort, onnx.bytes, batch, onnx.inputs))).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });
});
