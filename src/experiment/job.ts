// One training run as the executors see it: what to train (a spec path and its --set list) and
// what comes back (the parts of the training report an experiment keeps). Plain data, so it
// crosses a worker-thread or child-process boundary unchanged.
import type { BackendPreference } from '../engine/backend.js';
import type { ReadOptions } from '../schema/paths.js';
import type { TrainTrace } from '../train/trace.js';

export interface TrainJob {
  id: string;
  specPath: string;
  sets: string[];
  /** --root and --allow-read of the experiment command. */
  read: ReadOptions;
  backend: BackendPreference;
  /** Model folder the run writes (checkpoints go next to it). */
  outDir: string;
  /** The run's own progress lines (the train command's stderr). */
  logFile: string;
}

export interface JobEpoch {
  epoch: number;
  /** Mean training loss over the epoch's batches (the weighted sum of the task losses). */
  loss: number;
  seconds: number;
  /** Validation metrics per task. */
  validation: Record<string, Record<string, number>>;
  /** Learned task weighting: each task's loss weight in the epoch (training.taskWeighting). */
  taskWeights?: Record<string, number>;
  /** With a learning-rate schedule: the rate of the epoch's last step. */
  learningRate?: number;
}

export interface JobResult {
  backend: string;
  epochs: JobEpoch[];
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Test metrics per task (of the kept weights: the best epoch with early stopping, else the last). */
  test: Record<string, Record<string, number>>;
  trainSeconds: number;
  examplesPerSecond: number;
  /** Metrics per task on the training rows (kept weights), when the run was traced. */
  train?: Record<string, Record<string, number>>;
  trace?: TrainTrace;
}

interface ReportLike {
  backend: string;
  epochs: {
    epoch: number;
    loss: number;
    seconds: number;
    validation: { task: string; metrics: Record<string, number> }[];
    taskWeights?: Record<string, number>;
    learningRate?: number;
  }[];
  bestEpoch: number;
  stoppedEarly: boolean;
  test: { task: string; metrics: Record<string, number> }[];
  trainSeconds: number;
  examplesPerSecond: number;
  trainMetrics?: { task: string; metrics: Record<string, number> }[];
  trace?: TrainTrace;
}

const byTask = (rs: { task: string; metrics: Record<string, number> }[]) =>
  Object.fromEntries(rs.map((r) => [r.task, { ...r.metrics }]));

/** The kept part of a TrainReport (in-process) or of `train --format json` output. */
export function jobResultFromReport(r: ReportLike): JobResult {
  return {
    backend: r.backend,
    epochs: r.epochs.map((e) => ({
      epoch: e.epoch,
      loss: e.loss,
      seconds: e.seconds,
      validation: byTask(e.validation),
      ...(e.taskWeights ? { taskWeights: { ...e.taskWeights } } : {}),
      ...(e.learningRate !== undefined ? { learningRate: e.learningRate } : {}),
    })),
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    test: byTask(r.test),
    trainSeconds: r.trainSeconds,
    examplesPerSecond: r.examplesPerSecond,
    ...(r.trainMetrics ? { train: byTask(r.trainMetrics) } : {}),
    ...(r.trace ? { trace: r.trace } : {}),
  };
}

export class JobFailed extends Error {}
