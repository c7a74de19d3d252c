// The parameter count that validate, explain (summary) and diff report is the number of weights
// in the built model.json (the sum of the weight shapes in its manifest), for every config in
// configs/, for edge specs where some block reaches no task output (an unused gate, pool, tower
// chain, scenario-aware gate; fused and separate lowerings), and for seeded rewirings of the PLE
// config. A block the model does not contain is a located `unused` warning and is not counted.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildModel, serializeModel, type Lowering } from '../../src/compiler/build/index.js';
import { checkSpec, lowerChecked, type CheckedSpec } from '../../src/compiler/front.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { ADULT_DIR, HAVE_ADULT } from '../train/helpers.js';

let tf: Tf;
const tmp = mkdtempSync(join(tmpdir(), 'mmoe-params-'));
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Sum of the weight shapes listed in model.json's weightsManifest. */
async function manifestWeights(ir: ModelIR, lowering?: Partial<Lowering>): Promise<number> {
  const model = buildModel(ir, tf, { seed: 1, lowering });
  const { modelJson } = await serializeModel(tf, model);
  model.dispose();
  const manifest = JSON.parse(modelJson).weightsManifest as { weights: { shape: number[] }[] }[];
  return manifest.flatMap((g) => g.weights).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
}

function checked(path: string, sets: string[] = []): CheckedSpec & { ir: ModelIR } {
  const c = checkSpec(path, { sets });
  if (!c.ir || !c.spec)
    throw new Error(
      `${path} ${sets.join(' ')}: ${c.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`,
    );
  // vocabularies learned from data (census) get a size, as the fitted pipeline would give them
  const learned = c.ir.embeddings.filter((t) => t.vocabSize === null).map((t) => [t.name, 7 + t.name.length] as const);
  return learned.length
    ? { ...c, ...lowerChecked(c.spec, c.name, Object.fromEntries(learned)) }
    : (c as CheckedSpec & { ir: ModelIR });
}

const configs = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? e.name === 'base'
          ? []
          : configs(join(dir, e.name))
        : e.name.endsWith('.yaml')
          ? [join(dir, e.name)]
          : [],
    )
    .sort();

// The edge specs extend a copy of the family base next to them: `extends` stays inside the root.
const BASE = join(tmp, 'ecom-base.yaml');
writeFileSync(BASE, readFileSync(resolve('configs/base/ecom-base.yaml'), 'utf8'));
const lineOf = (text: string, s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;

describe('parameters counted = weights in model.json', () => {
  it('every config in configs/', async () => {
    // the census specs need ../shared/data (read rules); without it they are left out, saying so
    const files = configs('configs').filter((f) => HAVE_ADULT || !f.includes('census'));
    if (!HAVE_ADULT) console.warn(`[census configs skipped] ${ADULT_DIR} is missing`);
    expect(files.length).toBeGreaterThanOrEqual(HAVE_ADULT ? 16 : 10);
    for (const f of files) {
      const c = checked(f);
      expect(c.cost!.params, f).toBe(await manifestWeights(c.ir));
      expect(c.cost!.unused, f).toEqual([]);
    }
  });

  it('a tower reading another task gate: the gate is not built, not counted, and warned about at its name', async () => {
    const c = checked('configs/mmoe.yaml', ['model.towers.cvr.input=ctr_gate']);
    const built = await manifestWeights(c.ir);
    expect(c.cost!.params).toBe(built);
    expect(c.cost!.unused.map((b) => b.block)).toEqual(['level0/gate/cvr_gate']);
    // the unused gate is exactly the difference from the intact model
    const intact = checked('configs/mmoe.yaml');
    expect(intact.cost!.params - built).toBe(c.cost!.unused[0].params);
    const text = readFileSync('configs/mmoe.yaml', 'utf8');
    const line = lineOf(text, 'name: cvr_gate');
    expect(c.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ['warning', 'unused', line, text.split('\n')[line - 1].indexOf('cvr_gate') + 1],
    ]);
  });

  const EDGE: Record<string, string> = {
    // a tower no task uses, and everything only it reads: its gate (scenario-aware: the scenario
    // embedding is not built either), its pool, the group only that pool reads, that group's features
    chain: `
model:
  levels:
    - pools:
        - { name: experts, count: 2, units: [16], inputs: [user, item] }
        - { name: side, count: 2, units: [16], inputs: [context] }
      gates:
        - { name: ctr_gate, pools: [experts] }
        - { name: cvr_gate, pools: [experts] }
        - { name: side_gate, pools: [side], scenarioAware: true }
  towers:
    - { name: ctr, input: ctr_gate, units: [8] }
    - { name: cvr, input: cvr_gate, units: [8] }
    - { name: side_tower, input: side_gate, units: [8] }
`,
    // a pool no gate mixes (its own group too), gates fused by the spec
    pool: `
featureGroups:
  extra: [user_city]
model:
  lowering: { gates: fused }
  levels:
    - pools:
        - { name: experts, count: 3, units: [16, 8], inputs: [user, item] }
        - { name: spare, count: 2, units: [8], inputs: [extra] }
      gates:
        - { name: ctr_gate, pools: [experts] }
        - { name: cvr_gate, pools: [experts] }
        - { name: idle_gate, pools: [experts] }
  towers:
    - { name: ctr, input: ctr_gate, units: [8] }
    - { name: cvr, input: cvr_gate, units: [8] }
`,
    // ESMM over a shared bottom, with a tower nobody uses and a per-scenario tower
    esmm: `
model:
  levels:
    - pools:
        - { name: bottom, count: 1, units: [16] }
        - { name: other, count: 1, units: [16] }
  towers:
    - { name: ctr, input: bottom, units: [8], perScenario: true }
    - { name: cvr, input: bottom, units: [8] }
    - { name: spare, input: other, units: [8] }
tasks:
  - { name: ctr, label: click }
  - { name: cvr }
  - { name: ctcvr, label: conversion, product: [ctr, cvr] }
`,
  };
  const expectedWarnings: Record<string, string[]> = {
    chain: ['feature context_hour', 'featureGroups context', 'pool side', 'gate side_gate', 'tower side_tower'],
    // the base's context group is read by no pool here
    pool: ['feature context_hour', 'featureGroups context', 'featureGroups extra', 'pool spare', 'gate idle_gate'],
    esmm: ['pool other', 'tower spare'],
  };

  for (const [name, body] of Object.entries(EDGE)) {
    it(`edge spec "${name}": counted = built, in both lowerings; each unused block warned at its line`, async () => {
      const file = join(tmp, `${name}.yaml`);
      const text = `specVersion: 1\nextends: ecom-base.yaml\nname: ${name}\n${body}`;
      writeFileSync(file, text);
      const c = checked(file);
      expect(c.cost!.unused.length).toBeGreaterThan(0);
      for (const lowering of [
        { experts: 'separate', gates: 'separate' },
        { experts: 'fused', gates: 'fused' },
      ] as const) {
        expect(c.cost!.params, `${lowering.experts}/${lowering.gates}`).toBe(await manifestWeights(c.ir, lowering));
      }
      const where = (d: { file: string; line: number }) =>
        (resolve(d.file) === BASE ? readFileSync(BASE, 'utf8') : text).split('\n')[d.line - 1];
      const warned = c.diagnostics.filter((d) => d.code === 'unused');
      expect(warned.every((d) => d.severity === 'warning')).toBe(true);
      const got = warned.map((d) => {
        const [kind, key] = d.path!.startsWith('/featureGroups/')
          ? ['featureGroups', d.path!.split('/')[2]]
          : [d.message.split(' "')[0].replace(/^feature group$/, 'featureGroups'), /"([^"]+)"/.exec(d.message)![1]];
        // the warning points at the block's name in the file that defines it
        expect(
          where(d)
            .slice(d.column - 1)
            .startsWith(key),
          `${d.file}:${d.line}:${d.column} ${d.message}`,
        ).toBe(true);
        return `${kind} ${key}`;
      });
      expect(got.sort()).toEqual([...expectedWarnings[name]].sort());
    });
  }

  it('24 seeded rewirings of configs/ple.yaml (towers and gates reading other gates, pools left out)', async () => {
    let a = 20_261_130;
    const next = (n: number) => ((a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0) >>> 8) % n;
    const pick = <T>(xs: readonly T[]) => xs[next(xs.length)];
    let withUnused = 0;
    let built = 0;
    for (let i = 0; i < 24; i++) {
      const sets = [
        `model.towers.ctr.input=${pick(['ctr_gate', 'cvr_gate'])}`,
        `model.towers.cvr.input=${pick(['ctr_gate', 'cvr_gate'])}`,
        `model.levels[1].pools[0].inputs=[${pick(['l1_shared_gate', 'l1_ctr_gate', 'l1_cvr_gate'])}]`,
        `model.levels[1].gates[0].pools=${pick(['[l2_ctr, l2_shared]', '[l2_ctr]', '[l2_shared]'])}`,
        `model.levels[1].gates[1].inputs=[${pick(['l1_cvr_gate', 'l1_ctr_gate'])}]`,
        `model.lowering.gates=${pick(['fused', 'separate'])}`,
      ];
      const c = checkSpec('configs/ple.yaml', { sets });
      if (!c.ir) continue; // a rewiring the rules refuse
      built++;
      if (c.cost!.unused.length) withUnused++;
      expect(c.cost!.params, sets.join(' ')).toBe(await manifestWeights(c.ir));
      expect(c.diagnostics.filter((d) => d.code === 'unused').length, sets.join(' ')).toBeGreaterThanOrEqual(
        c.cost!.unused.filter((b) => !b.block.startsWith('embedding/')).length,
      );
    }
    expect(built).toBeGreaterThanOrEqual(20);
    expect(withUnused).toBeGreaterThanOrEqual(10);
  });
});

describe('validate, explain and diff report the built count', () => {
  async function run(...argv: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const code = await main(argv, { out: (s) => out.push(s), err: (s) => out.push(s) });
    return { code, out: out.join('\n') };
  }
  const fmt = (n: number) => n.toLocaleString('en-US');

  it('mmoe with the cvr tower on ctr_gate', async () => {
    const set = ['--set', 'model.towers.cvr.input=ctr_gate'];
    const weights = await manifestWeights(checked('configs/mmoe.yaml', set.slice(1)).ir);
    const intact = await manifestWeights(checked('configs/mmoe.yaml').ir);
    const v = await run('validate', 'configs/mmoe.yaml', ...set);
    expect(v.code).toBe(0);
    expect(v.out).toContain(`${fmt(weights)} parameters`);
    expect(v.out).toMatch(/configs\/mmoe\.yaml:\d+:\d+: warning unused: gate "cvr_gate"/);
    const e = await run('explain', 'configs/mmoe.yaml', ...set, '--format', 'json');
    expect(JSON.parse(e.out).summary.params).toBe(weights);
    expect(JSON.parse(e.out).summary.unused.map((b: { block: string }) => b.block)).toEqual(['level0/gate/cvr_gate']);
    const d = await run(
      'diff',
      'configs/mmoe.yaml',
      'configs/mmoe.yaml',
      '--set-b',
      'model.towers.cvr.input=ctr_gate',
      '--format',
      'json',
    );
    const diff = JSON.parse(d.out);
    expect([diff.a.params, diff.b.params]).toEqual([intact, weights]);
  });
});
