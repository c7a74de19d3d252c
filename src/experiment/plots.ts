// The experiment's figures, after the MMoE paper: training-loss curves averaged over seeds, one
// panel per cell and one line per model (its Fig. 4), and histograms of the final test metric
// across seeds, one row per model and one column per cell (its Fig. 5).
import type { MetricName } from './definition.js';
import { MEAN_TARGET, runsOf, valueOf, type ResultView } from './results.js';
import { summarize } from './stats.js';
import { PALETTE, renderHistogramGrid, renderLineChart, type LinePanel } from './svg.js';

export const colorOf = (v: ResultView, label: string) => PALETTE[v.labels.indexOf(label) % PALETTE.length];

/** Mean training loss per epoch over the seeds, with a ±1 SE band. An epoch counts the runs that
 * reached it (early stopping ends some runs sooner); it is drawn while at least half did. */
export function lossCurves(v: ResultView, name: string): string {
  const panels: LinePanel[] = v.cells.map((cell) => ({
    title: cell,
    series: v.labels.map((label) => {
      const runs = runsOf(v, label, cell);
      const maxEpoch = Math.max(0, ...runs.map((r) => r.epochs.length));
      const points: [number, number][] = [];
      const band: [number, number, number][] = [];
      for (let e = 1; e <= maxEpoch; e++) {
        const ls = runs.map((r) => r.epochs[e - 1]?.loss).filter((x): x is number => x !== undefined);
        if (ls.length * 2 < runs.length) break;
        const s = summarize(ls);
        points.push([e, s.mean]);
        if (Number.isFinite(s.se)) band.push([e, s.mean - s.se, s.mean + s.se]);
      }
      return { name: label, color: colorOf(v, label), points, band };
    }),
  }));
  const n = [...new Set(v.labels.flatMap((l) => v.cells.map((c) => runsOf(v, l, c).length)))].join('/');
  return renderLineChart(panels, {
    title: `${name}: training loss per epoch (mean over ${n} seeds, band ±1 SE)`,
    xLabel: 'epoch',
    yLabel: 'training loss (sum over tasks, log scale)',
    logY: v.records.every((r) => r.epochs.every((e) => e.loss > 0)),
  });
}

export function finalHistogram(v: ResultView, name: string, metric: MetricName): string {
  // one column per (cell, target); for several cells, only the first target (the mean over
  // tasks when there is one) keeps the figure readable
  const targets = v.cells.length > 1 ? [v.targets[0]] : v.targets;
  const columns = v.cells.flatMap((cell) => targets.map((t) => ({ cell, target: t })));
  const what = (t: string) => (t === MEAN_TARGET ? `test ${metric} (mean over tasks)` : `test ${metric}, ${t}`);
  return renderHistogramGrid({
    title: `${name}: final ${targets.length === 1 ? what(targets[0]) : `test ${metric}`} across seeds (dashed: mean)`,
    xLabel: targets.length === 1 ? what(targets[0]) : `test ${metric}`,
    rows: v.labels.map((l) => ({ name: l, color: colorOf(v, l) })),
    columns: columns.map((c) => (v.cells.length > 1 ? c.cell : c.target)),
    values: (r, c) => runsOf(v, v.labels[r], columns[c].cell).map((run) => valueOf(run, metric, columns[c].target)),
  });
}

/** Learned task weighting (training.taskWeighting): each task's loss weight per epoch, mean over
 * the seeds with a ±1 SE band, one panel per model and cell that learned its weights; undefined
 * when no run did (fixed weights only). Drawn while at least half the runs reached the epoch. */
export function taskWeightCurves(v: ResultView, name: string): string | undefined {
  const panels: LinePanel[] = [];
  for (const label of v.labels)
    for (const cell of v.cells) {
      const runs = runsOf(v, label, cell).filter((r) => r.epochs.some((e) => e.taskWeights));
      if (!runs.length) continue;
      const tasks = [...new Set(runs.flatMap((r) => r.epochs.flatMap((e) => Object.keys(e.taskWeights ?? {}))))];
      const maxEpoch = Math.max(...runs.map((r) => r.epochs.length));
      panels.push({
        title: v.cells.length > 1 ? `${label}, ${cell}` : label,
        series: tasks.map((task, i) => {
          const points: [number, number][] = [];
          const band: [number, number, number][] = [];
          for (let e = 1; e <= maxEpoch; e++) {
            const ws = runs
              .map((r) => r.epochs[e - 1]?.taskWeights?.[task])
              .filter((x): x is number => x !== undefined);
            if (ws.length * 2 < runs.length) break;
            const s = summarize(ws);
            points.push([e, s.mean]);
            if (Number.isFinite(s.se)) band.push([e, s.mean - s.se, s.mean + s.se]);
          }
          return { name: task, color: PALETTE[i % PALETTE.length], points, band };
        }),
      });
    }
  if (!panels.length) return undefined;
  return renderLineChart(panels, {
    title: `${name}: learned loss weight per task and epoch (mean over seeds, band ±1 SE)`,
    xLabel: 'epoch',
    yLabel: 'loss weight',
    sharedY: false,
  });
}
