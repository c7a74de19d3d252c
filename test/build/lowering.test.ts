// 'auto' lowering: fused single-layer experts and separate gates on every backend (so a spec
// builds the same model everywhere); an explicit spec value or build override always wins.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelIR } from '../../src/compiler/ir.js';
import { AUTO_LOWERING, buildModel, resolveLowering, serializeModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { loadIr } from './fixtures.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

/** mmoe.yaml's IR with one-layer experts (as the paper's 8 x [16] model). */
function oneLayer(): ModelIR {
  const ir = structuredClone(loadIr('mmoe'));
  for (const l of ir.levels) for (const p of l.pools) p.units = p.units.slice(0, 1);
  return ir;
}

describe('resolveLowering', () => {
  const deep = loadIr('mmoe'); // experts [64, 32]
  it('auto: experts fused only when every multi-expert pool has one layer; gates separate', () => {
    expect(AUTO_LOWERING).toEqual({ experts: 'fused', gates: 'separate' });
    expect(resolveLowering(oneLayer())).toEqual({ experts: 'fused', gates: 'separate' });
    expect(resolveLowering(deep)).toEqual({ experts: 'separate', gates: 'separate' });
  });
  it('the spec value and the override win over auto', () => {
    const spec = { ...deep, lowering: { experts: 'fused', gates: 'separate' } as const };
    expect(resolveLowering(spec)).toEqual({ experts: 'fused', gates: 'separate' });
    expect(resolveLowering(spec, { experts: 'separate', gates: 'fused' })).toEqual({
      experts: 'separate',
      gates: 'fused',
    });
    expect(resolveLowering(oneLayer(), { gates: 'auto' })).toEqual({ experts: 'fused', gates: 'separate' });
  });
});

describe('auto does not depend on the backend: the same spec builds the same model.json everywhere', () => {
  it('wasm and cpu build identical topologies and weights', async () => {
    const built: string[] = [];
    for (const backend of ['wasm', 'cpu'] as const) {
      await activateBackend(tf, backend);
      const model = buildModel(oneLayer(), tf, { seed: 1 });
      built.push((await serializeModel(tf, model)).modelJson);
      model.dispose();
    }
    expect(built[0]).toBe(built[1]);
    expect(built[0]).toContain('_fused_');
  });
});
