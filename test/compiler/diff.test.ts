// The semantic diff: formatting, key order, comments and extends refactors are the same model;
// model changes are named with their locations; training/data changes are listed apart.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { canonicalIr, diffModels } from '../../src/compiler/diff.js';
import { formatCount } from '../../src/compiler/summary.js';
import { captureIo, compiled, readConfig, ROOT, tempDir, writeTree } from './helpers.js';

async function diff(...args: string[]) {
  const io = captureIo();
  const code = await main(['diff', ...args], io);
  return { code, out: io.out$, err: io.err$ };
}

/** Every mapping's keys reversed, except featureGroups (whose key order is the input order). */
function reverseKeys(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => reverseKeys(x));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, reverseKeys(x, k)] as const);
    return Object.fromEntries(key === 'featureGroups' ? entries : entries.reverse());
  }
  return v;
}

const REFORMATTED_MMOE = `# A reformatted copy of configs/mmoe.yaml: block style, other key order, comments,
# quoted scalars and defaults written out. It must be the same model.
name: "mmoe"   # quoted on purpose
model:
  towers:
    - input: ctr_gate
      name: ctr
      units:
        - 16
    - {units: [16], name: cvr, input: cvr_gate, activation: relu}
  levels:
    - gates:
        - pools: [experts]
          name: ctr_gate
          temperature: 1.0
        - name: cvr_gate
          pools:
            - experts
      pools:
        # four shared experts
        - units: [64, 32]
          count: 4
          name: 'experts'
          batchNorm: false
extends: ./base/ecom-base.yaml
specVersion: 1
`;

const MODEL_SECTION = readConfig('mmoe.yaml').slice(readConfig('mmoe.yaml').indexOf('model:'));

describe('same model', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    const base = parse(readConfig('base/ecom-base.yaml'));
    writeTree(dir, {
      // formatting only: the spec above over a block-style, key-reversed copy of the base
      'fmt/mmoe.yaml': REFORMATTED_MMOE,
      'fmt/base/ecom-base.yaml': `# reformatted base\n${stringify(reverseKeys(base), { collectionStyle: 'block' })}`,
      // extends refactor 1: everything inline
      'inline/mmoe.yaml': `${readConfig('base/ecom-base.yaml')}\nname: mmoe\n${MODEL_SECTION}`,
      // extends refactor 2: a two-step chain, the model moved into an intermediate fragment
      'chain/base/ecom-base.yaml': readConfig('base/ecom-base.yaml'),
      'chain/base/mmoe-model.yaml': `specVersion: 1\nextends: ecom-base.yaml\n${MODEL_SECTION}`,
      'chain/mmoe.yaml': 'specVersion: 1\nextends: base/mmoe-model.yaml\nname: mmoe\n',
      // no name: the IR name falls back to the file name
      'noname/mmoe-inline.yaml': `${readConfig('base/ecom-base.yaml')}\n${MODEL_SECTION}`,
    });
  });

  it.each(['fmt', 'inline', 'chain'])(
    'configs/mmoe.yaml vs the %s variant: same model, exit 0, nothing else listed',
    async (variant) => {
      const r = await diff('configs/mmoe.yaml', join(dir, variant, 'mmoe.yaml'));
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const { cost } = compiled('configs/mmoe.yaml');
      expect(r.out).toBe(
        `configs/mmoe.yaml -> ${join(dir, variant, 'mmoe.yaml')}: same model\n  MMoE, ${formatCount(cost.params)} parameters, ${formatCount(cost.flops)} FLOPs per example`,
      );
    },
  );

  it('the formatting-only variant really differs in text and positions', () => {
    const a = compiled('configs/mmoe.yaml');
    const b = compiled(join(dir, 'fmt/mmoe.yaml'));
    expect(readFileSync(join(dir, 'fmt/mmoe.yaml'), 'utf8')).not.toBe(readConfig('mmoe.yaml'));
    expect(a.locs!.get('/model/towers/0')!.value.line).not.toBe(b.locs!.get('/model/towers/0')!.value.line);
    expect(canonicalIr(a.ir)).toBe(canonicalIr(b.ir));
  });

  it('a spec without name: is still the same model; the name change is listed apart', async () => {
    const r = await diff('configs/mmoe.yaml', join(dir, 'noname/mmoe-inline.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(': same model');
    expect(r.out).toContain(
      'training, data and metadata changes (the model is the same either way)\n  ~ name: mmoe -> none    configs/mmoe.yaml:6:7 -> —',
    );
  });

  it('training changes are listed with their locations but keep "same model"', async () => {
    const r = await diff(
      'configs/mmoe.yaml',
      'configs/mmoe.yaml',
      '--set-b',
      'training.epochs=7',
      '--set-b',
      'data.rows=100',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('same model');
    expect(r.out).toContain('~ data.rows: 20,000 -> 100    configs/base/ecom-base.yaml:9:9 -> <--set>:2:11');
    expect(r.out).toContain('~ training.epochs: 4 -> 7    configs/base/ecom-base.yaml:44:11 -> <--set>:1:17');
  });

  it('feature settings the IR does not carry are training/data changes', async () => {
    const r = await diff('configs/mmoe.yaml', 'configs/mmoe.yaml', '--set-b', 'features[1].normalization=minmax');
    expect(r.code).toBe(0);
    expect(r.out).toContain('~ features.user_age.normalization: standard -> minmax');
  });
});

describe('different model', () => {
  it('names the changed field, old -> new, with both locations, and the cost deltas', async () => {
    const r = await diff('configs/mmoe.yaml', 'configs/mmoe.yaml', '--set-b', 'model.levels[0].pools[0].count=8');
    expect(r.code).toBe(1);
    expect(r.out).toContain('configs/mmoe.yaml -> configs/mmoe.yaml: different model');
    expect(r.out).toContain(
      'expert pools\n  ~ experts    configs/mmoe.yaml:10:11 -> configs/mmoe.yaml:10:11\n      count: 4 -> 8    configs/mmoe.yaml:10:35 -> <--set>:1:32',
    );
    expect(r.out).toContain('numExperts: 4 -> 8 (derived)');
    expect(r.out).toMatch(/level0\/pool\/experts\s+20,096 -> 40,192 \(\+20,096\)/);
    const before = compiled('configs/mmoe.yaml').cost.params;
    const after = compiled('configs/mmoe.yaml', ['model.levels[0].pools[0].count=8']).cost.params;
    expect(after - before).toBe(20_096 + 2 * 184);
    expect(r.out).toContain(`${formatCount(before)} -> ${formatCount(after)} (+20,464)`);
  });

  it('names a change of family', async () => {
    const r = await diff('configs/moe.yaml', 'configs/mmoe.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toContain('family: MoE (one gate) -> MMoE');
  });

  it('embedding vocabulary size and width changes', () => {
    const a = compiled('configs/mmoe.yaml');
    const b = compiled('configs/mmoe.yaml', ['features[3].hashBuckets=128', 'features[3].embeddingDim=6']);
    const d = diffModels(a, b);
    expect(d.sameModel).toBe(false);
    const emb = d.changes.find((c) => c.kind === 'embedding' && c.name === 'emb_user_city')!;
    const size = (side: typeof a) => side.ir.embeddings.find((e) => e.name === 'emb_user_city')!.vocabSize!;
    expect(size(b) - size(a)).toBe(64);
    expect(emb.fields.map((f) => [f.field, f.from, f.to])).toEqual([
      ['vocabSize', size(a), size(b)],
      ['dim', 4, 6],
    ]);
    expect(d.changes.find((c) => c.kind === 'group' && c.name === 'user')!.fields).toMatchObject([
      { field: 'width', from: 23, to: 25, derived: true },
    ]);
    expect(d.settings.map((s) => s.setting)).toEqual(['features.user_city.hashBuckets']);
    expect(d.cost.blocks.find((x) => x.block === 'embedding/emb_user_city')).toMatchObject({
      params: size(b) * 6 - size(a) * 4,
    });
  });

  it('list order is part of the model (tasks are outputs in order)', () => {
    const a = compiled('configs/mmoe.yaml');
    const b = compiled('configs/mmoe.yaml', [
      'tasks=[{name: cvr, label: conversion, sampleSpace: {column: click, equals: 1}}, {name: ctr, label: click}]',
    ]);
    const d = diffModels(a, b);
    expect(d.sameModel).toBe(false);
    expect(d.changes.filter((c) => c.kind === 'task')).toEqual([]);
    expect(d.order).toMatchObject([{ kind: 'task', from: ['ctr', 'cvr'], to: ['cvr', 'ctr'] }]);
  });

  it('added and removed entities carry the location of their own side', () => {
    const d = diffModels(compiled('configs/shared-bottom.yaml'), compiled('configs/esmm.yaml'));
    const added = d.changes.find((c) => c.change === 'added' && c.name === 'ctcvr')!;
    expect(added).toMatchObject({ kind: 'task', b: { file: 'configs/esmm.yaml', line: 17, column: 5 } });
    expect(added.a).toBeUndefined();
  });
});

describe('formats and errors', () => {
  it('json is stable and says sameModel', async () => {
    const r = await diff('--format', 'json', 'configs/moe.yaml', 'configs/mmoe.yaml');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.sameModel).toBe(false);
    expect(j.family).toMatchObject({ from: 'MoE (one gate)', to: 'MMoE' });
    expect(Object.keys(j)).toEqual([...Object.keys(j)].sort());
  });

  it('markdown has a table of changes', async () => {
    const r = await diff('--format', 'markdown', 'configs/moe.yaml', 'configs/mmoe.yaml');
    expect(r.out).toContain('| removed | gates | `gate` |');
  });

  it('an invalid spec prints its diagnostics and exits 2', async () => {
    const dir = writeTree(tempDir(), {
      'bad.yaml': readConfig('mmoe.yaml').replace(
        'pools: [experts] }\n        - { name: cvr_gate',
        'pools: [expertz] }\n        - { name: cvr_gate',
      ),
    });
    mkdirSync(join(dir, 'base'));
    copyFileSync(join(ROOT, 'configs/base/ecom-base.yaml'), join(dir, 'base/ecom-base.yaml'));
    const r = await diff('configs/mmoe.yaml', join(dir, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(new RegExp(`${join(dir, 'bad.yaml')}:12:\\d+: error`));
    const md = await diff('--format', 'markdown', 'configs/mmoe.yaml', join(dir, 'bad.yaml'));
    expect(md.code).toBe(2);
    expect(md.out).toContain('### Could not compare');
  });

  it('an unreadable file exits 2', async () => {
    const r = await diff('configs/mmoe.yaml', 'configs/does-not-exist.yaml');
    expect(r.code).toBe(2);
    expect(r.out).toContain('configs/does-not-exist.yaml:1:1: error file-not-found');
  });

  it('a bad --format is a usage error', async () => {
    expect((await diff('--format', 'yaml', 'configs/mmoe.yaml', 'configs/mmoe.yaml')).code).toBe(2);
  });
});
