// The training loop: a custom step (optimizer.minimize over the masked multi-task loss) instead
// of model.fit, so that sample spaces, ESMM products and NaN checks are ours. Deterministic given
// the seed: batches come from a seeded permutation; weights are initialised from the seed.
import type * as tfType from '@tensorflow/tfjs';
import type { ModelIR } from '../compiler/ir.js';
import { fusedAdam } from '../engine/fused-adam.js';
import type { TrainingSpec } from '../schema/spec-schema.js';
import { gatherRows, type ModelData, type Tf } from './dataset.js';
import { evaluateModel, modelInputNames, type TaskReport } from './evaluate.js';
import { taskLoss } from './loss.js';
import { higherIsBetter, type MetricName } from './metrics.js';
import { constantPredictorLoss, DIVERGENCE_FACTOR } from './divergence.js';
import { StepOptions, type EpochOptim, type OptimState } from './step-options.js';
import { type StepFeed, stepFeed } from './step-feed.js';

export interface EpochRow {
  epoch: number;
  loss: number;
  seconds: number;
  examplesPerSecond: number;
  validation: TaskReport[];
  /** The watched metric (early stopping), when configured. */
  watched?: number;
  best: boolean;
  /** With a learning-rate schedule or a learned task weighting (src/train/step-options.ts). */
  learningRate?: EpochOptim['learningRate'];
  taskWeights?: EpochOptim['taskWeights'];
}

export interface TrainHooks {
  /** After every batch (progress bars). */
  onBatch?: (e: { epoch: number; batch: number; batches: number; loss: number }) => void;
  onEpoch?: (row: EpochRow) => void;
  /** After each epoch with the weights to keep as a resumable checkpoint. */
  onCheckpoint?: (state: TrainState) => Promise<void> | void;
}

export interface TrainResult {
  history: EpochRow[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

/**
 * Training diverged: a NaN or infinite loss or weight, or a finite loss far above the constant
 * predictor's (src/train/divergence.ts). The model holds the last good weights.
 */
export class TrainingDiverged extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly value: number,
    what = `the loss became ${value}`,
  ) {
    const kept = epoch > 1 ? `the last good weights (end of epoch ${epoch - 1}) were kept` : 'no epoch finished';
    super(`${what} at epoch ${epoch}, batch ${batch}; training stopped and ${kept}. Try a lower training.learningRate`);
  }
}

const fmt = (x: number) => Number(x.toPrecision(4)).toString();

/** Batches per read of the loss values (the NaN check still names the exact batch). */
export const LOSS_READ_WINDOW = 8;

export function createOptimizer(tf: Tf, t: Pick<TrainingSpec, 'optimizer' | 'learningRate'>): tfType.Optimizer {
  switch (t.optimizer) {
    case 'sgd':
      return tf.train.sgd(t.learningRate);
    case 'adagrad':
      return tf.train.adagrad(t.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(t.learningRate);
    default:
      // tf.train.adam's arithmetic, state and weights; one kernel per variable on wasm.
      return fusedAdam(tf, t.learningRate);
  }
}

/** A seeded permutation of 0..n-1 (Fisher-Yates with the caller's uniform generator). */
export function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

function snapshot(tf: Tf, model: tfType.LayersModel): tfType.Tensor[] {
  return tf.tidy(() => model.getWeights().map((w) => w.clone()));
}

export interface TrainArgs {
  tf: Tf;
  ir: ModelIR;
  model: tfType.LayersModel;
  train: ModelData;
  validation?: ModelData;
  training: TrainingSpec;
  /** Uniform [0, 1) generator for one epoch's batch order, seeded from (training.seed, epoch), so a
   * resumed run draws the same batches as an uninterrupted one. */
  randomForEpoch: (epoch: number) => () => number;
  optimizer?: tfType.Optimizer;
  /** Continue a run: the state saved with its last checkpoint. */
  resume?: ResumeState;
  hooks?: TrainHooks;
}

export interface ResumeState {
  /** Last finished epoch. */
  epoch: number;
  history: EpochRow[];
  bestEpoch: number;
  bestValue: number | null;
  bestWeights: tfType.Tensor[];
  sinceBest: number;
  optim?: OptimState;
}

/** What a checkpoint needs to resume (the caller also saves model and optimizer weights). */
export interface TrainState {
  epoch: number;
  history: EpochRow[];
  bestEpoch: number;
  bestValue: number | null;
  sinceBest: number;
  /** Best weights so far (owned by the loop; read, do not dispose). */
  bestWeights: tfType.Tensor[];
  optim: OptimState;
}

export async function trainModel(a: TrainArgs): Promise<TrainResult> {
  // Feature groups gathered on the host, one tensor per group per step (src/train/step-feed.ts).
  const feed = stepFeed(a.tf, a.model, a.train, modelInputNames(a.model));
  try {
    return await runTraining(a, feed);
  } finally {
    feed.release();
  }
}

async function runTraining(a: TrainArgs, feed: StepFeed): Promise<TrainResult> {
  const { tf, ir, model, train, training, hooks = {} } = a;
  const optimizer = a.optimizer ?? createOptimizer(tf, training);
  const outputIndex = new Map(model.outputNames.map((n, i) => [n, i] as const));
  const lossTasks = ir.tasks.filter((t) => t.label !== null && t.weight > 0 && train.labels.has(t.name));
  const batchSize = Math.min(training.batchSize, train.n);
  const batches = Math.ceil(train.n / batchSize);
  const es = training.earlyStopping;
  const history: EpochRow[] = [...(a.resume?.history ?? [])];
  let bestValue = a.resume?.bestValue ?? Number.NaN;
  let bestEpoch = a.resume?.bestEpoch ?? 0;
  let bestWeights: tfType.Tensor[] | undefined = a.resume?.bestWeights;
  let lastGood = snapshot(tf, model);
  let sinceBest = a.resume?.sinceBest ?? 0;
  let stoppedEarly = false;
  const constant = constantPredictorLoss(lossTasks, train);
  let first: number | undefined; // the loss of this run's first batch
  const opts = new StepOptions(tf, ir, model, training, lossTasks, batches, a.resume?.optim);
  const diverged = (epoch: number, batch: number, value: number, what?: string): TrainingDiverged => {
    opts.dispose();
    model.setWeights(lastGood);
    tf.dispose(lastGood);
    tf.dispose(bestWeights ?? []);
    return new TrainingDiverged(epoch, batch, value, what);
  };

  // One training step: the batch's tensors live inside the tidy; only the loss scalar leaves it.
  const step = (rows: Int32Array): tfType.Scalar =>
    tf.tidy(() => {
      const xs = feed.inputs(rows);
      const ys = lossTasks.map((t) => tf.tensor1d(gatherRows(train.labels.get(t.name)!, rows)));
      const ms = lossTasks.map((t) => tf.tensor1d(gatherRows(train.masks.get(t.name)!, rows)));
      return opts.minimize(optimizer, () => {
        const outs = model.apply(xs, { training: true }) as tfType.Tensor | tfType.Tensor[];
        const list = Array.isArray(outs) ? outs : [outs];
        let total = opts.objective(
          lossTasks.map((t, k) => taskLoss(tf, t, list[outputIndex.get(t.name)!], ys[k], ms[k])),
        );
        for (const r of model.calculateLosses()) total = total.add(r);
        return total;
      });
    });

  for (let epoch = (a.resume?.epoch ?? 0) + 1; epoch <= training.epochs; epoch++) {
    const t0 = performance.now();
    const order = permutation(train.n, a.randomForEpoch(epoch));
    let lossSum = 0;
    opts.startEpoch();
    // Losses stay on the backend and are read LOSS_READ_WINDOW batches at a time (one read
    // instead of one per batch); the first non-finite one names its batch.
    let pending: tfType.Scalar[] = [];
    const readLosses = async (lastBatch: number): Promise<void> => {
      if (pending.length === 0) return;
      const firstBatch = lastBatch - pending.length + 1;
      const stacked = pending.length === 1 ? pending[0] : tf.stack(pending);
      const values = Array.from((await stacked.data()) as Float32Array);
      tf.dispose(stacked === pending[0] ? pending : [stacked, ...pending]);
      pending = [];
      // the batches before the one that stops training are reported as usual
      const report = (upTo: number) => {
        for (let i = 0; i < upTo; i++) {
          lossSum += values[i];
          hooks.onBatch?.({ epoch, batch: firstBatch + i, batches, loss: values[i] });
        }
      };
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        report(bad);
        throw diverged(epoch, firstBatch + bad, values[bad]);
      }
      first ??= values[0];
      const reference = Math.max(constant, first);
      const limit = DIVERGENCE_FACTOR * reference;
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      if (reference > 0 && mean > limit) {
        const i = values.findIndex((v) => v > limit);
        report(i);
        throw diverged(
          epoch,
          firstBatch + i,
          values[i],
          `the loss diverged: ${fmt(values[i])} (mean ${fmt(mean)} over batches ${firstBatch}-${lastBatch}) is more than ${DIVERGENCE_FACTOR}x the reference ${fmt(reference)}, the larger of the constant predictor's loss ${fmt(constant)} and the first batch's ${fmt(first)},`,
        );
      }
      report(values.length);
    };
    for (let b = 0; b < batches; b++) {
      opts.beforeStep(optimizer, (epoch - 1) * batches + b);
      pending.push(step(order.subarray(b * batchSize, Math.min(train.n, (b + 1) * batchSize))));
      if (pending.length === LOSS_READ_WINDOW || b === batches - 1) await readLosses(b + 1);
    }
    const seconds = (performance.now() - t0) / 1000;
    // a weight that the loss does not reach (it would have made the loss NaN) can still blow up
    const badWeight = model.weights.find((w) => !(w.read().dataSync() as Float32Array).every(Number.isFinite));
    if (badWeight) throw diverged(epoch, batches, Number.NaN, `weight ${badWeight.name} became non-finite`);
    const validation = a.validation && a.validation.n > 0 ? await evaluateModel(tf, ir, model, a.validation) : [];
    const optim = await opts.endEpoch();
    let watched: number | undefined;
    let best = false;
    if (es) {
      watched = validation.find((r) => r.task === es.task)?.metrics[es.metric];
      const better = (x: number, y: number) => (higherIsBetter(es.metric as MetricName) ? x > y : x < y);
      if (
        watched !== undefined &&
        Number.isFinite(watched) &&
        (Number.isNaN(bestValue) || better(watched, bestValue))
      ) {
        bestValue = watched;
        best = true;
      }
    } else best = true; // without early stopping the latest epoch is the one kept
    // No finite watched value yet (e.g. AUC of a validation split with one class, or no rows in
    // the task's sample space): keep this epoch until one is, so there is always a best to keep.
    if (!best && bestWeights === undefined) best = true;
    if (best) {
      bestEpoch = epoch;
      sinceBest = 0;
      tf.dispose(bestWeights ?? []);
      bestWeights = snapshot(tf, model);
    } else sinceBest++;
    tf.dispose(lastGood);
    lastGood = snapshot(tf, model);
    const row: EpochRow = {
      epoch,
      loss: lossSum / batches,
      seconds,
      examplesPerSecond: train.n / seconds,
      validation,
      best,
      ...(watched !== undefined ? { watched } : {}),
      ...optim,
    };
    history.push(row);
    hooks.onEpoch?.(row);
    await hooks.onCheckpoint?.({
      epoch,
      history,
      bestEpoch,
      bestValue: Number.isNaN(bestValue) ? null : bestValue,
      sinceBest,
      bestWeights: bestWeights!,
      optim: opts.state(),
    });
    if (es && sinceBest > es.patience) {
      stoppedEarly = true;
      break;
    }
  }
  if (bestWeights) {
    model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  }
  tf.dispose(lastGood);
  opts.dispose();
  return { history, bestEpoch, stoppedEarly };
}
