// The optimisation options of training.* around one training step (docs/training.md): the
// learning-rate schedule, gradient clipping by global norm, L2 on embedding tables and the task
// weighting. The loop (loop.ts) calls these hooks; without any option set every hook does what
// the loop did before (same operations, so results are unchanged).
import type * as tfType from '@tensorflow/tfjs';
import type { ModelIR } from '../compiler/ir.js';
import { layerName } from '../compiler/build/names.js';
import type { TrainingSpec } from '../schema/spec-schema.js';
import { clipByGlobalNorm } from './clip.js';
import type { Tf } from './dataset.js';
import { learningRateAt, setLearningRate } from './schedule.js';
import { TaskWeighting, type WeightingState } from './task-weighting.js';

/** What a checkpoint keeps of the options (the step counter is epochs x batches). */
export interface OptimState {
  weighting?: WeightingState;
}

/** Added to an epoch's row of the training report. */
export interface EpochOptim {
  /** The rate of the epoch's last step (only with a schedule). */
  learningRate?: number;
  /** Each task's loss weight in the epoch (only with a learned weighting). */
  taskWeights?: Record<string, number>;
}

/** The tables training.embeddingL2 names, as built: IR table name, its variable, lambda. */
function embeddingPenalties(
  ir: ModelIR,
  model: tfType.LayersModel,
  l2: Record<string, number> | undefined,
): { table: string; variable: tfType.Variable; lambda: number }[] {
  if (!l2) return [];
  const out: { table: string; variable: tfType.Variable; lambda: number }[] = [];
  for (const [key, lambda] of Object.entries(l2)) {
    if (lambda === 0) continue;
    // the IR names a table emb_<feature> or shared_<sharedEmbedding> (compiler/lower.ts)
    const table = ir.embeddings.find((e) => e.name === `emb_${key}` || e.name === `shared_${key}`);
    // a table whose features nothing reads is not built (validate warns: unused)
    const layer = table && model.layers.find((l) => l.name === layerName.table(table.name));
    if (!table || !layer) continue;
    out.push({ table: table.name, variable: layer.trainableWeights[0].read() as tfType.Variable, lambda });
  }
  return out;
}

export class StepOptions {
  readonly weighting: TaskWeighting;
  private readonly penalties: ReturnType<typeof embeddingPenalties>;
  private readonly totalSteps: number;
  private rate: number;
  private captured: tfType.Tensor | undefined;

  constructor(
    private readonly tf: Tf,
    ir: ModelIR,
    model: tfType.LayersModel,
    private readonly training: TrainingSpec,
    lossTasks: ModelIR['tasks'],
    batches: number,
    resume?: OptimState,
  ) {
    this.weighting = new TaskWeighting(tf, lossTasks, training.taskWeighting, resume?.weighting);
    this.penalties = embeddingPenalties(ir, model, training.embeddingL2);
    this.totalSteps = training.epochs * batches;
    this.rate = training.learningRate;
  }

  /** Before the step with this 0-based index (counted over the whole run). */
  beforeStep(optimizer: tfType.Optimizer, step: number): void {
    if (!this.training.learningRateSchedule) return;
    const lr = learningRateAt(this.training.learningRate, this.training.learningRateSchedule, step, this.totalSteps);
    if (lr !== this.rate || step === 0) setLearningRate(optimizer, lr);
    this.rate = lr;
  }

  /** The objective from the tasks' losses (inside the optimizer's loss function). */
  objective(losses: tfType.Scalar[]): tfType.Scalar {
    const { tf } = this;
    if (this.weighting.needsTaskLosses) this.captured = tf.keep(tf.stack(losses));
    let total = this.weighting.combine(losses);
    for (const p of this.penalties) total = total.add(p.variable.square().sum().mul(p.lambda));
    return total;
  }

  /** One optimizer step on f, with the gradients clipped when training.gradientClipNorm is set. */
  minimize(optimizer: tfType.Optimizer, f: () => tfType.Scalar): tfType.Scalar {
    const clip = this.training.gradientClipNorm;
    let value: tfType.Scalar;
    if (clip === undefined) value = optimizer.minimize(f, true)!;
    else {
      const r = optimizer.computeGradients(f);
      const { grads } = clipByGlobalNorm(this.tf, r.grads, clip);
      optimizer.applyGradients(grads);
      value = r.value;
    }
    if (this.captured) {
      this.weighting.accumulate(this.captured);
      this.captured = undefined;
    }
    return value;
  }

  startEpoch(): void {
    this.weighting.startEpoch();
  }

  async endEpoch(): Promise<EpochOptim> {
    const taskWeights = this.weighting.method === 'fixed' ? undefined : this.weighting.weights();
    await this.weighting.endEpoch();
    return {
      ...(this.training.learningRateSchedule ? { learningRate: this.rate } : {}),
      ...(taskWeights ? { taskWeights } : {}),
    };
  }

  state(): OptimState {
    return this.weighting.method === 'fixed' ? {} : { weighting: this.weighting.state() };
  }

  dispose(): void {
    this.weighting.dispose();
  }
}
