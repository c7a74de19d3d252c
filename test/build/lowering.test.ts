// 'auto' lowering per backend: the measured choice on wasm and cpu, 'separate' elsewhere; an
// explicit spec value or build override always wins; buildModel resolves for the active backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTO_LOWERING, AUTO_LOWERING_OTHER, buildModel, resolveLowering } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { loadIr } from './fixtures.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

describe('resolveLowering', () => {
  const ir = loadIr('mmoe');
  it('auto: per backend, separate where not measured', () => {
    expect(resolveLowering(ir, {}, 'wasm')).toEqual(AUTO_LOWERING.wasm);
    expect(resolveLowering(ir, {}, 'cpu')).toEqual(AUTO_LOWERING.cpu);
    expect(resolveLowering(ir, {}, 'tensorflow')).toEqual(AUTO_LOWERING_OTHER);
    expect(resolveLowering(ir, {}, 'webgl')).toEqual({ experts: 'separate', gates: 'separate' });
    expect(resolveLowering(ir)).toEqual({ experts: 'separate', gates: 'separate' });
    expect(resolveLowering(ir, {}, 'toString')).toEqual(AUTO_LOWERING_OTHER);
  });
  it('the spec value and the override win over auto', () => {
    const spec = { ...ir, lowering: { experts: 'separate', gates: 'fused' } as const };
    expect(resolveLowering(spec, {}, 'wasm')).toEqual({ experts: 'separate', gates: 'fused' });
    expect(resolveLowering(spec, { experts: 'fused' }, 'tensorflow')).toEqual({ experts: 'fused', gates: 'fused' });
    expect(resolveLowering(ir, { gates: 'auto' }, 'cpu')).toEqual(AUTO_LOWERING.cpu);
  });
});

describe('buildModel resolves auto for the active backend', () => {
  const layerNames = (backend: 'wasm' | 'cpu') => {
    const model = buildModel(loadIr('mmoe'), tf, { seed: 1 });
    const names = model.layers.map((l) => l.name);
    model.dispose();
    return { backend, fusedExperts: names.some((n) => n.includes('_fused_')), fusedGates: names.some((n) => n.includes('_gates_fused')) };
  };
  it.each(['wasm', 'cpu'] as const)('%s', async (backend) => {
    await activateBackend(tf, backend);
    const got = layerNames(backend);
    expect(got.fusedExperts).toBe(AUTO_LOWERING[backend].experts === 'fused');
    expect(got.fusedGates).toBe(AUTO_LOWERING[backend].gates === 'fused');
  });
});
