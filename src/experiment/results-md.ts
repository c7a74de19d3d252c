// results.md: the experiment's tables. Every number is mean ± std (SE) over the seeds, with n.
// Paired comparisons use per-seed differences (both models of a pair see the same data per seed).
import type { Experiment, MetricName } from './definition.js';
import { LOWER_IS_BETTER, MEAN_TARGET, hasTarget, runsOf, valueOf, type ResultView } from './results.js';
import { mdCode, mdText } from '../util/escape.js';
import { pairedDifference, summarize, type Summary } from './stats.js';

export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return '–';
  // small spreads (SE of an AUC): two significant digits instead of 0.0000
  if (x !== 0 && Math.abs(x) < 10 ** -(digits - 1)) return String(Number(x.toPrecision(2)));
  return x.toFixed(digits);
}

const entry = (s: Summary) => (s.n === 0 ? '–' : `${fmt(s.mean)} ± ${fmt(s.std)} (${fmt(s.se)})`);
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
// Labels, cells (matrix values) and task names are embedded text: escaped for a table cell.
const cell = (s: string) => mdText(s);
const table = (head: readonly string[], body: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]) =>
  [row(head), row(head.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? ':--' : '--:'))), ...body.map(row)].join('\n');

export function summaryOf(v: ResultView, label: string, cell: string, metric: MetricName, target: string): Summary {
  return summarize(runsOf(v, label, cell).map((r) => valueOf(r, metric, target)));
}

const metricName = (m: MetricName) => (m === 'auc' ? 'AUC' : m === 'mse' ? 'MSE' : m === 'mae' ? 'MAE' : m);

export interface MarkdownExtras {
  files: string[];
}

/** From the earliest run start to the latest run end, read off the records. */
export function spanSeconds(records: readonly { createdAt: string; wallSeconds: number }[]): number {
  if (!records.length) return 0;
  const ends = records.map((r) => Date.parse(r.createdAt) / 1000);
  const starts = records.map((r, i) => ends[i] - r.wallSeconds);
  return Math.max(...ends) - Math.min(...starts);
}

export function renderMarkdown(exp: Experiment, v: ResultView, extras: MarkdownExtras): string {
  const out: string[] = [];
  const seedPaths =
    exp.seedPaths === 'auto' ? 'training.seed (and data.seed for synthetic data)' : exp.seedPaths.join(', ');
  const nRuns = v.labels.length * v.cells.length * exp.seeds.length;
  out.push(`# Experiment ${mdCode(exp.name)}`, '');
  if (exp.description) out.push(exp.description.trim().split(/\r?\n/).map(mdText).join('<br>'), '');
  const backends = [...new Set(v.records.map((r) => r.backend))].join(', ') || '–';
  const trainSeconds = v.records.reduce((s, r) => s + r.trainSeconds, 0);
  out.push(
    `- runs: ${v.records.length} of ${nRuns} (${v.labels.length} specs × ${v.cells.length} cells × ${exp.seeds.length} seeds); seeds ${exp.seeds.join(', ')} written to ${seedPaths}`,
    ...(exp.set.length ? [`- fixed overrides: ${exp.set.map(mdCode).join(', ')}`] : []),
    `- specs: ${v.labels.map((l) => `${cell(l)} (${mdCode(v.records.find((r) => r.label === l)?.spec ?? '?')}, ${v.records.find((r) => r.label === l)?.params.toLocaleString('en-US') ?? '?'} parameters)`).join(', ')}`,
    `- backend: ${backends}; training time summed over runs: ${trainSeconds.toFixed(0)} s; wall clock from the first run's start to the last run's end: ${spanSeconds(v.records).toFixed(0)} s (${[...new Set(v.records.map((r) => r.executor))].join(', ')} executor)`,
    '',
    'Every entry is **mean ± std (SE)** of the final test metric over seeds (std: sample standard deviation, SE = std/√n).',
    '',
  );

  for (const metric of v.metrics) {
    const dir = LOWER_IS_BETTER[metric] ? 'lower is better' : 'higher is better';
    if (v.cells.length === 1) {
      const targets = v.targets;
      out.push(`## Test ${metricName(metric)} (${dir})`, '');
      out.push(
        table(
          ['model', 'n', ...targets.map(cell)],
          v.labels.map((l) => [
            cell(l),
            String(runsOf(v, l, v.cells[0]).length),
            ...targets.map((t) => (hasTarget(v, l, t) ? entry(summaryOf(v, l, v.cells[0], metric, t)) : '–')),
          ]),
          ['l', 'r'],
        ),
        '',
      );
    } else {
      for (const target of v.targets) {
        out.push(
          `## Test ${metricName(metric)}, ${target === MEAN_TARGET ? 'mean over tasks' : `task ${cell(target)}`} (${dir})`,
          '',
        );
        out.push(
          table(
            ['model', ...v.cells.map(cell)],
            v.labels
              .filter((l) => hasTarget(v, l, target))
              .map((l) => [cell(l), ...v.cells.map((c) => entry(summaryOf(v, l, c, metric, target)))]),
            ['l'],
          ),
          '',
        );
      }
      out.push(
        `Runs per entry: ${[...new Set(v.labels.flatMap((l) => v.cells.map((c) => runsOf(v, l, c).length)))].join(' or ')}.`,
        '',
      );
    }
  }

  if (exp.report.compare.length) {
    out.push(
      '## Paired comparisons',
      '',
      'Difference A − B of the final test metric, seed by seed (same data and seed for both); "A lower" counts the seeds where A < B. 95% CI is mean ± t(0.975, n − 1) × SE (Student\'s t: 2.776 at n = 5, 2.262 at n = 10); a difference is clear (✓) when that interval excludes zero.',
      '',
    );
    const body: string[][] = [];
    for (const metric of v.metrics)
      for (const target of v.targets)
        for (const c of v.cells)
          for (const [a, b] of exp.report.compare) {
            if (!hasTarget(v, a, target) || !hasTarget(v, b, target)) continue;
            const m = (l: string) => new Map(runsOf(v, l, c).map((r) => [r.seed, valueOf(r, metric, target)] as const));
            const d = pairedDifference(m(a), m(b));
            const ci = Number.isFinite(d.ci95[0]) ? `${fmt(d.ci95[0])} … ${fmt(d.ci95[1])}` : '–';
            body.push([
              metricName(metric),
              cell(target),
              cell(c),
              `${cell(a)} − ${cell(b)}`,
              String(d.n),
              fmt(d.mean),
              fmt(d.se),
              Number.isFinite(d.ratio) ? d.ratio.toFixed(1) : '–',
              ci,
              d.clear ? '✓' : '',
              `${d.aLower}/${d.n}`,
            ]);
          }
    out.push(
      table(
        ['metric', 'target', 'cell', 'A − B', 'n', 'mean diff', 'SE', 'diff/SE', '95% CI', 'clear', 'A lower'],
        body,
        ['l', 'l', 'l', 'l'],
      ),
      '',
    );
  }

  const withCorr = v.records.filter((r) => r.labelCorrelation !== undefined);
  if (withCorr.length) {
    out.push(
      '## Measured label correlation',
      '',
      "Pearson correlation of the two tasks' labels on the training rows, over the seeds (each seed draws new data).",
      '',
    );
    const body = v.cells.map((c) => {
      const bySeed = new Map(withCorr.filter((r) => r.cell === c).map((r) => [r.seed, r.labelCorrelation!] as const));
      const s = summarize([...bySeed.values()]);
      return [
        cell(c),
        String(s.n),
        fmt(s.mean),
        fmt(s.std),
        `${fmt(Math.min(...bySeed.values()))} … ${fmt(Math.max(...bySeed.values()))}`,
      ];
    });
    out.push(table(['cell', 'seeds', 'mean', 'std', 'range'], body, ['l']), '');
  }

  out.push('## Timing', '');
  out.push(
    table(
      ['model', 'runs', 'epochs (mean)', 'train s (mean)', 'examples/s (mean)'],
      v.labels.map((l) => {
        const rs = v.records.filter((r) => r.label === l);
        const mean = (f: (r: (typeof rs)[number]) => number) => summarize(rs.map(f)).mean;
        return [
          cell(l),
          String(rs.length),
          mean((r) => r.epochs.length).toFixed(1),
          mean((r) => r.trainSeconds).toFixed(1),
          mean((r) => r.examplesPerSecond).toFixed(0),
        ];
      }),
      ['l'],
    ),
    '',
  );
  out.push(
    '## Files',
    '',
    ...extras.files.map((f) => `- [${mdText(f)}](${encodeURI(f)})`),
    `- per-run records: \`records/<run id>.json\` (spec hash, overrides, seed, backend, package versions, per-epoch losses, test metrics)`,
    '',
  );
  return out.join('\n');
}
