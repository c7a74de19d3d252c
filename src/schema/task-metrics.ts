// The metrics a task computes on validation and test data: its `metrics`, or the defaults of its
// type. Shared by the lowering (src/compiler/lower.ts) and the early-stopping rule, so that the
// metric early stopping watches is one the training loop computes.
import type { TaskSpec } from './spec-schema.js';

export const DEFAULT_METRICS: Readonly<Record<'binary' | 'regression', readonly string[]>> = {
  binary: ['auc', 'logloss', 'accuracy'],
  regression: ['mse', 'mae'],
};

export function taskMetrics(t: Pick<TaskSpec, 'metrics' | 'type'>): string[] {
  return [...(t.metrics ?? DEFAULT_METRICS[t.type ?? 'binary'])];
}

/** Metrics of a probability against a 0/1 label: meaningless for a regression. */
export const BINARY_ONLY_METRICS: ReadonlySet<string> = new Set(['auc', 'logloss', 'accuracy']);
