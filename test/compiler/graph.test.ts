// The model graph: ids from IR names, deterministic bytes, escaped labels, SVG through Graphviz.
import { describe, expect, it } from 'vitest';
import { buildGraph, NOT_BUILT, renderSvg, toDot, toMermaid } from '../../src/compiler/graph.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { svgToPng } from '../../src/experiment/png.js';
import { compiled, FAMILY_CONFIGS } from './helpers.js';

describe('graph', () => {
  it.each(FAMILY_CONFIGS)('%s: same IR, same bytes; every edge joins known nodes', (name) => {
    const a = compiled(`configs/${name}.yaml`).ir;
    const b = compiled(`configs/${name}.yaml`).ir;
    expect(toMermaid(a)).toBe(toMermaid(b));
    expect(toDot(a)).toBe(toDot(b));
    const g = buildGraph(a);
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(ids.size).toBe(g.nodes.length);
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to), `${e.from} -> ${e.to}`).toBe(true);
    for (const t of a.tasks) expect(ids.has(`task_${t.name}`)).toBe(true);
  });

  it('draws pools as "count x [units]", PLE levels as subgraphs, ESMM products and per-scenario towers', () => {
    expect(toMermaid(compiled('configs/ecom.yaml').ir)).toContain(
      'pool_experts[["experts<br/>3 x [512,256,128]<br/>leaky_relu, batch norm"]]',
    );
    const ple = toMermaid(compiled('configs/ple.yaml').ir);
    expect(ple).toContain('subgraph level_1["Level 1"]');
    expect(ple).toContain('subgraph level_2["Level 2"]');
    expect(ple).toContain('gate_l1_shared_gate --> pool_l2_shared');
    const esmm = toMermaid(compiled('configs/esmm.yaml').ir);
    expect(esmm).toContain('task_ctr --> task_ctcvr');
    expect(esmm).toContain('task_cvr --> task_ctcvr');
    const ms = toMermaid(compiled('configs/multi-scenario.yaml').ir);
    expect(ms).toContain('subgraph towers_ctr["ctr towers, one per scenario"]');
    expect(ms).toContain('scenario_scene -.->|embedding| gate_ctr_gate');
    expect(ms).toContain('tower_ctr_2_detail --> task_ctr');
  });

  it('marks the blocks that reach no task output as not built, and only those', () => {
    const g = buildGraph(compiled('configs/mmoe.yaml', ['model.towers.cvr.input=ctr_gate']).ir);
    expect(g.nodes.filter((n) => n.lines.includes(NOT_BUILT)).map((n) => n.id)).toEqual(['gate_cvr_gate']);
    for (const name of FAMILY_CONFIGS) expect(toMermaid(compiled(`configs/${name}.yaml`).ir)).not.toContain(NOT_BUILT);
  });

  it('escapes labels and sanitises ids from arbitrary scenario values', () => {
    const ir: ModelIR = structuredClone(compiled('configs/multi-scenario.yaml').ir);
    const values = ['say "hi"', '<b>&', 'a\\b'];
    ir.scenario!.values = values;
    for (const t of ir.towers) t.perScenario = values;
    const mmd = toMermaid(ir);
    expect(mmd).toContain('tower_ctr_0_say__hi_["ctr @ say #quot;hi#quot;<br/>[16]"]');
    expect(mmd).toContain('tower_ctr_1__b__["ctr @ #lt;b#gt;#amp;<br/>[16]"]');
    const dot = toDot(ir);
    expect(dot).toContain('label="ctr @ say \\"hi\\"\\n[16]"');
    expect(dot).toContain('label="ctr @ a\\\\b\\n[16]"');
  });

  it('renders DOT to SVG with Graphviz (wasm), and rejects invalid DOT', async () => {
    const svg = await renderSvg(toDot(compiled('configs/ple.yaml').ir));
    expect(svg).toMatch(/<svg[\s\S]*<title>pool_l2_shared<\/title>/);
    await expect(renderSvg('digraph { a -> }')).rejects.toThrow();
  });

  it('lays out a 3-task PLE as ranks in one sans-serif font, with labels inside their boxes (PNG rendered)', async () => {
    const ir = compiled('test/compiler/fixtures/ple-3.yaml').ir;
    const dot = toDot(ir);
    // each level's pools form one row and its gates the next, in the spec's order
    expect(dot).toContain(
      '{ rank=same; "pool_l1_shared" -> "pool_l1_ctr" -> "pool_l1_cvr" -> "pool_l1_cvr_all" [style=invis]; }',
    );
    expect(dot).toContain('{ rank=same; "gate_ctr_gate" -> "gate_cvr_gate" -> "gate_cvr_all_gate" [style=invis]; }');
    expect(dot).toContain('{ rank=same; "tower_ctr" -> "tower_cvr" -> "tower_cvr_all" [style=invis]; }');
    const svg = await renderSvg(dot);
    // one font everywhere: cluster titles too (Graphviz's default is Times)
    const fonts = new Set([...svg.matchAll(/font-family="([^"]+)"/g)].map((m) => m[1]));
    expect([...fonts]).toEqual(['DejaVu Sans']);
    expect(svg).toContain('>Level 1</text>');
    // every node's label lines fit its shape: Graphviz sized the shape with the font's metrics,
    // so the widest line (0.6 em per character for DejaVu Sans at 10 pt) is narrower than it
    for (const m of svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)) {
      const xs = [...m[1].matchAll(/(?:points="([^"]+)")/g)].flatMap((p) =>
        p[1].split(' ').map((pt) => Number(pt.split(',')[0])),
      );
      if (!xs.length) continue; // ellipses: Graphviz sizes them to the text as well
      const width = Math.max(...xs) - Math.min(...xs);
      const longest = Math.max(...[...m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1].length));
      expect(longest * 10 * 0.6, m[1].slice(0, 80)).toBeLessThan(width);
    }
    const png = await svgToPng(svg, 1);
    expect(png instanceof Uint8Array && [...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
