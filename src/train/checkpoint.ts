// Resumable checkpoints, written atomically after every epoch to `<out>.checkpoint/`: the model's
// current weights, the best weights so far, the optimizer's state, and the loop state. A run
// started with --resume continues from the last finished epoch and draws the same batches as an
// uninterrupted run (batch order is seeded per epoch).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { writeArtifactsAtomic } from '../util/atomic-write.js';
import { stableJson } from '../util/stable-json.js';
import { UsageError } from '../util/diagnostics.js';
import type { Tf } from './dataset.js';
import type { EpochRow, ResumeState, TrainState } from './loop.js';

interface TensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export function encodeTensors(named: { name: string; tensor: tfType.Tensor }[]): {
  specs: TensorSpec[];
  bytes: Uint8Array;
} {
  const specs: TensorSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const data =
      dtype === 'int32'
        ? Int32Array.from(tensor.dataSync() as Int32Array)
        : Float32Array.from(tensor.dataSync() as Float32Array);
    specs.push({ name, shape: [...tensor.shape], dtype });
    parts.push(new Uint8Array(data.buffer));
  }
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return { specs, bytes };
}

export function decodeTensors(
  tf: Tf,
  specs: TensorSpec[],
  bytes: Uint8Array,
): { name: string; tensor: tfType.Tensor }[] {
  let off = 0;
  return specs.map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const buf = bytes.slice(off, off + size * 4).buffer;
    off += size * 4;
    const data = s.dtype === 'int32' ? new Int32Array(buf) : new Float32Array(buf);
    return { name: s.name, tensor: tf.tensor(data, s.shape, s.dtype) };
  });
}

/**
 * Optimizer state that getWeights() leaves out. Adam's bias-correction powers beta^t are kept as
 * running products (accBeta *= beta after every step), but setWeights() recomputes them as
 * pow(beta, t + 1), which differs from the product in the last float32 bit at most steps (187 of
 * the first 200 here): a resumed run then drifted from an uninterrupted one. They are saved as
 * they are and restored after setWeights().
 */
const DERIVED_OPTIMIZER_STATE = ['accBeta1', 'accBeta2'] as const;

function derivedState(optimizer: tfType.Optimizer): Record<string, number> {
  const o = optimizer as unknown as Record<string, tfType.Variable | undefined>;
  const out: Record<string, number> = {};
  for (const k of DERIVED_OPTIMIZER_STATE) {
    const v = o[k];
    // float32 values: a JSON number holds each one exactly
    if (v && typeof v.dataSync === 'function') out[k] = v.dataSync()[0];
  }
  return out;
}

function restoreDerivedState(tf: Tf, optimizer: tfType.Optimizer, saved: Record<string, number> | undefined): void {
  const o = optimizer as unknown as Record<string, tfType.Variable | undefined>;
  for (const k of DERIVED_OPTIMIZER_STATE) {
    const v = o[k];
    if (v && saved && typeof saved[k] === 'number') tf.tidy(() => v.assign(tf.scalar(saved[k], 'float32')));
  }
}

export function checkpointDir(outDir: string): string {
  return `${outDir.replace(/\/+$/, '')}.checkpoint`;
}

export async function saveCheckpoint(
  dir: string,
  model: tfType.LayersModel,
  optimizer: tfType.Optimizer,
  state: TrainState,
  specHash: string,
): Promise<void> {
  const weights = model.weights.map((w, i) => ({ name: `${i}:${w.name}`, tensor: w.read() }));
  const current = encodeTensors(weights);
  const best = encodeTensors(state.bestWeights.map((t, i) => ({ name: weights[i].name, tensor: t })));
  const opt = encodeTensors(await optimizer.getWeights());
  const meta = {
    specHash,
    optimizerState: derivedState(optimizer),
    epoch: state.epoch,
    bestEpoch: state.bestEpoch,
    bestValue: state.bestValue,
    sinceBest: state.sinceBest,
    ...(state.optim.weighting ? { optim: state.optim } : {}),
    history: state.history,
    weights: current.specs,
    optimizer: opt.specs,
  };
  writeArtifactsAtomic(
    dir,
    new Map<string, string | Uint8Array>([
      ['state.json', stableJson(meta)],
      ['weights.bin', current.bytes],
      ['best.bin', best.bytes],
      ['optimizer.bin', opt.bytes],
    ]),
    'checkpoint',
  );
}

/** Restore model and optimizer from a checkpoint; returns the loop state to resume from. */
export async function loadCheckpoint(
  tf: Tf,
  dir: string,
  model: tfType.LayersModel,
  optimizer: tfType.Optimizer,
  specHash: string,
): Promise<ResumeState | undefined> {
  const statePath = join(dir, 'state.json');
  if (!existsSync(statePath)) return undefined;
  const meta = JSON.parse(readFileSync(statePath, 'utf8')) as {
    specHash: string;
    epoch: number;
    bestEpoch: number;
    bestValue: number | null;
    sinceBest: number;
    history: EpochRow[];
    weights: TensorSpec[];
    optimizer: TensorSpec[];
    optimizerState?: Record<string, number>;
    optim?: ResumeState['optim'];
  };
  if (meta.specHash !== specHash)
    throw new UsageError(
      `the checkpoint in ${dir} was made from a different spec (hash ${meta.specHash}, now ${specHash}); remove it or train without --resume (only training.epochs may change between runs)`,
    );
  const current = decodeTensors(tf, meta.weights, new Uint8Array(readFileSync(join(dir, 'weights.bin'))));
  if (current.length !== model.weights.length)
    throw new UsageError(
      `the checkpoint in ${dir} does not match the model (${current.length} weights, model has ${model.weights.length})`,
    );
  model.setWeights(current.map((c) => c.tensor));
  tf.dispose(current.map((c) => c.tensor));
  const best = decodeTensors(tf, meta.weights, new Uint8Array(readFileSync(join(dir, 'best.bin')))).map(
    (c) => c.tensor,
  );
  const opt = decodeTensors(tf, meta.optimizer, new Uint8Array(readFileSync(join(dir, 'optimizer.bin'))));
  if (opt.length) await optimizer.setWeights(opt);
  restoreDerivedState(tf, optimizer, meta.optimizerState);
  return {
    epoch: meta.epoch,
    history: meta.history,
    bestEpoch: meta.bestEpoch,
    bestValue: meta.bestValue,
    bestWeights: best,
    sinceBest: meta.sinceBest,
    ...(meta.optim ? { optim: meta.optim } : {}),
  };
}
