// 'auto' lowering per backend: the measured choice on wasm and cpu (experts fused only when
// single-layer), 'separate' elsewhere; an explicit spec value or build override always wins;
// buildModel resolves for the active backend.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelIR } from '../../src/compiler/ir.js';
import { AUTO_LOWERING, AUTO_LOWERING_OTHER, buildModel, resolveLowering } from '../../src/compiler/build/index.js';
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
  it('auto: per backend; experts fused only when every multi-expert pool has one layer', () => {
    expect(resolveLowering(oneLayer(), {}, 'wasm')).toEqual(AUTO_LOWERING.wasm);
    expect(resolveLowering(oneLayer(), {}, 'cpu')).toEqual(AUTO_LOWERING.cpu);
    expect(resolveLowering(deep, {}, 'wasm')).toEqual({ experts: 'separate', gates: AUTO_LOWERING.wasm.gates });
    expect(resolveLowering(deep, {}, 'cpu')).toEqual({ experts: 'separate', gates: AUTO_LOWERING.cpu.gates });
  });
  it('separate where not measured (tfjs-node, webgl, unknown)', () => {
    for (const b of ['tensorflow', 'webgl', 'toString', undefined]) expect(resolveLowering(oneLayer(), {}, b)).toEqual(AUTO_LOWERING_OTHER);
    expect(AUTO_LOWERING_OTHER).toEqual({ experts: 'separate', gates: 'separate' });
  });
  it('the spec value and the override win over auto', () => {
    const spec = { ...deep, lowering: { experts: 'fused', gates: 'separate' } as const };
    expect(resolveLowering(spec, {}, 'wasm')).toEqual({ experts: 'fused', gates: 'separate' });
    expect(resolveLowering(spec, { experts: 'separate', gates: 'fused' }, 'tensorflow')).toEqual({ experts: 'separate', gates: 'fused' });
    expect(resolveLowering(oneLayer(), { gates: 'auto' }, 'cpu')).toEqual(AUTO_LOWERING.cpu);
  });
});

describe('buildModel resolves auto for the active backend', () => {
  it.each(['wasm', 'cpu'] as const)('%s', async (backend) => {
    await activateBackend(tf, backend);
    const model = buildModel(oneLayer(), tf, { seed: 1 });
    const names = model.layers.map((l) => l.name);
    model.dispose();
    expect(names.some((n) => n.includes('_fused_'))).toBe(AUTO_LOWERING[backend].experts === 'fused');
    expect(names.some((n) => n.includes('_gates_fused'))).toBe(AUTO_LOWERING[backend].gates === 'fused');
  });
});
