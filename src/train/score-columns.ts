// The output columns of scored rows, per task in model output order: a binary or regression task
// is one column named like the task; a multi-class task of K classes is K + 1 columns: the task's
// name holding the most probable class (the first, on a tie), then `<task>:<class>` holding each
// class's probability, in the order of `classes`. Shared by `predict` (CSV and JSON Lines).
import type { ModelIR } from '../compiler/ir.js';
import { argmax } from './multiclass-metrics.js';

export interface ScoreColumn {
  name: string;
  /** The task whose output the column reads. */
  task: string;
  value(row: number): number | string;
}

export function scoreColumns(ir: ModelIR, preds: ReadonlyMap<string, Float32Array>): ScoreColumn[] {
  const byName = new Map(ir.tasks.map((t) => [t.name, t]));
  const out: ScoreColumn[] = [];
  for (const [task, pred] of preds) {
    const classes = byName.get(task)?.type === 'multiclass' ? (byName.get(task)?.classes ?? []) : undefined;
    if (classes === undefined) {
      out.push({ name: task, task, value: (i) => pred[i] });
      continue;
    }
    const K = classes.length;
    out.push({ name: task, task, value: (i) => classes[argmax(pred, i, K)] });
    classes.forEach((c, k) => out.push({ name: `${task}:${c}`, task, value: (i) => pred[i * K + k] }));
  }
  return out;
}

/** Whether every score of a row is finite (a diverged model gives NaN). */
export function rowFinite(ir: ModelIR, preds: ReadonlyMap<string, Float32Array>, task: string, row: number): boolean {
  const t = ir.tasks.find((x) => x.name === task);
  const K = t?.type === 'multiclass' ? (t.classes?.length ?? 1) : 1;
  const pred = preds.get(task)!;
  for (let k = 0; k < K; k++) if (!Number.isFinite(pred[row * K + k])) return false;
  return true;
}
