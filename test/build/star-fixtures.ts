// STAR variants of the tiny IR (fixtures.ts), shared by the tfjs/ONNX test (star.test.ts) and
// the PyTorch forward-parity test.
import type { ModelIR, ScenarioAuxiliaryIR } from '../../src/compiler/ir.js';
import { tinyIr } from './fixtures.js';

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

export const STAR_VARIANTS: [string, ModelIR][] = [
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
