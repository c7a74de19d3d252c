// Scoring and evaluation: batched prediction of every task output, then metrics per task, and
// per scenario when the spec has scenarios.
import type * as tfType from '@tensorflow/tfjs';
import type { ModelIR, TaskIR } from '../compiler/ir.js';
import { DEFAULT_TOP_K } from '../schema/task-metrics.js';
import { inputTensors, type ModelData, type Tf } from './dataset.js';
import { computeMetrics } from './metrics.js';
import { computeMulticlassMetrics } from './multiclass-metrics.js';

/** Input layer names (the feature names); `model.inputs[i].name` carries a per-process suffix. */
export function modelInputNames(model: tfType.LayersModel): string[] {
  return model.inputNames;
}

/** Predictions per output (task) name, in row order: one value per row, or K per row (row-major)
 * for a multi-class output of K classes. */
export async function predictAll(
  tf: Tf,
  model: tfType.LayersModel,
  data: ModelData,
  batchSize = 2048,
): Promise<Map<string, Float32Array>> {
  const names = model.outputNames;
  const widths = model.outputs.map((o) => o.shape[o.shape.length - 1] ?? 1);
  const out = new Map(names.map((n, k) => [n, new Float32Array(data.n * widths[k])] as const));
  const inputNames = modelInputNames(model);
  for (let start = 0; start < data.n; start += batchSize) {
    const end = Math.min(data.n, start + batchSize);
    const rows = Array.from({ length: end - start }, (_, i) => start + i);
    const xs = inputTensors(tf, data, rows, inputNames);
    // apply, not predict: predict re-slices every input into batches, measurable per call
    const ys = tf.tidy(() => model.apply(xs, { training: false }) as tfType.Tensor | tfType.Tensor[]);
    const list = Array.isArray(ys) ? ys : [ys];
    for (let k = 0; k < names.length; k++) out.get(names[k])!.set(await list[k].data(), start * widths[k]);
    tf.dispose([...xs, ...list]);
  }
  return out;
}

export interface TaskReport {
  task: string;
  /** Rows counted (inside the task's sample space, with a label). */
  rows: number;
  metrics: Record<string, number>;
  /** Per scenario value, when the spec has scenarios. */
  byScenario?: Record<string, { rows: number; metrics: Record<string, number> }>;
  /** The sample-weight column, when the metrics are weighted by it. */
  weightedBy?: string;
  /** A task without a label evaluated on its evaluation label (in words): metrics only. */
  evaluation?: string;
}

function count(mask: Float32Array): number {
  let n = 0;
  for (const m of mask) if (m > 0) n++;
  return n;
}

/** Metrics of the masked rows; all NaN when a prediction there is not finite (a diverged model:
 * its metrics are undefined, and sorting NaN scores would not terminate in auc()). */
function metricsOf(task: TaskIR, pred: Float32Array, label: Float32Array, mask: Float32Array): Record<string, number> {
  const names = task.metrics;
  const K = task.type === 'multiclass' ? (task.classes?.length ?? 1) : 1;
  for (let i = 0; i < pred.length; i++) {
    if (mask[Math.floor(i / K)] > 0 && !Number.isFinite(pred[i])) return Object.fromEntries(names.map((m) => [m, NaN]));
  }
  if (task.type === 'multiclass')
    return computeMulticlassMetrics(names, { pred, label, mask, classes: K }, task.topK ?? DEFAULT_TOP_K);
  return computeMetrics(names, { pred, label, mask });
}

export function evaluatePredictions(ir: ModelIR, preds: Map<string, Float32Array>, data: ModelData): TaskReport[] {
  const reports: TaskReport[] = [];
  for (const task of ir.tasks) {
    const label = data.labels.get(task.name);
    const mask = data.masks.get(task.name);
    const pred = preds.get(task.name);
    if (!label || !mask || !pred) continue;
    const r: TaskReport = { task: task.name, rows: count(mask), metrics: metricsOf(task, pred, label, mask) };
    const weightedBy = data.weightedBy?.get(task.name);
    if (weightedBy !== undefined) r.weightedBy = weightedBy;
    if (task.evaluation !== undefined && task.label === null) r.evaluation = task.evaluation;
    if (ir.scenario && data.scenario) {
      r.byScenario = {};
      ir.scenario.values.forEach((v, s) => {
        const m = mask.map((x, i) => (data.scenario![i] === s ? x : 0));
        r.byScenario![v] = { rows: count(m), metrics: metricsOf(task, pred, label, m) };
      });
    }
    reports.push(r);
  }
  return reports;
}

export async function evaluateModel(
  tf: Tf,
  ir: ModelIR,
  model: tfType.LayersModel,
  data: ModelData,
): Promise<TaskReport[]> {
  return evaluatePredictions(ir, await predictAll(tf, model, data), data);
}
