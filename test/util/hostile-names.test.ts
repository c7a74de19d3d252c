// A hostile name rendered into every output format keeps the format's structure intact:
// Markdown fences balanced, table rows with their column count, no raw HTML or links, no
// injected heading; Mermaid lines that parse; DOT that Graphviz renders to well-formed SVG;
// hand-written SVG that a strict XML parser accepts; one GitHub annotation per line.
// Identifier names are refused by the schema (test/schema/samples/hostile-names); the strings
// used here are those that cannot be restricted (file paths, labels, columns, values read from
// data, experiment matrix values), injected into the IR after validation.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { diffModels, renderDiffMarkdown } from '../../src/compiler/diff.js';
import { checkSpec } from '../../src/compiler/front.js';
import { renderSvg, toDot, toMermaid } from '../../src/compiler/graph.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { renderCheckReport } from '../../src/compiler/report.js';
import type { Experiment } from '../../src/experiment/definition.js';
import type { ResultView } from '../../src/experiment/results.js';
import { renderMarkdown } from '../../src/experiment/results-md.js';
import { renderHistogramGrid, renderLineChart } from '../../src/experiment/svg.js';
import { main } from '../../src/cli/main.js';
import { formatGithub, type Diagnostic } from '../../src/util/diagnostics.js';
import { captureIo } from '../compiler/helpers.js';
import type { DiagnosticCode } from '../../src/util/catalogue.js';

const ROOT = join(import.meta.dirname, '../..');
const HOSTILE =
  'x\n```\n## LGTM <script>alert(1)</script> | ]] "q" \'s\' %0A :: a,b \u2028 `t` [l](http://e) <!-- \r\n';

function hostileIr(): { ir: ModelIR; cost: NonNullable<ReturnType<typeof checkSpec>['cost']> } {
  const c = checkSpec(join(ROOT, 'configs/multi-scenario.yaml'));
  const ir = structuredClone(c.ir!);
  ir.name = HOSTILE;
  ir.tasks[0].label = HOSTILE;
  ir.tasks[1].sampleSpace = { column: HOSTILE, equals: HOSTILE };
  ir.scenario!.values[0] = HOSTILE;
  for (const t of ir.towers) if (t.perScenario.length) t.perScenario[0] = HOSTILE;
  ir.features[0].column = HOSTILE;
  return { ir, cost: c.cost! };
}

/** Code spans removed (a backtick run up to the next run of the same length), as CommonMark reads them. */
function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    close.lastIndex = i + n;
    const m = close.exec(line);
    if (!m) {
      out += line.slice(i, i + n);
      i += n;
    } else {
      out += '<code/>';
      i = m.index + n;
    }
  }
  return out;
}

const unescaped = (s: string, re: RegExp) =>
  [...s.matchAll(re)].filter((m) => {
    let k = m.index - 1;
    let slashes = 0;
    while (k >= 0 && s[k] === '\\') slashes++, k--;
    return slashes % 2 === 0;
  });

const MERMAID_LINE = [
  /^flowchart TB$/,
  /^ {2,4}\w+(\[\(|\[\[|\{\{|\(\[|\(\(|\[)"[^"]*"(\)\]|\]\]|\}\}|\]\)|\)\)|\])$/,
  /^ {2}subgraph \w+\["[^"]*"\]$/,
  /^ {2}end$/,
  /^ {2}\w+ (-->|-\.->)(\|[^|"]*\|)? \w+$/,
  /^ {2}classDef \w+ [\w:#,]+$/,
  /^ {2}class [\w,]+ \w+$/,
];

function checkMermaid(text: string): void {
  for (const line of text.trimEnd().split('\n'))
    expect(
      MERMAID_LINE.some((re) => re.test(line)),
      `Mermaid line: ${line}`,
    ).toBe(true);
}

/** Structure checks on GitHub Markdown; returns the fenced blocks' info strings. */
function checkMarkdown(md: string, headings: RegExp): string[] {
  expect(md).not.toMatch(/[\u2028\u2029\r]/);
  const lines = md.split('\n');
  const blocks: string[] = [];
  let fence = 0;
  let body: string[] = [];
  let table: number | undefined;
  for (const line of lines) {
    if (fence) {
      const close = /^ {0,3}(`+)\s*$/.exec(line);
      if (close && close[1].length >= fence) {
        if (blocks.at(-1) === 'mermaid') checkMermaid(body.join('\n'));
        fence = 0;
        body = [];
      } else body.push(line);
      continue;
    }
    const open = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (open) {
      fence = open[1].length;
      blocks.push(open[2]);
      table = undefined;
      continue;
    }
    expect(line).not.toMatch(/^\s*LGTM/);
    if (/^\s{0,3}#/.test(line)) expect(line).toMatch(headings);
    const text = withoutCodeSpans(line);
    // no raw HTML but the few tags the renderers write themselves, no links
    for (const m of unescaped(text, /<(\/?[A-Za-z!][^>]*)>?/g))
      expect(['br', 'details', '/details', 'summary', '/summary', 'code/'], `HTML in: ${line}`).toContain(m[1]);
    expect(unescaped(text, /\]\(/g), `link in: ${line}`).toHaveLength(0);
    if (line.startsWith('|')) {
      const cells = unescaped(text, /\|/g).length;
      table ??= cells;
      expect(cells, `table row: ${line}`).toBe(table);
    } else table = undefined;
  }
  expect(fence, 'an unclosed fence').toBe(0);
  return blocks;
}

function checkSvg(svg: string): void {
  expect(() => new Resvg(svg)).not.toThrow(); // strict XML parser (roxmltree)
  expect(svg).not.toMatch(/<script/i);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
  expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u2028]/);
}

const diag = (over: Partial<Diagnostic>): Diagnostic => ({
  file: HOSTILE,
  line: 3,
  column: 5,
  severity: 'error',
  code: 'unsafe-text',
  message: HOSTILE,
  ...over,
});

describe('a hostile name in every output format', () => {
  const { ir, cost } = hostileIr();

  it('Mermaid (graph.mmd): every line parses, labels stay quoted', () => {
    const mmd = toMermaid(ir);
    checkMermaid(mmd);
    expect(mmd).toContain('#lt;script#gt;');
  });

  it('DOT and graph.svg: Graphviz renders it; the SVG is well-formed XML with the text escaped', async () => {
    const dot = toDot(ir);
    for (const line of dot.split('\n')) expect(unescaped(line, /"/g).length % 2, `DOT line: ${line}`).toBe(0);
    const svg = await renderSvg(dot);
    checkSvg(svg);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('check --summary report: fences balanced, tables intact, no HTML, no injected heading', () => {
    const md = renderCheckReport([
      { file: HOSTILE, ir, cost, diagnostics: [diag({ severity: 'warning' })] },
      { file: `bad${HOSTILE}`, diagnostics: [diag({})] },
    ]);
    const blocks = checkMarkdown(md, /^(## Spec check: 1 of 2 specs failed|### `+ ?(bad)?x\\n)/);
    expect(blocks).toEqual(['mermaid', 'text', 'text']);
  });

  it('diff --format markdown', () => {
    const b = structuredClone(ir);
    b.tasks[0].label = `${HOSTILE}2`;
    b.tasks[0].type = 'regression';
    const md = renderDiffMarkdown(diffModels({ file: HOSTILE, ir, cost }, { file: `${HOSTILE}b`, ir: b, cost }));
    expect(checkMarkdown(md, /^### `+ ?x\\n/)).toEqual([]);
    expect(md).toContain('| changed | tasks | `ctr` |');
  });

  it('experiment results.md', () => {
    const exp = {
      name: 'e',
      description: HOSTILE,
      seeds: [1],
      seedPaths: 'auto',
      set: [`a=${HOSTILE}`],
      report: { compare: [] },
    } as unknown as Experiment;
    const v: ResultView = {
      labels: ['mmoe'],
      cells: [HOSTILE, 'b'],
      metrics: ['auc'],
      targets: ['ctr'],
      records: [],
      tasks: new Map(),
    };
    const md = renderMarkdown(exp, v, { files: ['loss-curves.svg'] });
    // the one link is the tool's own, to a file it wrote
    expect(
      checkMarkdown(
        md.replace('- [loss-curves.svg](loss-curves.svg)', '- loss-curves.svg'),
        /^(# Experiment `e`|## (Test AUC, task ctr|Timing|Files))/,
      ),
    ).toEqual([]);
    expect(md).toContain('- [loss-curves.svg](loss-curves.svg)');
  });

  it('experiment plots (SVG): well-formed XML', () => {
    const series = {
      name: HOSTILE,
      color: '#000000',
      points: [
        [1, 1],
        [2, 0.5],
      ] as [number, number][],
    };
    checkSvg(
      renderLineChart([{ title: HOSTILE, series: [series] }], { title: HOSTILE, xLabel: HOSTILE, yLabel: HOSTILE }),
    );
    checkSvg(
      renderHistogramGrid({
        title: HOSTILE,
        xLabel: HOSTILE,
        rows: [{ name: HOSTILE, color: '#000000' }],
        columns: [HOSTILE],
        values: () => [0.5, 0.6, 0.7],
      }),
    );
  });

  it('GitHub annotations: one command per line whose properties and message decode back', () => {
    // a hostile code too (typed codes come from the catalogue; the renderer must still escape)
    const line = formatGithub(diag({ code: `c${HOSTILE}` as DiagnosticCode }));
    expect(line.split(/\r?\n|\r/)).toHaveLength(1);
    const m = /^::error ([^:]*)::([\s\S]*)$/.exec(line);
    expect(m).not.toBeNull();
    const props = Object.fromEntries(m![1].split(',').map((p) => p.split('=') as [string, string]));
    expect(Object.keys(props)).toEqual(['file', 'line', 'col', 'title']);
    // GitHub decodes %25, %0D, %0A (and %3A, %2C in properties); U+2028 is shown as \u2028
    const shown = HOSTILE.replace('\u2028', '\\u2028');
    expect(line).not.toMatch(/[\u2028\u2029]/);
    expect(decodeURIComponent(props.file)).toBe(shown);
    expect(decodeURIComponent(props.title)).toBe(`c${shown}`);
    expect(decodeURIComponent(m![2])).toBe(shown);
  });

  it('HTML: the serving page builds its DOM with textContent and attributes, never markup strings', () => {
    for (const f of ['src/serve/page.ts', 'web/index.html']) {
      const src = readFileSync(join(ROOT, f), 'utf8');
      expect(src, f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc/);
    }
  });

  it('through the CLI: check refuses the hostile spec with one annotation per diagnostic and a sound report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-names-'));
    try {
      const spec = join(dir, 'hostile.yaml');
      copyFileSync(join(ROOT, 'test/schema/samples/hostile-names/spec.yaml'), spec);
      const io = captureIo();
      const code = await main(['check', spec, '--format', 'github', '--summary', join(dir, 'report.md')], io);
      expect(code).toBe(1);
      const lines = io.out$
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('::'));
      expect(lines.map((l) => /title=([\w-]+)::/.exec(l)?.[1])).toEqual([
        'unsafe-text',
        'unsafe-text',
        'unsafe-text',
        'schema-pattern',
        'unsafe-text',
        'schema-pattern',
        'unsafe-text',
      ]);
      for (const l of lines) expect(l).toMatch(/^::error file=[^,]+,line=\d+,col=\d+,/);
      const md = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(checkMarkdown(md, /^(## Spec check: 1 of 1 spec failed|### `.*hostile\.yaml`: invalid)$/)).toEqual([
        'text',
      ]);
      expect(md.split('\n').filter((l) => l.includes(': error '))).toHaveLength(7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
