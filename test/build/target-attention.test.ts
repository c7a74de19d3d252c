// Target attention (DIN) pooling: the built model equals the independent float64 forward pass
// (reference.ts: dinPool) on configs/ecom-din.yaml, with raw and softmax weights, other
// activations, and rows whose history is all padding or partly padded; padding ids do not
// change the output; the parameter count is the closed-form cost; model.json round-trips.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, layerName } from '../../src/compiler/build/index.js';
import { costOf } from '../../src/compiler/cost.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { loadIr, maxAbsDiff, predictByTask, randomBatch, randomizeWeights, withSmallTables } from './fixtures.js';
import { referenceForward } from './reference.js';

const TOL = 1e-5;
const LOWERING = { experts: 'separate', gates: 'separate' } as const;

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

function dinIr(change: (a: NonNullable<ModelIR['features'][number]['attention']>) => void = () => {}): ModelIR {
  const ir = withSmallTables(loadIr('ecom-din'), 40);
  const f = ir.features.find((x) => x.name === 'user_history');
  if (!f?.attention) throw new Error('ecom-din.yaml has no attention on user_history');
  change(f.attention);
  return ir;
}

describe('target attention matches the float64 reference', () => {
  type Attention = NonNullable<ModelIR['features'][number]['attention']>;
  const cases: [string, Partial<Attention>][] = [
    ['ecom-din.yaml as written (sigmoid [32, 16], raw weights)', {}],
    ['softmax weights', { softmax: true }],
    ['leaky_relu, one layer', { activation: 'leaky_relu', units: [6] }],
    ['gelu, softmax, three layers', { activation: 'gelu', softmax: true, units: [12, 8, 4] }],
  ];
  for (const [label, change] of cases) {
    it(label, () => {
      const ir = dinIr((a) => Object.assign(a, change));
      const model = buildModel(ir, tf, { seed: 4, lowering: LOWERING });
      try {
        randomizeWeights(tf, model, 7);
        const batch = randomBatch(ir, 12, 8);
        expect(batch.user_history[0].every((id) => id === 0)).toBe(true); // an empty history
        expect(batch.user_history.some((r) => r.includes(0) && r.some((id) => id !== 0))).toBe(true);
        const got = predictByTask(tf, model, batch);
        expect(maxAbsDiff(referenceForward(model, ir, batch, LOWERING), got)).toBeLessThan(TOL);
        expect(model.countParams()).toBe(costOf(ir).params);
      } finally {
        model.dispose();
      }
    });
  }

  it('the pooled vector ignores what the padding positions hold, and an empty history pools to zeros', () => {
    const ir = dinIr();
    const model = buildModel(ir, tf, { seed: 4, lowering: LOWERING });
    try {
      randomizeWeights(tf, model, 3);
      const pooled = tf.model({
        inputs: model.inputs,
        outputs: model.getLayer(layerName.featurePool('user_history')).output,
      });
      const batch = randomBatch(ir, 6, 2);
      const run = (b: typeof batch) =>
        (
          pooled.predict(
            model.inputNames.map((n) =>
              tf.tensor(
                b[n],
                undefined,
                n === 'user_age' || n === 'item_price' || n === 'context_hour' ? 'float32' : 'int32',
              ),
            ),
          ) as ReturnType<Tf['tensor']>
        ).arraySync() as number[][];
      const before = run(batch);
      expect(before[0].every((v) => v === 0)).toBe(true);
      // Move every row's values to the end and the padding to the front: masked positions only
      // ever multiply a weight of 0, and the sum does not depend on order.
      const moved = {
        ...batch,
        user_history: batch.user_history.map((r) => [...r.filter((id) => id === 0), ...r.filter((id) => id !== 0)]),
      };
      const after = run(moved);
      for (let i = 0; i < before.length; i++)
        for (let d = 0; d < before[i].length; d++) expect(after[i][d]).toBeCloseTo(before[i][d], 5);
    } finally {
      model.dispose();
    }
  });

  it('model.json round-trips through the registered layer classes', async () => {
    const ir = dinIr((a) => Object.assign(a, { softmax: true }));
    const model = buildModel(ir, tf, { seed: 4, lowering: LOWERING });
    try {
      randomizeWeights(tf, model, 5);
      const batch = randomBatch(ir, 5, 6);
      let saved: Parameters<Parameters<typeof tf.io.withSaveHandler>[0]>[0] | undefined;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          saved = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
      expect(maxAbsDiff(predictByTask(tf, model, batch), predictByTask(tf, loaded, batch))).toBe(0);
      expect(loaded.getLayer(layerName.featurePool('user_history')).getConfig().softmax).toBe(true);
      loaded.dispose();
    } finally {
      model.dispose();
    }
  });
});
