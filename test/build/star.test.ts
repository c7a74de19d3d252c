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
import type { ModelIR, ScenarioAuxiliaryIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { exportOnnx } from '../../src/export/onnx/export.js';
import { maxAbsDiff, predictByTask, randomBatch, randomizeWeights, tinyIr, type Batch } from './fixtures.js';
import { referenceForward } from './reference.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

interface StarOpts {
  starA?: boolean;
  starB?: boolean;
  aux?: Pick<ScenarioAuxiliaryIR, 'units'> & { inputs: ('g1' | 'g2')[]; batchNorm?: boolean };
}

/** The tiny IR with tower ta and/or tb star, and optionally the auxiliary network. */
export function starIr(base: ModelIR, o: StarOpts): ModelIR {
  const ir = structuredClone(base);
  for (const t of ir.towers) {
    if ((t.name === 'ta' && o.starA) || (t.name === 'tb' && o.starB)) {
      t.star = true;
      t.perScenario = [];
    }
  }
  if (o.aux) {
    const inputs = o.aux.inputs.map((n) => ({ kind: 'group' as const, name: n, width: n === 'g1' ? 4 : 8 }));
    const inputWidth = inputs.reduce((s, r) => s + r.width, 0) + (ir.scenario?.embeddingDim ?? 0);
    ir.scenarioAuxiliary = {
      kind: 'auxiliary',
      path: '/model/scenarioAuxiliary',
      inputs,
      inputWidth,
      units: o.aux.units,
      activation: 'tanh',
      batchNorm: o.aux.batchNorm ?? false,
      dropout: 0,
      l2: 0,
      outputWidth: o.aux.units.length ? o.aux.units[o.aux.units.length - 1] : inputWidth,
      tasks: ir.tasks.filter((t) => t.head.kind === 'tower').map((t) => t.name),
    };
  }
  return ir;
}

const VARIANTS: [string, ModelIR][] = [
  [
    'star towers (batch norm, leaky ReLU), a layerless star head for a binary and a regression task, auxiliary [3] on g1',
    starIr(tinyIr({ batchNorm: true, activation: 'leaky_relu', scenarioAware: false }), {
      starA: true,
      starB: true,
      aux: { inputs: ['g1'], units: [3], batchNorm: true },
    }),
  ],
  [
    'per-scenario tower and plain tower with a linear auxiliary network on the scenario embedding alone',
    starIr(tinyIr({}), { aux: { inputs: [], units: [] } }),
  ],
  ['a star tower without the auxiliary network, gelu', starIr(tinyIr({ activation: 'gelu' }), { starA: true })],
  ['a star head only (tb), plain ta per scenario', starIr(tinyIr({ scenarioAware: false }), { starB: true })],
];

async function ortScores(bytes: Uint8Array, batch: Batch, inputs: string[]): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
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

describe.each(VARIANTS)('%s', (_, ir) => {
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
      expect(maxAbsDiff(got, await ortScores(onnx.bytes, batch, onnx.inputs))).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });
});
