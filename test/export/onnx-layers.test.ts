// ONNX export parity, layer by layer: the hand-built tiny IR (every feature kind, shared tables,
// two pools, scenario-aware gates, per-scenario towers, a regression head, a product task and
// a multi-class head)
// in every variant the builder has (pooling modes, activations, batch norm, temperature, top-k,
// fused and separate experts and gates), with random weights (batch-norm statistics too):
// ONNX Runtime's outputs (onnxruntime-node and onnxruntime-web) equal the tfjs model's on 256 random rows (sequence padding, an
// all-padding row, every scenario and the unknown one).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { buildModel, serializeModel } from '../../src/compiler/build/index.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { exportOnnx } from '../../src/export/onnx/export.js';
import { maxAbsDiff, predictByTask, randomBatch, randomizeWeights, tinyIr } from '../build/fixtures.js';
import { type Ort, runOrt } from '../build/ort-run.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

/** Every exported graph, for the ONNX checker below. */
const exported: Uint8Array[] = [];

async function exportAndCompare(ir: ModelIR, lowering: ModelIR['lowering'], seed: number): Promise<number> {
  const model = buildModel({ ...ir, lowering }, tf, { seed });
  randomizeWeights(tf, model, seed + 1);
  const batch = randomBatch(ir, 256, seed + 2);
  const expected = predictByTask(tf, model, batch);
  const saved = await serializeModel(tf, model);
  model.dispose();
  // The lowering really is the one asked for (fused experts: Dense + GroupedDense; fused gates: one Dense).
  expect(saved.modelJson.includes('GroupedDense')).toBe(lowering.experts === 'fused');
  expect(saved.modelJson.includes('_gates_fused0')).toBe(lowering.gates === 'fused');
  const onnx = exportOnnx({ ir, modelJson: JSON.parse(saved.modelJson), weights: saved.weightsBin });
  exported.push(onnx.bytes);
  expect(onnx.outputs).toEqual(Object.keys(expected));
  let worst = 0;
  for (const ort of [ortNode, ortWeb as unknown as Ort]) {
    const got = await runOrt(ort, onnx.bytes, batch, onnx.inputs);
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    worst = Math.max(worst, maxAbsDiff(expected, got));
  }
  return worst;
}

const LOWERINGS: ModelIR['lowering'][] = [
  { experts: 'separate', gates: 'separate' },
  { experts: 'fused', gates: 'fused' },
];

const VARIANTS: [string, Parameters<typeof tinyIr>[0]][] = [
  ['mean pooling, relu', {}],
  [
    'max pooling, gelu, batch norm, temperature 0.5',
    { pooling: 'max', activation: 'gelu', batchNorm: true, temperature: 0.5 },
  ],
  ['sum pooling, leaky_relu, top-2 gates', { pooling: 'sum', activation: 'leaky_relu', topK: 2 }],
  [
    'swish + selu, top-1, batch norm, shared towers',
    { activation: 'swish', towerActivation: 'selu', topK: 1, batchNorm: true, perScenario: false },
  ],
  [
    'elu + tanh, temperature 2 and top-2, no scenario gates',
    { activation: 'elu', towerActivation: 'tanh', temperature: 2, topK: 2, scenarioAware: false },
  ],
  [
    'sigmoid + linear, dropout (inference: identity)',
    { activation: 'sigmoid', towerActivation: 'linear', dropout: 0.3 },
  ],
  ['a multi-class head (Dense(4) + softmax)', { multiclass: true, perScenario: false }],
];

describe('ONNX export equals the tfjs model (onnxruntime-node and onnxruntime-web, 256 rows)', () => {
  VARIANTS.forEach(([label, opts], v) => {
    for (const lowering of LOWERINGS) {
      it(`${label}; experts ${lowering.experts}, gates ${lowering.gates}`, async () => {
        const d = await exportAndCompare(tinyIr(opts), lowering, 10 * v + 1);
        expect(d).toBeLessThan(1e-5);
        console.log(
          `onnx layer parity ${label}; ${lowering.experts}/${lowering.gates}: max |diff| ${d.toExponential(2)}`,
        );
      });
    }
  });
});

// The ONNX checker exists only in Python's onnx package (no npm package has it). Where Debian's
// python3-onnx is installed, every graph above must pass onnx.checker.check_model with
// full_check (shape inference included); elsewhere this test is skipped, saying why.
const PYTHON = process.env.ONNX_CHECKER_PYTHON ?? '/usr/bin/python3';
const hasChecker = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
describe('the ONNX checker', () => {
  (hasChecker ? it : it.skip)(
    `accepts every exported graph${hasChecker ? '' : ` (skipped: ${PYTHON} cannot import onnx; apt-get install python3-onnx)`}`,
    () => {
      expect(exported.length).toBe(VARIANTS.length * LOWERINGS.length);
      const dir = mkdtempSync(join(tmpdir(), 'mmoe-onnx-check-'));
      try {
        const files = exported.map((bytes, i) => {
          const f = join(dir, `m${i}.onnx`);
          writeFileSync(f, bytes);
          return f;
        });
        const script =
          'import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1, "ok")';
        expect(execFileSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' }).trim()).toBe(`${files.length} ok`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
