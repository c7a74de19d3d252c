// Golden outputs per family config (IR, summary, graph, explanation) and a golden semantic diff
// for every pair of family configs. Regenerate with UPDATE_GOLDEN=1 and review the file diffs.
import { describe, it } from 'vitest';
import { diffModels, renderDiffJson, renderDiffMarkdown, renderDiffText } from '../../src/compiler/diff.js';
import { explain, renderExplanationText } from '../../src/compiler/explain.js';
import { toDot, toMermaid } from '../../src/compiler/graph.js';
import { renderSpecReport } from '../../src/compiler/report.js';
import { renderSummaryJson, renderSummaryMarkdown, renderSummaryText, summarize } from '../../src/compiler/summary.js';
import { stableStringify } from '../../src/util/stable-json.js';
import { compiled, expectGolden, FAMILY_CONFIGS } from './helpers.js';

describe.each(FAMILY_CONFIGS)('configs/%s.yaml', (name) => {
  const side = compiled(`configs/${name}.yaml`);
  it('IR (JSON)', () => expectGolden(`${name}/ir.json`, stableStringify(side.ir, 2) + '\n'));
  it('summary (text, JSON, Markdown)', () => {
    const s = summarize(side.ir, side.cost);
    expectGolden(`${name}/summary.txt`, renderSummaryText(s) + '\n');
    expectGolden(`${name}/summary.json`, renderSummaryJson(s) + '\n');
    expectGolden(`${name}/summary.md`, renderSummaryMarkdown(s) + '\n');
  });
  it('graph (Mermaid, DOT)', () => {
    expectGolden(`${name}/graph.mmd`, toMermaid(side.ir));
    expectGolden(`${name}/graph.dot`, toDot(side.ir));
  });
  it('explanation', () =>
    expectGolden(`${name}/explain.txt`, renderExplanationText(explain(side.ir, side.cost)) + '\n'));
});

// Every pair of family configs; ecom (the seed spec, not built on the shared base) only against mmoe.
const families = FAMILY_CONFIGS.filter((n) => n !== 'ecom');
const pairs: [string, string][] = [['ecom', 'mmoe']];
for (let i = 0; i < families.length; i++)
  for (let j = i + 1; j < families.length; j++) pairs.push([families[i], families[j]]);

describe('semantic diff of family configs', () => {
  it.each(pairs)('%s -> %s', (a, b) => {
    const d = diffModels(compiled(`configs/${a}.yaml`), compiled(`configs/${b}.yaml`));
    expectGolden(`diff/${a}--${b}.txt`, renderDiffText(d) + '\n');
  });
  it('moe -> mmoe as Markdown and JSON', () => {
    const d = diffModels(compiled('configs/moe.yaml'), compiled('configs/mmoe.yaml'));
    expectGolden('diff/moe--mmoe.md', renderDiffMarkdown(d) + '\n');
    expectGolden('diff/moe--mmoe.json', renderDiffJson(d) + '\n');
  });
});

describe('Markdown report', () => {
  it.each(['mmoe', 'multi-scenario'])('%s', (name) => {
    const s = compiled(`configs/${name}.yaml`);
    expectGolden(`report/${name}.md`, renderSpecReport(s.file, s.ir, s.cost) + '\n');
  });
});
