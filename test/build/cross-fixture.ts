// The tiny IR of fixtures.ts with DCN-v2 cross layers on its pools (build, ONNX and PyTorch tests).
import type { CrossIR, ModelIR } from '../../src/compiler/ir.js';
import { tinyIr } from './fixtures.js';

/** tinyIr with cross layers on its pools: the 3-expert pool full-rank, the other low-rank. */
export function crossTinyIr(shared: CrossIR, other: CrossIR): ModelIR {
  const ir = tinyIr();
  const [a, b] = ir.levels[0].pools;
  ir.levels[0].pools = [
    { ...a, cross: shared },
    { ...b, cross: other },
  ];
  return ir;
}
