// Learned task weighting (training.taskWeighting): how the tasks' losses L_k are combined into
// the training objective. The task's own `weight` w_k multiplies whatever the method gives.
//
// fixed:        sum_k w_k L_k (the loop's original objective, same operations).
// uncertainty:  Kendall, Gal & Cipolla (CVPR 2018), Eqs. 7 and 10, with a learned s_k = log sigma_k^2
//               per task (initialised to 0), trained with the model by the same optimizer:
//                 binary (classification, Eq. 10's approximation): exp(-s_k) L_k + s_k / 2
//                 regression (Gaussian likelihood, Eq. 7):          exp(-s_k) L_k / 2 + s_k / 2
//               (the log sigma terms of the paper are s / 2). Objective: sum_k w_k (...).
//               The weight reported is w_k c_k exp(-s_k), c_k = 1 (binary) or 1/2 (regression).
// dwa:          Dynamic Weight Average, Liu, Johns & Davison (CVPR 2019), Eq. 1: in epoch t,
//                 lambda_k(t) = K exp(r_k(t-1) / T) / sum_j exp(r_j(t-1) / T),
//                 r_k(t-1) = Lbar_k(t-1) / Lbar_k(t-2),
//               Lbar the mean over an epoch's batches of the task's unweighted loss; lambda = 1 in
//               the first two epochs. Objective: sum_k w_k lambda_k(t) L_k.
//
// State (s_k as float32 values; DWA's last two epoch means) goes into the checkpoint, so a
// resumed run continues with the same weights. The optimizer's moments for s_k are part of the
// optimizer's own weights and are saved with them.
import type * as tfType from '@tensorflow/tfjs';
import type { TaskIR } from '../compiler/ir.js';
import type { TrainingSpec } from '../schema/spec-schema.js';
import type { Tf } from './dataset.js';

export type WeightingMethod = NonNullable<TrainingSpec['taskWeighting']>['method'];

export interface WeightingState {
  method: WeightingMethod;
  /** uncertainty: s_k per task. */
  logVariances?: number[];
  /** dwa: the mean task losses of the last two finished epochs, oldest first. */
  epochLosses?: number[][];
}

type LossTask = Pick<TaskIR, 'name' | 'type' | 'weight'>;

/** DWA weights for the next epoch from the epoch means so far (oldest first). */
export function dwaWeights(epochLosses: readonly (readonly number[])[], k: number, temperature: number): number[] {
  if (epochLosses.length < 2) return new Array<number>(k).fill(1);
  const last = epochLosses[epochLosses.length - 1];
  const before = epochLosses[epochLosses.length - 2];
  // a task with no row in its sample space for a whole epoch has a mean loss of 0: its ratio
  // is undefined, and counts as 1 (no change) instead of making every weight NaN
  const ratio = (l: number, b: number) => (b > 0 && Number.isFinite(l / b) ? l / b : 1);
  const e = last.map((l, i) => Math.exp(ratio(l, before[i]) / temperature));
  const sum = e.reduce((s, x) => s + x, 0);
  return e.map((x) => (k * x) / sum);
}

export class TaskWeighting {
  readonly method: WeightingMethod;
  private readonly temperature: number;
  private logVars: tfType.Variable[] = [];
  private epochLosses: number[][] = [];
  private dwa: number[];
  /** Sum over this epoch's batches of the per-task losses (dwa), on the backend. */
  private lossSum: tfType.Tensor | undefined;
  private batches = 0;

  constructor(
    private readonly tf: Tf,
    private readonly tasks: readonly LossTask[],
    spec: TrainingSpec['taskWeighting'],
    resume?: WeightingState,
  ) {
    this.method = spec?.method ?? 'fixed';
    this.temperature = spec?.temperature ?? 2;
    if (this.method === 'uncertainty')
      this.logVars = tasks.map((_, i) => tf.variable(tf.scalar(resume?.logVariances?.[i] ?? 0), true));
    if (this.method === 'dwa' && resume?.epochLosses) this.epochLosses = resume.epochLosses.map((r) => [...r]);
    this.dwa = dwaWeights(this.epochLosses, tasks.length, this.temperature);
  }

  /** Whether the loop must hand the per-task losses to `accumulate`. */
  get needsTaskLosses(): boolean {
    return this.method === 'dwa';
  }

  /** The weighted objective of the tasks' losses (inside the optimizer's loss function). */
  combine(losses: tfType.Scalar[]): tfType.Scalar {
    const { tf } = this;
    let total: tfType.Scalar = tf.scalar(0);
    losses.forEach((l, k) => {
      const t = this.tasks[k];
      if (this.method === 'uncertainty') {
        const s = this.logVars[k];
        const c = t.type === 'regression' ? 0.5 : 1;
        total = total.add(s.neg().exp().mul(l).mul(c).add(s.mul(0.5)).mul(t.weight));
      } else if (this.method === 'dwa') total = total.add(l.mul(t.weight * this.dwa[k]));
      else total = total.add(l.mul(t.weight));
    });
    return total;
  }

  /** dwa: add one batch's per-task losses (a [K] tensor; this takes it over). */
  accumulate(losses: tfType.Tensor): void {
    const next = this.tf.keep(this.lossSum ? this.lossSum.add(losses) : losses.clone());
    this.lossSum?.dispose();
    losses.dispose();
    this.lossSum = next;
    this.batches++;
  }

  /** End of an epoch: the next epoch's DWA weights. */
  async endEpoch(): Promise<void> {
    if (this.method !== 'dwa' || !this.lossSum) return;
    const sums = Array.from((await this.lossSum.data()) as Float32Array);
    this.epochLosses = [...this.epochLosses, sums.map((s) => s / this.batches)].slice(-2);
    this.lossSum.dispose();
    this.lossSum = undefined;
    this.batches = 0;
    this.dwa = dwaWeights(this.epochLosses, this.tasks.length, this.temperature);
  }

  /** The weight each task's loss had at the end of the epoch (for the training report). */
  weights(): Record<string, number> {
    const out: Record<string, number> = {};
    this.tasks.forEach((t, k) => {
      if (this.method === 'uncertainty') {
        const s = this.logVars[k].dataSync()[0];
        out[t.name] = t.weight * (t.type === 'regression' ? 0.5 : 1) * Math.exp(-s);
      } else if (this.method === 'dwa') out[t.name] = t.weight * this.dwaOfLastEpoch[k];
      else out[t.name] = t.weight;
    });
    return out;
  }

  /** The DWA weights the finished epoch trained with (before endEpoch moved them on). */
  private dwaOfLastEpoch: number[] = [];

  /** Call before each epoch's first batch. */
  startEpoch(): void {
    this.dwaOfLastEpoch = [...this.dwa];
  }

  state(): WeightingState {
    if (this.method === 'uncertainty')
      return { method: this.method, logVariances: this.logVars.map((v) => v.dataSync()[0]) };
    if (this.method === 'dwa') return { method: this.method, epochLosses: this.epochLosses.map((r) => [...r]) };
    return { method: this.method };
  }

  dispose(): void {
    this.tf.dispose(this.logVars);
    this.lossSum?.dispose();
  }
}
