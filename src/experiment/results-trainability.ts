// results.md sections for traced runs (issue #18, item 4: MMoE's claim is about trainability):
// the final metric on the training rows next to the test rows, the spread over seeds
// (initialisations and data) of both, paired training-row differences, and each gate's
// normalised entropy before and after training.
import type { Experiment, MetricName } from './definition.js';
import { runsOf, type ResultView } from './results.js';
import type { RunRecord } from './record.js';
import { fmt } from './results-md.js';
import { pairedDifference, summarize } from './stats.js';
import { mdText } from '../util/escape.js';

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], body: readonly (readonly string[])[], left: number) =>
  [row(head), row(head.map((_, i) => (i < left ? ':--' : '--:'))), ...body.map(row)].join('\n');

/** Mean over tasks of a metric on the training rows (NaN when the run was not traced). */
export function trainValue(r: RunRecord, metric: MetricName): number {
  if (!r.train) return Number.NaN;
  const vs = r.tasks.map((t) => r.train?.[t.name]?.[metric] ?? Number.NaN);
  return vs.reduce((s, x) => s + x, 0) / vs.length;
}

function testValue(r: RunRecord, metric: MetricName): number {
  const vs = r.tasks.map((t) => r.test[t.name]?.[metric] ?? Number.NaN);
  return vs.reduce((s, x) => s + x, 0) / vs.length;
}

export function renderTrainability(exp: Experiment, v: ResultView): string {
  const traced = v.records.filter((r) => r.train);
  if (!traced.length) return '';
  const metric = v.metrics[0];
  const out: string[] = [
    '## Trainability: training rows, spread over seeds, gates',
    '',
    `Final ${metric} (mean over tasks) on the training rows and on the test rows: mean ± std over seeds, and the range (min … max); a model that trains unreliably shows a wide spread of training ${metric} across initialisations (the paper's Fig. 6). Traced runs only (${traced.length} of ${v.records.length}).`,
    '',
  ];
  const spread = (xs: number[]) => {
    const f = xs.filter(Number.isFinite);
    if (!f.length) return ['–', '–'];
    const s = summarize(f);
    return [`${fmt(s.mean)} ± ${fmt(s.std)}`, `${fmt(Math.min(...f))} … ${fmt(Math.max(...f))}`];
  };
  const body: string[][] = [];
  for (const c of v.cells)
    for (const l of v.labels) {
      const runs = runsOf(v, l, c).filter((r) => r.train);
      if (!runs.length) continue;
      body.push([
        mdText(c),
        mdText(l),
        String(runs.length),
        ...spread(runs.map((r) => trainValue(r, metric))),
        ...spread(runs.map((r) => testValue(r, metric))),
      ]);
    }
  out.push(
    table(['cell', 'model', 'n', `train ${metric}`, 'train range', `test ${metric}`, 'test range'], body, 2),
    '',
  );

  if (exp.report.compare.length) {
    out.push(`Paired differences A − B of the training-row ${metric} (mean over tasks), seed by seed:`, '');
    const pairs: string[][] = [];
    for (const c of v.cells)
      for (const [a, b] of exp.report.compare) {
        const m = (l: string) =>
          new Map(
            runsOf(v, l, c)
              .filter((r) => r.train)
              .map((r) => [r.seed, trainValue(r, metric)] as const),
          );
        const d = pairedDifference(m(a), m(b));
        if (d.n === 0) continue;
        pairs.push([
          mdText(c),
          `${mdText(a)} − ${mdText(b)}`,
          String(d.n),
          fmt(d.mean),
          fmt(d.se),
          `${d.aLower}/${d.n}`,
        ]);
      }
    out.push(table(['cell', 'A − B', 'n', 'mean diff', 'SE', 'A lower'], pairs, 2), '');
  }

  const gated = traced.filter((r) => (r.trace?.gateEntropy.length ?? 0) > 1);
  if (gated.length) {
    out.push(
      '### Gate entropy',
      '',
      'Mean per-example entropy of each gate divided by log(#experts) (1: uniform over the experts, 0: one expert), on the first 1024 validation rows, before training and after the last epoch; mean ± std over seeds.',
      '',
    );
    const rows: string[][] = [];
    for (const c of v.cells)
      for (const l of v.labels) {
        const runs = runsOf(v, l, c).filter((r) => (r.trace?.gateEntropy.length ?? 0) > 1);
        if (!runs.length) continue;
        const gates = Object.keys(runs[0].trace!.gateEntropy[0].gates);
        for (const g of gates) {
          const at = (pick: (r: RunRecord) => number) => {
            const s = summarize(runs.map(pick).filter(Number.isFinite));
            return `${fmt(s.mean, 3)} ± ${fmt(s.std, 3)}`;
          };
          rows.push([
            mdText(c),
            mdText(l),
            mdText(g),
            String(runs.length),
            at((r) => r.trace!.gateEntropy[0].gates[g] ?? Number.NaN),
            at((r) => r.trace!.gateEntropy[r.trace!.gateEntropy.length - 1].gates[g] ?? Number.NaN),
          ]);
        }
      }
    out.push(table(['cell', 'model', 'gate', 'n', 'before training', 'after training'], rows, 3), '');
  }

  return out.join('\n');
}
