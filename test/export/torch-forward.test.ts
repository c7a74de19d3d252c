// The PyTorch target computes what the tfjs model computes: for every family config and a
// hand-built IR with every feature kind, activation, pooling, gate option and head (every
// lowering), the generated module with the tfjs weights (mapped through weights_map.json) gives
// the tfjs outputs to 1e-5 on random rows including padding-only sequences and unknown scenarios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, type Lowering } from '../../src/compiler/build/index.js';
import { serializeModel } from '../../src/compiler/build/save.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { torchPackage } from '../../src/export/torch/export.js';
import {
  FAMILY_CONFIGS,
  loadIr,
  maxAbsDiff,
  predictByTask,
  randomBatch,
  randomizeWeights,
  tinyIr,
  withSmallTables,
} from '../build/fixtures.js';
import { STAR_VARIANTS } from '../build/star-fixtures.js';
import { torch } from './python.js';

const LOWERINGS: Lowering[] = [
  { experts: 'separate', gates: 'separate' },
  { experts: 'fused', gates: 'fused' },
];
const ROWS = 64;

interface Case {
  label: string;
  dir: string;
  want: Record<string, number[]>;
}

let tf: Tf;
const cases: Case[] = [];
const got = new Map<string, Record<string, number[]>>();

async function addCase(root: string, label: string, ir: ModelIR, lowering: Lowering, seed: number): Promise<void> {
  const model = buildModel(ir, tf, { seed, lowering, training: false });
  randomizeWeights(tf, model, seed + 1);
  const batch = randomBatch(ir, ROWS, seed + 2);
  const want = predictByTask(tf, model, batch);
  const s = await serializeModel(tf, model);
  model.dispose();
  const folder = join(root, `${cases.length}-model`);
  mkdirSync(folder);
  writeFileSync(join(folder, 'model.json'), s.modelJson);
  writeFileSync(join(folder, 'weights.bin'), s.weightsBin);
  writeFileSync(join(folder, 'ir.json'), JSON.stringify(ir));
  for (const f of ['pipeline.json', 'spec.json']) writeFileSync(join(folder, f), '{}');
  const dir = join(root, `${cases.length}-torch`);
  mkdirSync(dir);
  for (const [rel, content] of torchPackage(folder).files) writeFileSync(join(dir, rel), content);
  writeFileSync(join(dir, 'batch.json'), JSON.stringify(batch));
  cases.push({ label, dir, want });
}

beforeAll(async () => {
  if (!torch.python) return;
  ({ tf } = await initBackend('cpu'));
  const root = mkdtempSync(join(tmpdir(), 'mmoe-torch-fwd-'));
  for (const config of [...FAMILY_CONFIGS, 'ecom']) {
    for (const lowering of LOWERINGS)
      await addCase(
        root,
        `${config} ${lowering.experts}/${lowering.gates}`,
        withSmallTables(loadIr(config), 200),
        lowering,
        7,
      );
  }
  const tiny: [string, Parameters<typeof tinyIr>[0]][] = [
    ['tiny: mean pooling, relu, scenario-aware gates, per-scenario towers', {}],
    ['tiny: sum pooling, gelu, batch norm', { pooling: 'sum', activation: 'gelu', batchNorm: true }],
    ['tiny: max pooling, elu, leaky_relu towers', { pooling: 'max', activation: 'elu', towerActivation: 'leaky_relu' }],
    ['tiny: selu / swish', { activation: 'selu', towerActivation: 'swish' }],
    [
      'tiny: tanh / sigmoid, temperature 0.5, top-2',
      { activation: 'tanh', towerActivation: 'sigmoid', temperature: 0.5, topK: 2 },
    ],
    ['tiny: no scenario', { scenarioAware: false, perScenario: false }],
  ];
  for (const [label, opts] of tiny)
    for (const lowering of LOWERINGS)
      await addCase(root, `${label} ${lowering.experts}/${lowering.gates}`, tinyIr(opts), lowering, 5);
  for (const [label, ir] of STAR_VARIANTS) await addCase(root, `tiny STAR: ${label}`, ir, LOWERINGS[0], 5);
  const list = cases.map((c) => ({ dir: c.dir, batch: join(c.dir, 'batch.json'), out: join(c.dir, 'out.json') }));
  writeFileSync(join(root, 'cases.json'), JSON.stringify(list));
  const r = spawnSync(torch.python, [join(import.meta.dirname, 'torch_forward.py'), join(root, 'cases.json')], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`torch_forward.py failed:\n${r.stderr}`);
  for (const c of cases) got.set(c.label, JSON.parse(readFileSync(join(c.dir, 'out.json'), 'utf8')));
}, 240_000);

describe.skipIf(!torch.python)('PyTorch forward pass equals tfjs', () => {
  it('covers every family config, ecom and the hand-built IRs under two lowerings', () => {
    expect(cases.length).toBe((FAMILY_CONFIGS.length + 1) * 2 + 6 * 2 + STAR_VARIANTS.length);
  });
  it.each([...FAMILY_CONFIGS, 'ecom'].flatMap((c) => LOWERINGS.map((l) => `${c} ${l.experts}/${l.gates}`)))(
    '%s',
    (label) => {
      const c = cases.find((x) => x.label === label)!;
      expect(maxAbsDiff(c.want, got.get(label)!)).toBeLessThan(1e-5);
    },
  );
  it('hand-built IRs (every feature kind, activation, pooling, gate option, head)', () => {
    for (const c of cases.filter((x) => x.label.startsWith('tiny')))
      expect(maxAbsDiff(c.want, got.get(c.label)!), c.label).toBeLessThan(1e-5);
  });
});
