// Markdown reports for reviews and CI job summaries ($GITHUB_STEP_SUMMARY): per spec a table
// (family, parameters, FLOPs, tasks), the sentence that explains it and its Mermaid graph; an
// invalid spec lists its diagnostics with file:line:col instead.
import { sortDiagnostics, type Diagnostic } from '../util/diagnostics.js';
import type { CostSummary } from './cost.js';
import { explain } from './explain.js';
import { toMermaid } from './graph.js';
import type { ModelIR } from './ir.js';
import { mdCode, mdFence, visible } from '../util/escape.js';
import { formatCount, markdownTable, mdCell, overviewTable, renderSummaryMarkdown, summarize } from './summary.js';

export interface ReportEntry {
  file: string;
  ir?: ModelIR;
  cost?: CostSummary;
  diagnostics: readonly Diagnostic[];
}

const isValid = (e: ReportEntry) =>
  e.ir !== undefined && e.cost !== undefined && !e.diagnostics.some((d) => d.severity === 'error');

function diagnosticLines(ds: readonly Diagnostic[]): string {
  // A fenced block keeps messages verbatim; a message cannot close it (the fence is longer than
  // any run of backticks) and stays on its line (line breaks shown as escapes).
  const text = sortDiagnostics(ds)
    .map((d) => visible(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`))
    .join('\n');
  return mdFence(text, 'text');
}

/** One spec's section: heading, explanation, summary tables and its Mermaid graph. */
export function renderSpecReport(
  file: string,
  ir: ModelIR,
  cost: CostSummary,
  opts: { heading?: string; details?: boolean } = {},
): string {
  const h = opts.heading ?? '###';
  const s = summarize(ir, cost);
  const e = explain(ir, cost);
  const out: string[] = [];
  out.push(`${h} ${mdCode(file)}: ${mdCell(ir.family.label)}`);
  out.push('');
  out.push(mdCell(e.text));
  out.push('');
  out.push(overviewTable(s));
  out.push('');
  out.push(mdFence(toMermaid(ir), 'mermaid'));
  if (opts.details !== false) {
    out.push(
      '',
      '<details><summary>Blocks, inputs and tasks</summary>',
      '',
      renderSummaryMarkdown(s, { overview: false }),
      '',
      '</details>',
    );
  }
  return out.join('\n');
}

/** The report `check` writes: an overview table, then a section per spec. */
export function renderCheckReport(entries: readonly ReportEntry[], title = 'Spec check'): string {
  const ok = entries.filter(isValid).length;
  const failed = entries.length - ok;
  const out: string[] = [];
  out.push(
    `## ${title}: ${failed ? `${failed} of ${entries.length} ${entries.length === 1 ? 'spec' : 'specs'} failed` : `${entries.length} ${entries.length === 1 ? 'spec' : 'specs'} valid`}`,
  );
  out.push('');
  const rows = entries.map((e) => {
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = e.diagnostics.length - errors;
    const status = isValid(e)
      ? warnings
        ? `valid, ${warnings} warning${warnings === 1 ? '' : 's'}`
        : 'valid'
      : `**invalid**: ${errors} error${errors === 1 ? '' : 's'}`;
    return [
      mdCode(e.file),
      status,
      e.ir ? mdCell(e.ir.family.label) : '—',
      e.cost ? formatCount(e.cost.params) : '—',
      e.cost ? formatCount(e.cost.flops) : '—',
      e.ir ? mdCell(e.ir.tasks.map((t) => t.name).join(', ')) : '—',
    ];
  });
  out.push(markdownTable(['Spec', 'Status', 'Family', 'Parameters', 'FLOPs / example', 'Tasks'], rows, [3, 4]));
  for (const e of entries) {
    out.push('');
    if (isValid(e)) {
      out.push(renderSpecReport(e.file, e.ir!, e.cost!, { details: true }));
      if (e.diagnostics.length) out.push('', diagnosticLines(e.diagnostics));
    } else {
      out.push(`### ${mdCode(e.file)}: invalid`, '', diagnosticLines(e.diagnostics));
    }
  }
  return out.join('\n') + '\n';
}
