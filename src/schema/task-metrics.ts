// The metrics a task computes on validation and test data: its `metrics`, or the defaults of its
// type. Shared by the lowering (src/compiler/lower.ts) and the early-stopping rule, so that the
// metric early stopping watches is one the training loop computes.
import type { TaskSpec } from './spec-schema.js';

export type TaskType = 'binary' | 'regression' | 'multiclass';

export const DEFAULT_METRICS: Readonly<Record<TaskType, readonly string[]>> = {
  binary: ['auc', 'logloss', 'accuracy'],
  regression: ['mse', 'mae'],
  multiclass: ['accuracy', 'top_k_accuracy', 'macro_auc', 'logloss'],
};

/** The metrics each head type can compute. Binary tasks also accept mse / mae (the Brier score
 * and its absolute form of a probability); multi-class tasks have their own accuracy and log loss
 * (over the softmax), top-k accuracy and macro one-vs-rest AUC. */
export const VALID_METRICS: Readonly<Record<TaskType, ReadonlySet<string>>> = {
  binary: new Set(['auc', 'logloss', 'accuracy', 'mse', 'mae']),
  regression: new Set(['mse', 'mae']),
  multiclass: new Set(['accuracy', 'top_k_accuracy', 'macro_auc', 'logloss']),
};

/** The losses each head type can train with. */
export const VALID_LOSSES: Readonly<Record<TaskType, ReadonlySet<string>>> = {
  binary: new Set(['binary_crossentropy', 'mse', 'mae', 'huber']),
  regression: new Set(['mse', 'mae', 'huber']),
  multiclass: new Set(['categorical_crossentropy']),
};

export function taskMetrics(t: Pick<TaskSpec, 'metrics' | 'type'>): string[] {
  return [...(t.metrics ?? DEFAULT_METRICS[t.type ?? 'binary'])];
}

export function metricValidFor(type: TaskType | undefined, metric: string): boolean {
  return VALID_METRICS[type ?? 'binary'].has(metric);
}

/** Metrics of a probability against a 0/1 label: meaningless for a regression. */
export const BINARY_ONLY_METRICS: ReadonlySet<string> = new Set(['auc', 'logloss', 'accuracy']);

/** k of a multi-class task's top_k_accuracy. */
export const DEFAULT_TOP_K = 3;
