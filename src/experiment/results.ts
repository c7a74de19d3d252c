// The numbers an experiment reports, read off its run records: which test metric per task,
// the per-run value of each (metric, target) where a target is a task or the mean over tasks,
// and groupings by label and cell.
import type { Experiment, MetricName } from './definition.js';
import type { Plan, PlannedTask } from './plan.js';
import type { RunRecord } from './record.js';

export const MEAN_TARGET = 'mean over tasks';
export const LOWER_IS_BETTER: Readonly<Record<MetricName, boolean>> = {
  mse: true,
  mae: true,
  logloss: true,
  auc: false,
  accuracy: false,
  top_k_accuracy: false,
  macro_auc: false,
};

export interface ResultView {
  labels: string[];
  cells: string[];
  metrics: MetricName[];
  /** Tasks (union over labels, in first-seen order), with MEAN_TARGET first when every label has the same two or more tasks. */
  targets: string[];
  records: RunRecord[];
  tasks: ReadonlyMap<string, PlannedTask[]>;
}

export function defaultMetric(t: PlannedTask): MetricName {
  return t.type === 'regression' ? 'mse' : t.type === 'multiclass' ? 'macro_auc' : 'auc';
}

export function resultView(exp: Experiment, plan: Plan, records: RunRecord[]): ResultView {
  const allTasks = [...plan.tasks.values()];
  const metrics = exp.report.metrics ?? [...new Set(allTasks.flat().map(defaultMetric))];
  const taskNames = [...new Set(allTasks.flat().map((t) => t.name))];
  const sig = (ts: PlannedTask[]) => ts.map((t) => `${t.name}:${t.type}`).join(',');
  const sameTasks = allTasks.every((ts) => sig(ts) === sig(allTasks[0]));
  const targets = sameTasks && taskNames.length > 1 ? [MEAN_TARGET, ...taskNames] : taskNames;
  return { labels: plan.labels, cells: plan.cells, metrics, targets, records, tasks: plan.tasks };
}

/** The run's test value of a metric for a task, or averaged over its tasks; NaN when absent. */
export function valueOf(r: RunRecord, metric: MetricName, target: string): number {
  if (target !== MEAN_TARGET) return r.test[target]?.[metric] ?? Number.NaN;
  const vs = r.tasks.map((t) => r.test[t.name]?.[metric] ?? Number.NaN);
  return vs.reduce((s, x) => s + x, 0) / vs.length;
}

export function runsOf(v: ResultView, label: string, cell: string): RunRecord[] {
  return v.records.filter((r) => r.label === label && r.cell === cell).sort((a, b) => a.seed - b.seed);
}

export function hasTarget(v: ResultView, label: string, target: string): boolean {
  if (target === MEAN_TARGET) return true;
  return (v.tasks.get(label) ?? []).some((t) => t.name === target);
}
