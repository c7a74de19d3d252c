// A training trace for studies: the training loss per window of steps (a loss curve per step,
// not only per epoch) and each gate's mean normalised entropy over training (the MMoE paper's
// trainability question: do the gates specialise, and when?). Recorded by `train` when asked
// (the experiment runner asks); not part of metrics.json.
import type * as tfType from '@tensorflow/tfjs';
import type { ModelIR } from '../compiler/ir.js';
import type { ModelData, Tf } from './dataset.js';
import { gateDiagnostics } from './gates.js';

/** About this many points per loss curve: the window is ceil(total steps / LOSS_POINTS) steps. */
export const LOSS_POINTS = 200;
/** Rows of the probe set the gate entropies are measured on (the first rows of the validation split). */
export const GATE_PROBE_ROWS = 1024;

export interface TrainTrace {
  /** Steps per loss window. */
  window: number;
  /** Mean training loss (weighted sum of task losses) over the window ending at `step` (1-based, counted over the run). */
  loss: { step: number; loss: number }[];
  /** Mean per-example gate entropy / log(#experts), per gate, before training (step 0) and after every epoch. */
  gateEntropy: { step: number; epoch: number; gates: Record<string, number> }[];
}

/** Collects the windowed loss from the loop's per-batch hook; `entropyAt` is awaited at epoch ends. */
export class TraceRecorder {
  readonly trace: TrainTrace;
  private sum = 0;
  private count = 0;

  constructor(
    totalSteps: number,
    private readonly stepsPerEpoch: number,
  ) {
    this.trace = { window: Math.max(1, Math.ceil(totalSteps / LOSS_POINTS)), loss: [], gateEntropy: [] };
  }

  /** One batch's loss; `epoch` and `batch` are 1-based. */
  batch(epoch: number, batch: number, loss: number): void {
    this.sum += loss;
    this.count++;
    const step = (epoch - 1) * this.stepsPerEpoch + batch;
    if (this.count === this.trace.window || batch === this.stepsPerEpoch) {
      this.trace.loss.push({ step, loss: this.sum / this.count });
      this.sum = 0;
      this.count = 0;
    }
  }

  /** The gates' normalised entropies at the end of `epoch` (0: before training). */
  async gates(tf: Tf, ir: ModelIR, model: tfType.LayersModel, probe: ModelData, epoch: number): Promise<void> {
    const d = await gateDiagnostics(tf, ir, model, probe, GATE_PROBE_ROWS);
    if (d.gates.length === 0) return;
    this.trace.gateEntropy.push({
      step: epoch * this.stepsPerEpoch,
      epoch,
      gates: Object.fromEntries(d.gates.map((g) => [g.gate, g.normalizedEntropy])),
    });
  }
}
