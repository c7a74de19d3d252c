// (ModelIR, cost) -> a summary a reviewer reads: family, parameters and FLOPs per example per
// block and in total, inputs, tasks and their heads. Rendered as a text table, as Markdown and as
// stable JSON (object keys sorted, so the same model always gives the same bytes).
import type { BlockCost, CostSummary } from './cost.js';
import { analyzeIr, type IrAnalysis } from './analysis.js';
import type { FamilyName, HeadIR, ModelIR, TaskIR, TowerIR } from './ir.js';
import { stableStringify } from '../util/stable-json.js';
import { mdCode, mdText } from '../util/escape.js';

export type BlockKind = BlockCost['kind'];
export const BLOCK_KINDS: readonly BlockKind[] = ['embedding', 'pool', 'gate', 'tower', 'head', 'attention'];
/** The kinds byKind always lists; the others (attention) only when the model has one. */
const CORE_KINDS = ['embedding', 'pool', 'gate', 'tower', 'head'] as const satisfies readonly BlockKind[];

export interface Totals {
  params: number;
  flops: number;
}

export interface TaskSummary {
  name: string;
  type: TaskIR['type'];
  label: string | null;
  /** "tower ctr [16] on ctr_gate" or "product ctr x cvr". */
  head: string;
  loss: TaskIR['loss'];
  weight: number;
  /** "click = 1" when the loss counts only part of the rows. */
  sampleSpace: string | null;
  scenarios: string[] | null;
}

export interface ModelSummary {
  name: string;
  family: { label: string; base: FamilyName; esmm: boolean; multiScenario: boolean };
  params: number;
  flops: number;
  /** Totals per kind of block (every core kind listed, zero when absent; attention when present). */
  byKind: Record<(typeof CORE_KINDS)[number], Totals> & Partial<Record<BlockKind, Totals>>;
  blocks: BlockCost[];
  /** Blocks that reach no task output: not built, not counted (what they would cost). */
  unused: BlockCost[];
  /** Embedding tables whose size is learned from data: their parameters are not counted. */
  unknownTables: string[];
  inputs: {
    features: { name: string; kind: string; column: string; width: number; embedding: string | null }[];
    groups: { name: string; width: number; features: string[] }[];
    embeddings: { name: string; vocabSize: number | null; dim: number; features: string[] }[];
    scenario: { feature: string; values: string[]; embeddingDim: number } | null;
  };
  levels: number;
  tasks: TaskSummary[];
}

// ---------------------------------------------------------------------------------------------
// Number formatting shared by summary, explain, diff and report
// ---------------------------------------------------------------------------------------------

/** 1234567 -> "1,234,567" (locale-independent). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const [int, frac] = String(Math.abs(n)).split('.');
  return sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? '.' + frac : '');
}

/** A signed delta: "+184", "-1,024", "0". */
export function formatDelta(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/** 1219924 -> "1.22 MFLOPs" (three significant digits). */
export function formatFlops(n: number): string {
  const units: [number, string][] = [
    [1e12, 'TFLOPs'],
    [1e9, 'GFLOPs'],
    [1e6, 'MFLOPs'],
    [1e3, 'kFLOPs'],
  ];
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${Number((n / scale).toPrecision(3))} ${unit}`;
  return `${n} FLOPs`;
}

/** "[64, 32]" */
export function formatUnits(units: readonly number[]): string {
  return `[${units.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Building the summary
// ---------------------------------------------------------------------------------------------

/** A task's head; `tower` is the tower heading it (IrAnalysis.towerOfTask). */
export function describeHead(head: HeadIR, tower: TowerIR | undefined): string {
  if (head.kind === 'product') return `product ${head.of.join(' x ')}`;
  if (!tower) return `tower ${head.tower}`;
  const copies = tower.perScenario.length ? ` x ${tower.perScenario.length} scenarios` : '';
  const layers = tower.units.length ? formatUnits(tower.units) : '(no layers)';
  return `tower ${tower.name} ${layers}${copies} on ${tower.input.name}`;
}

export function describeSampleSpace(t: TaskIR): string | null {
  return t.sampleSpace ? `${t.sampleSpace.column} = ${String(t.sampleSpace.equals)}` : null;
}

export function summarize(ir: ModelIR, cost: CostSummary, analysis: IrAnalysis = analyzeIr(ir)): ModelSummary {
  const kinds = BLOCK_KINDS.filter(
    (k) => (CORE_KINDS as readonly string[]).includes(k) || cost.blocks.some((b) => b.kind === k),
  );
  const byKind = Object.fromEntries(kinds.map((k) => [k, { params: 0, flops: 0 }])) as Record<BlockKind, Totals>;
  for (const b of cost.blocks) {
    byKind[b.kind].params += b.params;
    byKind[b.kind].flops += b.flops;
  }
  return {
    name: ir.name,
    family: {
      label: ir.family.label,
      base: ir.family.base,
      esmm: ir.family.esmm,
      multiScenario: ir.family.multiScenario,
    },
    params: cost.params,
    flops: cost.flops,
    byKind,
    blocks: cost.blocks.map((b) => ({ block: b.block, kind: b.kind, params: b.params, flops: b.flops })),
    unused: cost.unused.map((b) => ({ block: b.block, kind: b.kind, params: b.params, flops: b.flops })),
    unknownTables: [...cost.unknownTables],
    inputs: {
      features: ir.features.map((f) => ({
        name: f.name,
        kind: f.kind,
        column: f.column,
        width: f.width,
        embedding: f.embedding ?? null,
      })),
      groups: ir.groups.map((g) => ({ name: g.name, width: g.width, features: [...g.features] })),
      embeddings: ir.embeddings.map((e) => ({
        name: e.name,
        vocabSize: e.vocabSize,
        dim: e.dim,
        features: [...e.features],
      })),
      scenario: ir.scenario
        ? { feature: ir.scenario.feature, values: [...ir.scenario.values], embeddingDim: ir.scenario.embeddingDim }
        : null,
    },
    levels: ir.levels.length,
    tasks: ir.tasks.map((t) => ({
      name: t.name,
      type: t.type,
      label: t.label,
      head: describeHead(t.head, analysis.towerOfTask.get(t.name)),
      loss: t.loss,
      weight: t.weight,
      sampleSpace: describeSampleSpace(t),
      scenarios: t.scenarios ? [...t.scenarios] : null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** Left-aligned text columns; `right` lists the columns to right-align (numbers). */
export function textTable(rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Escape a Markdown table cell. */
/** Text for a Markdown table cell or paragraph: escaped (src/util/escape.ts), lines joined by `<br>`. */
export function mdCell(s: string): string {
  return s.split(/\r?\n/).map(mdText).join('<br>');
}

export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const sep = header.map((_, i) => (right.includes(i) ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

function taskLine(t: TaskSummary): string[] {
  const notes = [t.label ? `label ${t.label}` : 'no label'];
  if (t.sampleSpace) notes.push(`only where ${t.sampleSpace}`);
  if (t.scenarios) notes.push(`scenarios ${t.scenarios.join(', ')}`);
  if (t.weight !== 1) notes.push(`weight ${t.weight}`);
  return [t.name, t.type, notes.join(', '), t.head, t.loss];
}

export function renderSummaryText(s: ModelSummary): string {
  const out: string[] = [];
  out.push(`${s.name}: ${s.family.label}`);
  out.push(`${formatCount(s.params)} parameters, ${formatCount(s.flops)} FLOPs per example (${formatFlops(s.flops)})`);
  if (s.unknownTables.length) out.push(`not counted (vocabulary learned from data): ${s.unknownTables.join(', ')}`);
  if (s.unused.length)
    out.push(`not built (reaches no task output), not counted: ${s.unused.map((b) => b.block).join(', ')}`);
  out.push('');
  const rows: string[][] = [['block', 'kind', 'parameters', 'FLOPs/example']];
  for (const b of s.blocks) rows.push([b.block, b.kind, formatCount(b.params), formatCount(b.flops)]);
  rows.push(['', '', '', '']);
  for (const k of BLOCK_KINDS)
    if (s.blocks.some((b) => b.kind === k))
      rows.push([`all ${k}s`, '', formatCount(s.byKind[k]?.params ?? 0), formatCount(s.byKind[k]?.flops ?? 0)]);
  rows.push(['total', '', formatCount(s.params), formatCount(s.flops)]);
  out.push(textTable(rows, [2, 3]));
  out.push('');
  const groups = s.inputs.groups;
  out.push(
    `inputs: ${s.inputs.features.length} features in ${groups.length} group${groups.length === 1 ? '' : 's'}, ${s.inputs.embeddings.length} embedding tables`,
  );
  out.push(textTable(groups.map((g) => [`  ${g.name}`, `width ${g.width}`, g.features.join(', ')])));
  if (s.inputs.scenario) {
    const sc = s.inputs.scenario;
    out.push(`scenario feature ${sc.feature}: ${sc.values.join(', ')} (embedding ${sc.embeddingDim})`);
  }
  out.push('');
  out.push('tasks');
  out.push(textTable(s.tasks.map((t) => taskLine(t).map((c, i) => (i === 0 ? `  ${c}` : c)))));
  return out.join('\n');
}

/** The overview row a report shows per spec. */
export function overviewTable(s: ModelSummary): string {
  return markdownTable(
    ['Family', 'Parameters', 'FLOPs / example', 'Tasks'],
    [
      [
        mdCell(s.family.label),
        formatCount(s.params),
        `${formatCount(s.flops)} (${formatFlops(s.flops)})`,
        mdCell(s.tasks.map((t) => t.name).join(', ')),
      ],
    ],
    [1, 2],
  );
}

/** Markdown summary; `overview: false` leaves out the heading and overview (a report has shown them). */
export function renderSummaryMarkdown(s: ModelSummary, opts: { heading?: string; overview?: boolean } = {}): string {
  const out: string[] = [];
  if (opts.overview !== false)
    out.push(`${opts.heading ?? '###'} ${mdText(s.name)}: ${mdText(s.family.label)}`, '', overviewTable(s), '');
  if (s.unknownTables.length)
    out.push(`Not counted (vocabulary learned from data): ${s.unknownTables.map(mdCode).join(', ')}.`, '');
  if (s.unused.length)
    out.push(
      `Not built (reaches no task output), not counted: ${s.unused.map((b) => mdCode(b.block)).join(', ')}.`,
      '',
    );
  const rows = s.blocks.map((b) => [mdCode(b.block), b.kind, formatCount(b.params), formatCount(b.flops)]);
  rows.push(['**total**', '', `**${formatCount(s.params)}**`, `**${formatCount(s.flops)}**`]);
  out.push(markdownTable(['Block', 'Kind', 'Parameters', 'FLOPs / example'], rows, [2, 3]));
  out.push('');
  out.push(
    markdownTable(
      ['Task', 'Type', 'Label and notes', 'Head', 'Loss'],
      s.tasks.map((t) => {
        const [name, type, notes, head, loss] = taskLine(t);
        return [mdCode(name), type, mdCell(notes), mdCell(head), loss];
      }),
    ),
  );
  out.push('');
  const g = s.inputs.groups
    .map((x) => `${mdCode(x.name)} (width ${x.width}: ${mdCell(x.features.join(', '))})`)
    .join('; ');
  out.push(`Inputs: ${s.inputs.features.length} features in groups ${g}.`);
  return out.join('\n');
}

export function renderSummaryJson(s: ModelSummary): string {
  return stableStringify(s, 2);
}
