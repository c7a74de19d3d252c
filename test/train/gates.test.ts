// Gate diagnostics on a data set: mean expert weights per gate (a distribution), entropy within
// [0, log E], and the warnings for a collapsed gate and an unused expert, forced here by setting
// the gates' logits (zero kernel, a large bias on one expert).
import type * as tfType from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';
import { buildModel, layerName } from '../../src/compiler/build/index.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { COLLAPSE_SHARE, gateDiagnostics, UNUSED_WEIGHT } from '../../src/train/gates.js';
import { prepare, type Prepared } from '../../src/driver/prepare.js';
import { renderReport } from '../../src/driver/train-report.js';
import type { TrainReport } from '../../src/driver/train.js';

let tf: Tf;
let p: Prepared;
let model: tfType.LayersModel;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
  const c = checkSpec('configs/mmoe.yaml', { sets: ['data.rows=600', 'data.testRows=300'] });
  p = await prepare(c.spec!, c.loaded.absPath, c.name);
  model = buildModel(p.ir, tf, { seed: 5, lowering: { experts: 'separate', gates: 'separate' } });
});
afterAll(() => model?.dispose());

/** Gate logits = bias: a zero kernel and `hot` on one expert. */
function forceGate(gate: string, expert: number, hot: number): void {
  const dense = model.getLayer(layerName.gate(0, gate));
  const [kernel, bias] = dense.getWeights();
  const b = new Float32Array(bias.size);
  b[expert] = hot;
  dense.setWeights([tf.zerosLike(kernel), tf.tensor1d(b)]);
}

describe('gate diagnostics (configs/mmoe.yaml: 2 gates over 4 experts)', () => {
  it('mean weights form a distribution, entropy lies in [0, log E]; a fresh model has no warnings', async () => {
    const d = await gateDiagnostics(tf, p.ir, model, p.test);
    expect(d.gates.map((g) => g.gate)).toEqual(['ctr_gate', 'cvr_gate']);
    for (const g of d.gates) {
      expect(g.experts).toEqual(['experts[0]', 'experts[1]', 'experts[2]', 'experts[3]']);
      expect(g.meanWeight.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (const w of g.meanWeight) expect(w).toBeGreaterThanOrEqual(0);
      expect(g.entropy).toBeGreaterThanOrEqual(0);
      expect(g.entropy).toBeLessThanOrEqual(Math.log(4) + 1e-9);
      expect(g.normalizedEntropy).toBeCloseTo(g.entropy / Math.log(4), 12);
    }
    expect(d.warnings).toEqual([]);
  });

  it('a gate whose logits favour one expert collapses; experts no gate uses are reported', async () => {
    forceGate('ctr_gate', 0, 30);
    forceGate('cvr_gate', 1, 30);
    const d = await gateDiagnostics(tf, p.ir, model, p.test);
    const [ctr, cvr] = d.gates;
    expect(ctr.meanWeight[0]).toBeGreaterThan(COLLAPSE_SHARE);
    expect(cvr.meanWeight[1]).toBeGreaterThan(COLLAPSE_SHARE);
    expect(ctr.entropy).toBeLessThan(1e-6);
    expect(d.warnings).toEqual([
      'gate ctr_gate has collapsed: 100.0% of its weight goes to experts[0]',
      'gate cvr_gate has collapsed: 100.0% of its weight goes to experts[1]',
      'expert experts[2] (level 1) is used by no gate (at most 0.0% mean weight)',
      'expert experts[3] (level 1) is used by no gate (at most 0.0% mean weight)',
    ]);
    expect(Math.max(ctr.meanWeight[2], cvr.meanWeight[2])).toBeLessThan(UNUSED_WEIGHT);
    // the warnings reach the training report
    const text = renderReport({
      name: 'mmoe',
      family: 'MMoE',
      backend: 'wasm',
      seed: 5,
      epochs: [],
      bestEpoch: 0,
      stoppedEarly: false,
      test: [],
      gates: d,
      trainSeconds: 0,
      examplesPerSecond: 0,
      notes: [],
    } satisfies TrainReport);
    expect(text).toContain('  warning: gate ctr_gate has collapsed: 100.0% of its weight goes to experts[0]\n');
    expect(text).toContain(
      '  ctr_gate: experts[0] 100.0%, experts[1] 0.0%, experts[2] 0.0%, experts[3] 0.0%; entropy 0.000\n',
    );
  });

  it('a gate that reaches no task output is not in the model and not reported', async () => {
    const c = checkSpec('configs/mmoe.yaml', {
      sets: ['data.rows=300', 'data.testRows=100', 'model.towers.cvr.input=ctr_gate'],
    });
    const q = await prepare(c.spec!, c.loaded.absPath, c.name);
    const m = buildModel(q.ir, tf, { seed: 1 });
    expect((await gateDiagnostics(tf, q.ir, m, q.test)).gates.map((g) => g.gate)).toEqual(['ctr_gate']);
    m.dispose();
  });

  it('a model without gates has no gate report', async () => {
    const c = checkSpec('configs/shared-bottom.yaml', { sets: ['data.rows=300', 'data.testRows=100'] });
    const sb = await prepare(c.spec!, c.loaded.absPath, c.name);
    const m = buildModel(sb.ir, tf, { seed: 1 });
    expect(await gateDiagnostics(tf, sb.ir, m, sb.test)).toEqual({ gates: [], warnings: [] });
    m.dispose();
  });
});
