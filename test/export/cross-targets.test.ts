// DCN-v2 cross layers on every target: the ONNX export (onnxruntime-node and onnxruntime-web)
// and the generated PyTorch module (weights mapped through weights_map.json) give the tfjs
// model's outputs, which test/build/cross.test.ts checks against a float64 reference; full and
// low rank, under both lowerings, and configs/ecom-cross.yaml.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, type Lowering } from '../../src/compiler/build/index.js';
import { serializeModel } from '../../src/compiler/build/save.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { exportOnnx } from '../../src/export/onnx/export.js';
import { torchPackage } from '../../src/export/torch/export.js';
import { crossTinyIr } from '../build/cross-fixture.js';
import { type Ort, runOrt } from '../build/ort-run.js';
import {
  loadIr,
  maxAbsDiff,
  predictByTask,
  randomBatch,
  randomizeWeights,
  withSmallTables,
  type Batch,
} from '../build/fixtures.js';
import { torch } from './python.js';

const ROWS = 64;
const LOWERINGS: Lowering[] = [
  { experts: 'separate', gates: 'separate' },
  { experts: 'fused', gates: 'fused' },
];
// configs/ecom-cross.yaml under one lowering: its only pool has cross layers, so it is built
// expert by expert under both.
const IRS: [string, () => ModelIR, Lowering[]][] = [
  [
    'tiny, full rank (2 and 1 layers)',
    () => crossTinyIr({ layers: 2, rank: null }, { layers: 1, rank: null }),
    LOWERINGS,
  ],
  [
    'tiny, low rank 3 and full rank 3 layers',
    () => crossTinyIr({ layers: 1, rank: 3 }, { layers: 3, rank: null }),
    LOWERINGS,
  ],
  ['configs/ecom-cross.yaml', () => withSmallTables(loadIr('ecom-cross'), 200), LOWERINGS.slice(0, 1)],
];

interface Case {
  label: string;
  ir: ModelIR;
  batch: Batch;
  want: Record<string, number[]>;
  modelJson: string;
  weights: Uint8Array;
  folder: string;
}

let tf: Tf;
const cases: Case[] = [];
const root = mkdtempSync(join(tmpdir(), 'mmoe-cross-targets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
  for (const [label, make, lowerings] of IRS) {
    for (const lowering of lowerings) {
      const ir = make();
      const model = buildModel(ir, tf, { seed: 3, lowering, training: false });
      randomizeWeights(tf, model, 4);
      const batch = randomBatch(ir, ROWS, 5);
      const want = predictByTask(tf, model, batch);
      const s = await serializeModel(tf, model);
      model.dispose();
      const folder = join(root, `${cases.length}-model`);
      mkdirSync(folder);
      writeFileSync(join(folder, 'model.json'), s.modelJson);
      writeFileSync(join(folder, 'weights.bin'), s.weightsBin);
      writeFileSync(join(folder, 'ir.json'), JSON.stringify(ir));
      for (const f of ['pipeline.json', 'spec.json']) writeFileSync(join(folder, f), '{}');
      cases.push({
        label: `${label}, experts ${lowering.experts}`,
        ir,
        batch,
        want,
        modelJson: s.modelJson,
        weights: s.weightsBin,
        folder,
      });
    }
  }
}, 120_000);

describe('ONNX export of cross layers equals tfjs (onnxruntime-node and -web)', () => {
  it('every case', async () => {
    expect(cases).toHaveLength(5);
    for (const c of cases) {
      const onnx = exportOnnx({ ir: c.ir, modelJson: JSON.parse(c.modelJson), weights: c.weights });
      for (const ort of [ortNode, ortWeb as unknown as Ort]) {
        const got = await runOrt(ort, onnx.bytes, c.batch, onnx.inputs);
        expect(Object.keys(got), c.label).toEqual(Object.keys(c.want));
        expect(maxAbsDiff(c.want, got), c.label).toBeLessThan(1e-5);
      }
    }
  });
});

describe.skipIf(!torch.python)('PyTorch module with cross layers equals tfjs', () => {
  it('every case', () => {
    const list = cases.map((c, i) => {
      const dir = join(root, `${i}-torch`);
      mkdirSync(dir);
      for (const [rel, content] of torchPackage(c.folder).files) writeFileSync(join(dir, rel), content);
      writeFileSync(join(dir, 'batch.json'), JSON.stringify(c.batch));
      return { dir, batch: join(dir, 'batch.json'), out: join(dir, 'out.json') };
    });
    writeFileSync(join(root, 'cases.json'), JSON.stringify(list));
    const r = spawnSync(torch.python!, [join(import.meta.dirname, 'torch_forward.py'), join(root, 'cases.json')], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`torch_forward.py failed:\n${r.stderr}`);
    cases.forEach((c, i) => {
      const got = JSON.parse(readFileSync(list[i].out, 'utf8')) as Record<string, number[]>;
      expect(maxAbsDiff(c.want, got), c.label).toBeLessThan(1e-5);
    });
  });
});
