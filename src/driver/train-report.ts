// Text rendering of training results: the per-epoch line, and the final report with test
// metrics per task (and per scenario) and gate diagnostics.
import type { TrainingSpec } from '../schema/spec-schema.js';
import type { EpochRow } from '../train/loop.js';
import type { TrainReport } from './train.js';

const fmt = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '-' : Math.abs(x) >= 1000 ? x.toFixed(0) : x.toFixed(4);

export function renderEpochRow(row: EpochRow, es?: TrainingSpec['earlyStopping']): string {
  const val = row.validation
    .map(
      (r) =>
        `${r.task} ${Object.entries(r.metrics)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(' ')}`,
    )
    .join(' | ');
  const watched =
    es && row.watched !== undefined ? ` [${es.task} ${es.metric} ${fmt(row.watched)}${row.best ? ' best' : ''}]` : '';
  const lr = row.learningRate !== undefined ? `; lr ${Number(row.learningRate.toPrecision(3))}` : '';
  const weights = row.taskWeights
    ? `; task weights ${Object.entries(row.taskWeights)
        .map(([t, w]) => `${t} ${fmt(w)}`)
        .join(', ')}`
    : '';
  return `epoch ${row.epoch}: loss ${fmt(row.loss)}, ${row.examplesPerSecond.toFixed(0)} ex/s, ${row.seconds.toFixed(1)} s; validation: ${val || '-'}${watched}${lr}${weights}`;
}

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  ')).join('\n');
}

export function renderReport(r: TrainReport): string {
  const out: string[] = [];
  out.push(`${r.name}: ${r.family}, seed ${r.seed}, backend ${r.backend}${r.engine ? `, ${r.engine}` : ''}`);
  out.push(
    `trained ${r.epochs.length} epochs (best: ${r.bestEpoch}${r.stoppedEarly ? ', stopped early' : ''}), ${r.trainSeconds.toFixed(1)} s, ${r.examplesPerSecond.toFixed(0)} examples/s`,
  );
  out.push('');
  const metricNames = [...new Set(r.test.flatMap((t) => Object.keys(t.metrics)))];
  out.push('test metrics');
  out.push(
    table([
      ['task', 'scope', 'rows', ...metricNames],
      ...r.test.flatMap((t) => [
        [t.task, 'all', String(t.rows), ...metricNames.map((m) => fmt(t.metrics[m]))],
        ...Object.entries(t.byScenario ?? {}).map(([s, v]) => [
          t.task,
          `scenario ${s}`,
          String(v.rows),
          ...metricNames.map((m) => fmt(v.metrics[m])),
        ]),
      ]),
    ]),
  );
  for (const t of r.test) {
    if (t.evaluation) out.push(`${t.task}: evaluated on ${t.evaluation} (metrics only, no loss term)`);
    if (t.weightedBy) out.push(`${t.task}: metrics weighted by ${t.weightedBy} (rows: unweighted count)`);
  }
  if (r.gates.gates.length) {
    out.push('');
    out.push('gates (test set): mean weight per expert, entropy / log(#experts)');
    for (const g of r.gates.gates) {
      out.push(
        `  ${g.gate}: ${g.experts.map((e, i) => `${e} ${(g.meanWeight[i] * 100).toFixed(1)}%`).join(', ')}; entropy ${g.normalizedEntropy.toFixed(3)}`,
      );
    }
    for (const w of r.gates.warnings) out.push(`  warning: ${w}`);
  }
  return out.join('\n') + '\n';
}
