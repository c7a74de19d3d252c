// Figures that compare models (issue #19): loss curves with a dash pattern and a marker per model
// (equal curves stay visible), mean ± std bands over seeds, single-task and multi-task losses on
// separate panels (one task's loss and a sum of task losses are not on one scale); per step when
// the runs carry a training trace, else per epoch. Final metrics as strip plots (every seed a dot)
// and the gates' entropies over training.
import type { MetricName } from './definition.js';
import { colorOf } from './plots.js';
import { MEAN_TARGET, hasTarget, runsOf, type ResultView } from './results.js';
import type { RunRecord } from './record.js';
import { summarize } from './stats.js';
import { DASHES, MARKERS, renderLineChart, type LinePanel, type Series } from './svg.js';
import { renderStripPlot } from './svg-strip.js';

const styleOf = (v: ResultView, label: string) => {
  const i = v.labels.indexOf(label);
  return { color: colorOf(v, label), dash: DASHES[i % DASHES.length], marker: MARKERS[i % MARKERS.length] };
};

/** Mean and ±1 std band over runs of y(run, i) for i = 0.. while at least half of the runs have a value. */
function meanCurve(
  runs: readonly RunRecord[],
  length: (r: RunRecord) => number,
  at: (r: RunRecord, i: number) => [number, number] | undefined,
): Pick<Series, 'points' | 'band'> {
  const points: [number, number][] = [];
  const band: [number, number, number][] = [];
  const n = Math.max(0, ...runs.map(length));
  for (let i = 0; i < n; i++) {
    const got = runs.map((r) => at(r, i)).filter((p): p is [number, number] => p !== undefined);
    if (got.length * 2 < runs.length || got.length === 0) break;
    const s = summarize(got.map((p) => p[1]));
    points.push([got[0][0], s.mean]);
    if (Number.isFinite(s.std)) band.push([got[0][0], s.mean - s.std, s.mean + s.std]);
  }
  return { points, band };
}

const nSeeds = (v: ResultView) =>
  [...new Set(v.labels.flatMap((l) => v.cells.map((c) => runsOf(v, l, c).length)))].join('/');

/** Training loss per step (traced runs) or per epoch, one panel per cell and kind of model. */
export function lossCurvesByKind(v: ResultView, name: string): string {
  const perStep = v.records.length > 0 && v.records.every((r) => (r.trace?.loss.length ?? 0) > 0);
  const single = v.labels.filter((l) => (v.tasks.get(l)?.length ?? 0) === 1);
  const multi = v.labels.filter((l) => !single.includes(l));
  const groups = [
    ...(single.length ? [{ labels: single, what: "single-task models: the task's loss" }] : []),
    ...(multi.length ? [{ labels: multi, what: 'multi-task models: sum of the task losses' }] : []),
  ];
  const panels: LinePanel[] = v.cells.flatMap((cell) =>
    groups.map((g) => ({
      title: groups.length > 1 ? `${cell === 'all' ? '' : `${cell}, `}${g.what}` : cell,
      series: g.labels.map((label) => ({
        name: label,
        ...styleOf(v, label),
        ...(perStep
          ? meanCurve(
              runsOf(v, label, cell),
              (r) => r.trace!.loss.length,
              (r, i) => {
                const p = r.trace!.loss[i];
                return p ? [p.step, p.loss] : undefined;
              },
            )
          : meanCurve(
              runsOf(v, label, cell),
              (r) => r.epochs.length,
              (r, i) => (r.epochs[i] ? [r.epochs[i].epoch, r.epochs[i].loss] : undefined),
            )),
      })),
    })),
  );
  const window = perStep ? Math.max(...v.records.map((r) => r.trace!.window)) : 0;
  return renderLineChart(panels, {
    title: `${name}: training loss per ${perStep ? `${window === 1 ? 'step' : `${window} steps`}` : 'epoch'} (mean over ${nSeeds(v)} seeds, band ±1 std)`,
    xLabel: perStep ? 'Adam step' : 'epoch',
    yLabel: `training loss${groups.length > 1 ? '' : multi.length ? ' (sum over tasks)' : ''}${spansDecade(panels) ? ' (log scale)' : ''}`,
    // log scale only when the losses span more than a factor of 10 (else 1-2-5 ticks waste the panel)
    logY: spansDecade(panels),
    sharedY: groups.length === 1,
    columns: groups.length > 1 ? groups.length : Math.min(4, v.cells.length),
  });
}

function spansDecade(panels: LinePanel[]): boolean {
  const ys = panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([, y]) => y))).filter(Number.isFinite);
  return ys.length > 0 && Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) > 10;
}

/** Final metric per seed, per model: on the test rows, or on the training rows (traced runs). */
export function finalStrip(v: ResultView, name: string, metric: MetricName, rowsOf: 'test' | 'train'): string {
  // several cells: one panel per cell of the first target (the mean over tasks when there is
  // one); one cell: one panel per target
  const targets = v.cells.length > 1 ? [v.targets[0]] : v.targets;
  const columns = v.cells.flatMap((cell) => targets.map((t) => ({ cell, target: t })));
  const value = (r: RunRecord, target: string) => {
    const m = rowsOf === 'test' ? r.test : (r.train ?? {});
    if (target !== MEAN_TARGET) return m[target]?.[metric] ?? Number.NaN;
    const vs = r.tasks.map((t) => m[t.name]?.[metric] ?? Number.NaN);
    return vs.reduce((s, x) => s + x, 0) / vs.length;
  };
  const what = (t: string) =>
    t === MEAN_TARGET ? `${rowsOf} ${metric} (mean over tasks)` : `${rowsOf} ${metric}, ${t}`;
  return renderStripPlot({
    title: `${name}: final ${targets.length === 1 ? what(targets[0]) : `${rowsOf} ${metric}`} per seed`,
    xLabel: targets.length === 1 ? what(targets[0]) : `${rowsOf} ${metric}`,
    rows: v.labels.map((l) => ({ name: l, color: colorOf(v, l) })),
    columns: columns.map((c) => (v.cells.length > 1 ? c.cell : c.target)),
    // each panel its own axis: cells (budgets, rho) differ by an order of magnitude
    sharedX: false,
    values: (r, c) =>
      hasTarget(v, v.labels[r], columns[c].target)
        ? runsOf(v, v.labels[r], columns[c].cell).map((run) => value(run, columns[c].target))
        : [],
  });
}

/** Each gate's normalised entropy over training (traced runs of gated models); undefined if none. */
export function gateEntropyCurves(v: ResultView, name: string): string | undefined {
  const gated = v.labels.filter((l) => v.records.some((r) => r.label === l && (r.trace?.gateEntropy.length ?? 0) > 0));
  if (!gated.length) return undefined;

  const panels: LinePanel[] = v.cells.map((cell) => ({
    title: cell,
    series: gated.flatMap((label) => {
      const runs = runsOf(v, label, cell).filter((r) => r.trace?.gateEntropy.length);
      const gates = [...new Set(runs.flatMap((r) => Object.keys(r.trace!.gateEntropy[0]?.gates ?? {})))];
      return gates.map((gate, j) => {
        const base = styleOf(v, label);

        return {
          name: `${label} ${gate}`,
          color: base.color,
          dash: DASHES[(v.labels.indexOf(label) + j * 2) % DASHES.length],
          marker: MARKERS[(v.labels.indexOf(label) + j * 3) % MARKERS.length],
          ...meanCurve(
            runs,
            (r) => r.trace!.gateEntropy.length,
            (r, i) => {
              const p = r.trace!.gateEntropy[i];
              return p && p.gates[gate] !== undefined ? [p.step, p.gates[gate]] : undefined;
            },
          ),
        };
      });
    }),
  }));

  return renderLineChart(panels, {
    title: `${name}: gate entropy / log(#experts) over training (validation rows, mean over seeds, band ±1 std)`,
    xLabel: 'Adam step',
    yLabel: 'normalised gate entropy',
    columns: Math.min(4, v.cells.length),
  });
}
