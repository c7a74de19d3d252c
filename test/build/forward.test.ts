// Built models compute the architectures' equations: outputs equal an independent float64
// forward pass (reference.ts) reading the same weights, for every family config and every
// lowering; and the lowerings compute the same function given the same weights.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { costOf } from '../../src/compiler/cost.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { buildModel, layerName, resolveLowering, type Lowering } from '../../src/compiler/build/index.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import {
  FAMILY_CONFIGS,
  loadIr,
  maxAbsDiff,
  predictByTask,
  randomBatch,
  randomizeWeights,
  tinyIr,
} from './fixtures.js';
import { referenceForward } from './reference.js';

const LOWERINGS: Lowering[] = [
  { experts: 'separate', gates: 'separate' },
  { experts: 'fused', gates: 'separate' },
  { experts: 'separate', gates: 'fused' },
  { experts: 'fused', gates: 'fused' },
];
const TOL = 1e-5;

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

function checkAgainstReference(ir: ModelIR, lowering: Lowering, seed: number, rows = 6): number {
  const model = buildModel(ir, tf, { seed, lowering });
  try {
    randomizeWeights(tf, model, seed + 1);
    const batch = randomBatch(ir, rows, seed + 2);
    const got = predictByTask(tf, model, batch);
    const want = referenceForward(model, ir, batch, lowering);
    expect(Object.keys(got).sort()).toEqual(ir.tasks.map((t) => t.name).sort());
    return maxAbsDiff(want, got);
  } finally {
    model.dispose();
  }
}

describe('family configs match the reference equations', () => {
  for (const config of FAMILY_CONFIGS) {
    for (const lowering of LOWERINGS) {
      it(`${config} (experts ${lowering.experts}, gates ${lowering.gates})`, () => {
        expect(checkAgainstReference(loadIr(config), lowering, 11)).toBeLessThan(TOL);
      });
    }
  }
  it('ecom.yaml, the seed model (batch norm, leaky ReLU, 512-wide experts)', () => {
    const ir = loadIr('ecom');
    expect(checkAgainstReference(ir, { experts: 'separate', gates: 'separate' }, 3, 4)).toBeLessThan(TOL);
    expect(checkAgainstReference(ir, { experts: 'fused', gates: 'fused' }, 3, 4)).toBeLessThan(TOL);
  });
});

describe('hand-built IR: every feature kind, activation, pooling and head', () => {
  const cases: [string, Parameters<typeof tinyIr>[0]][] = [
    ['mean pooling, relu, scenario-aware gates, per-scenario towers', {}],
    [
      'sum pooling, gelu, batch norm, dropout, l2',
      { pooling: 'sum', activation: 'gelu', batchNorm: true, dropout: 0.3, l2: 0.01 },
    ],
    [
      'max pooling, elu experts, leaky_relu towers',
      { pooling: 'max', activation: 'elu', towerActivation: 'leaky_relu' },
    ],
    ['selu / swish', { activation: 'selu', towerActivation: 'swish' }],
    [
      'tanh / sigmoid, temperature and top-k',
      { activation: 'tanh', towerActivation: 'sigmoid', temperature: 0.5, topK: 2 },
    ],
    ['linear, no scenario embedding, per-scenario towers only', { activation: 'linear', scenarioAware: false }],
    ['no scenario at all', { scenarioAware: false, perScenario: false }],
  ];
  for (const [label, opts] of cases) {
    it(label, () => {
      const ir = tinyIr(opts);
      for (const lowering of LOWERINGS) {
        expect(checkAgainstReference(ir, lowering, 5, 8), `${lowering.experts}/${lowering.gates}`).toBeLessThan(TOL);
      }
    });
  }
});

describe('parameter count equals the closed-form cost', () => {
  for (const config of [...FAMILY_CONFIGS, 'ecom'] as const) {
    it(config, () => {
      const ir = loadIr(config);
      for (const lowering of LOWERINGS) {
        const model = buildModel(ir, tf, { seed: 1, lowering });
        expect(model.countParams(), `${lowering.experts}/${lowering.gates}`).toBe(costOf(ir).params);
        model.dispose();
      }
    });
  }
  it('hand-built IRs', () => {
    for (const opts of [
      {},
      { batchNorm: true },
      { scenarioAware: false },
      { scenarioAware: false, perScenario: false },
    ]) {
      const ir = tinyIr(opts);
      for (const lowering of LOWERINGS) {
        const model = buildModel(ir, tf, { seed: 1, lowering });
        expect(model.countParams()).toBe(costOf(ir).params);
        model.dispose();
      }
    }
  });
});

/** Weights of a separate-lowering model rearranged for a fused-lowering model of the same IR. */
function transferWeights(ir: ModelIR, from: LayersModel, to: LayersModel, lowering: Lowering): void {
  const w = (name: string) => from.getLayer(name).getWeights();
  const fused = new Map<string, Tensor[]>();
  for (const level of ir.levels) {
    if (lowering.experts === 'fused') {
      for (const p of level.pools) {
        if (p.count < 2) continue;
        p.units.forEach((_, j) => {
          const per = Array.from({ length: p.count }, (_, e) =>
            w(layerName.expert(level.index, p.name, e, 'dense', j)),
          );
          const kernel =
            j === 0
              ? tf.concat(
                  per.map((x) => x[0]),
                  1,
                )
              : tf.stack(per.map((x) => x[0]));
          fused.set(layerName.fusedExperts(level.index, p.name, 'dense', j), [kernel, tf.concat(per.map((x) => x[1]))]);
          if (p.batchNorm) {
            const bns = Array.from({ length: p.count }, (_, e) => w(layerName.expert(level.index, p.name, e, 'bn', j)));
            fused.set(
              layerName.fusedExperts(level.index, p.name, 'bn', j),
              [0, 1, 2, 3].map((k) => tf.concat(bns.map((x) => x[k]))),
            );
          }
        });
      }
    }
    if (lowering.gates === 'fused') {
      const byInput = new Map<string, string[]>();
      for (const g of level.gates) {
        const key = g.inputs.map((r) => `${r.kind}:${r.name}`).join('|') + (g.scenarioAware ? '+s' : '');
        byInput.set(key, [...(byInput.get(key) ?? []), g.name]);
      }
      let k = 0;
      for (const names of byInput.values()) {
        if (names.length < 2) continue;
        const per = names.map((n) => w(layerName.gate(level.index, n)));
        fused.set(layerName.fusedGates(level.index, k++), [
          tf.concat(
            per.map((x) => x[0]),
            1,
          ),
          tf.concat(per.map((x) => x[1])),
        ]);
      }
    }
  }
  for (const layer of to.layers) {
    if (layer.weights.length === 0) continue;
    layer.setWeights(fused.get(layer.name) ?? w(layer.name));
  }
}

describe('lowerings compute the same function given the same weights', () => {
  for (const config of ['mmoe', 'cgc', 'ple', 'multi-scenario'] as const) {
    it(config, () => {
      const ir = { ...loadIr(config), lowering: { experts: 'separate', gates: 'separate' } } as ModelIR;
      const base = buildModel(ir, tf, { seed: 2 });
      randomizeWeights(tf, base, 9);
      const batch = randomBatch(ir, 6, 4);
      const want = predictByTask(tf, base, batch);
      for (const lowering of LOWERINGS.slice(1)) {
        const other = buildModel(ir, tf, { seed: 3, lowering });
        transferWeights(ir, base, other, lowering);
        expect(maxAbsDiff(want, predictByTask(tf, other, batch)), `${lowering.experts}/${lowering.gates}`).toBeLessThan(
          TOL,
        );
        other.dispose();
      }
      base.dispose();
    });
  }
  it("'auto' resolves to separate", () => {
    const ir = loadIr('mmoe');
    expect(ir.lowering).toEqual({ experts: 'auto', gates: 'auto' });
    expect(resolveLowering(ir)).toEqual({ experts: 'separate', gates: 'separate' });
    expect(resolveLowering(ir, { gates: 'fused' })).toEqual({ experts: 'separate', gates: 'fused' });
  });
});
