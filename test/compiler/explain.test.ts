// explain: the sentence for each family (goldens hold the full texts), generic wording for
// unusual graphs, and the CLI (text, json, --graph, invalid spec).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { explain } from '../../src/compiler/explain.js';
import { formatCount, formatFlops } from '../../src/compiler/summary.js';
import { captureIo, compiled, tempDir, writeTree, readConfig } from './helpers.js';

const say = (path: string, sets?: string[]) => {
  const s = compiled(path, sets);
  return explain(s.ir, s.cost).text;
};

describe('explain', () => {
  it('states the seed MMoE as the design note does', () => {
    const s = compiled('configs/ecom.yaml');
    expect(explain(s.ir, s.cost).text).toBe(
      'MMoE: 3 shared experts [512, 256, 128] (leaky ReLU, batch norm), one softmax gate per task over all 3, towers [64] for ctr and cvr; ' +
        'binary heads ctr (label click) and cvr (label conversion, counted only where click = 1). ' +
        `${formatCount(s.cost.params)} parameters, ${formatFlops(s.cost.flops)} per example.`,
    );
    expect(formatFlops(s.cost.flops)).toBe('1.22 MFLOPs');
  });

  it('names each family and its distinguishing structure', () => {
    expect(say('configs/shared-bottom.yaml')).toMatch(
      /^Shared-Bottom: one shared bottom MLP \[64, 32\] \(ReLU\), towers \[16\] for ctr and cvr;/,
    );
    expect(say('configs/moe.yaml')).toContain(
      'MoE (one gate): 4 shared experts [64, 32] (ReLU), one softmax gate over all 4, shared by ctr and cvr',
    );
    expect(say('configs/cgc.yaml')).toContain(
      "CGC: 2 shared experts [64, 32] (ReLU) and 1 expert each for ctr and cvr [64, 32], each task's gate mixes its own and the shared experts (3 each)",
    );
    expect(say('configs/ple.yaml')).toContain('PLE: 2 levels. Level 1:');
    expect(say('configs/ple.yaml')).toContain(
      'a shared gate mixes all 4. Level 2 (each pool and gate reads the level-1 gate of its own task, the shared experts the shared gate)',
    );
    expect(say('configs/esmm.yaml')).toContain(
      'cvr (no label: learned only through ctcvr), and the product ctcvr = ctr × cvr (label conversion)',
    );
    expect(say('configs/multi-scenario.yaml')).toContain(
      '(the gates also read a 4-wide embedding of the scenario feature scene), one tower [16] per scenario (home, search, detail) for ctr and cvr, chosen by scene',
    );
  });

  it('a gate no task reads does not make the experts it mixes look unused', () => {
    const text = say('configs/mmoe.yaml', ['model.towers.cvr.input=ctr_gate']);
    expect(text).toContain(
      '4 shared experts [64, 32] (ReLU), 2 softmax gates over all 4 (ctr_gate for ctr and cvr and cvr_gate for no task)',
    );
    expect(text).not.toContain('that no task uses');
  });

  it('mentions gate temperature, top-k, tower style, loss and weight when they are not the defaults', () => {
    const text = say('configs/mmoe.yaml', [
      'model.levels[0].gates[0].temperature=0.5',
      'model.levels[0].gates[1].temperature=0.5',
      'model.levels[0].gates[0].topK=2',
      'model.levels[0].gates[1].topK=2',
      'model.towers[1].dropout=0.2',
      'tasks[0].weight=2',
    ]);
    expect(text).toContain('one softmax gate per task over all 4 (temperature 0.5; keeping the top 2)');
    expect(text).toContain('tower [16] for ctr and tower [16] (ReLU, dropout 0.2) for cvr');
    expect(text).toContain('ctr (label click, weight 2)');
  });

  it('describes a graph no family matches without pretending', () => {
    // ctr's gate mixes only the experts; cvr reads the experts directly (no gate)
    const text = say('configs/mmoe.yaml', ['model.levels[0].pools[0].count=1', 'model.towers[1].input=experts']);
    expect(text).toMatch(/^Custom expert\/gate graph: /);
  });
});

describe('mmoe-compile explain', () => {
  it('text: the explanation, then the summary table; exit 0', async () => {
    const io = captureIo();
    expect(await main(['explain', 'configs/mmoe.yaml'], io)).toBe(0);
    expect(io.out$).toMatch(/^MMoE: 4 shared experts/);
    expect(io.out$).toContain('mmoe: MMoE\n');
    expect(io.out$).toMatch(/total\s+[\d,]+\s+[\d,]+/);
  });

  it('json: explanation and summary, keys sorted', async () => {
    const io = captureIo();
    expect(await main(['explain', '--format', 'json', 'configs/ple.yaml'], io)).toBe(0);
    const j = JSON.parse(io.out$);
    expect(j.explanation.family.base).toBe('ple');
    expect(j.summary.levels).toBe(2);
    expect(Object.keys(j)).toEqual(['diagnostics', 'explanation', 'file', 'summary', 'valid']);
  });

  it('--set changes what is explained', async () => {
    const io = captureIo();
    expect(await main(['explain', 'configs/mmoe.yaml', '--set', 'model.levels[0].pools[0].count=6'], io)).toBe(0);
    expect(io.out$).toMatch(/^MMoE: 6 shared experts/);
  });

  it('an invalid spec prints diagnostics like validate and exits 1', async () => {
    const dir = writeTree(tempDir(), {
      'bad.yaml': readConfig('mmoe.yaml').replace(
        'units: [16] }\n    - { name: cvr',
        'units: [16] }\n    - { name: cvr, colour: red',
      ),
      'base/ecom-base.yaml': readConfig('base/ecom-base.yaml'),
    });
    const io = captureIo();
    expect(await main(['explain', join(dir, 'bad.yaml')], io)).toBe(1);
    expect(io.out$).toMatch(new RegExp(`${join(dir, 'bad.yaml')}:16:\\d+: error unknown-key`));
    expect(io.out$).toMatch(/1 error/);
  });

  it('--graph writes Mermaid, DOT or SVG by extension', async () => {
    const dir = tempDir();
    for (const f of ['g.mmd', 'g.dot', 'g.svg'])
      expect(await main(['explain', 'configs/cgc.yaml', '--graph', join(dir, f)], captureIo())).toBe(0);
    expect(readFileSync(join(dir, 'g.mmd'), 'utf8')).toMatch(/^flowchart TB\n/);
    expect(readFileSync(join(dir, 'g.dot'), 'utf8')).toMatch(/^digraph "cgc" \{/);
    expect(readFileSync(join(dir, 'g.svg'), 'utf8')).toContain('<svg');
    const io = captureIo();
    expect(await main(['explain', 'configs/cgc.yaml', '--graph', join(dir, 'g.png')], io)).toBe(2);
    expect(io.err$).toContain('use a .mmd, .md, .dot, .gv or .svg file name');
  });

  it('an unreadable spec exits 2', async () => {
    expect(await main(['explain', 'configs/nope.yaml'], captureIo())).toBe(2);
  });
});
