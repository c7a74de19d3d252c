// `train --engine torch`: the training loop runs in PyTorch (one process, or N with torchrun and
// DistributedDataParallel), everything around it stays the tfjs engine's. The model is built and
// initialised by the tfjs builder (same seed, same initial weights), exported with the PyTorch
// target, trained by the package's train.py on the rows the TypeScript pipeline already encoded
// (same split, same features, same labels and masks), and its trained weights come back into a
// tfjs model, which is then evaluated, reported and saved exactly as after a tfjs run.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { serializeModel } from '../../compiler/build/save.js';
import type { ModelIR } from '../../compiler/ir.js';
import type { Tf } from '../../engine/backend.js';
import type { ModelData } from '../../train/dataset.js';
import type { EpochRow, TrainResult } from '../../train/loop.js';
import { torchPackage } from './export.js';
import { findTorchPython, freePort, torchrunArgs } from './python.js';

export class TorchEngineError extends Error {
  override name = 'TorchEngineError';
}

export interface TorchTrainArgs {
  tf: Tf;
  ir: ModelIR;
  model: tfType.LayersModel;
  /** pipeline.json and spec.json contents (carried into the package). */
  pipelineJson: string;
  specJson: string;
  train: ModelData;
  validation: ModelData;
  /** Interpreter (default: the first python3 that imports torch; see python.ts). */
  python?: string;
  /** Processes (torchrun, one machine, a free rendezvous port); default 1. */
  processes?: number;
  /** torch threads per process; default 1. */
  threads?: number;
  log?: (line: string) => void;
  onEpoch?: (row: EpochRow) => void;
}

/** ModelData -> encoded.json + one little-endian file per array (read by train.py --encoded). */
export function writeEncoded(dir: string, data: ModelData): void {
  mkdirSync(dir, { recursive: true });
  const meta: {
    n: number;
    inputs: Record<string, unknown>;
    labels: Record<string, unknown>;
    masks: Record<string, unknown>;
  } = { n: data.n, inputs: {}, labels: {}, masks: {} };
  let k = 0;
  const put = (
    section: 'inputs' | 'labels' | 'masks',
    name: string,
    dtype: 'int32' | 'float32',
    width: number,
    a: Float32Array | Int32Array,
  ) => {
    const file = `${section}-${k++}.bin`;
    writeFileSync(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    meta[section][name] = { dtype, width, file };
  };
  for (const [name, col] of data.inputs) put('inputs', name, col.dtype, col.width, col.data);
  for (const [name, a] of data.labels) put('labels', name, 'float32', 1, a);
  for (const [name, a] of data.masks) put('masks', name, 'float32', 1, a);
  writeFileSync(join(dir, 'encoded.json'), JSON.stringify(meta));
}

function run(
  cmd: string,
  args: string[],
  log: (l: string) => void,
  onLine: (l: string) => void,
): Promise<{ code: number; lastErr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastErr = '';
    let outBuf = '';
    let errBuf = '';
    const lines = (buf: string, chunk: string, each: (l: string) => void): string => {
      const all = buf + chunk;
      const parts = all.split('\n');
      for (const l of parts.slice(0, -1)) if (l.trim()) each(l);
      return parts[parts.length - 1];
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => (outBuf = lines(outBuf, c, onLine)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      errBuf = lines(errBuf, c, (l) => {
        lastErr = l;
        log(l);
      });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (outBuf.trim()) onLine(outBuf);
      if (errBuf.trim()) {
        lastErr = errBuf;
        log(errBuf);
      }
      resolve({ code: code ?? 1, lastErr });
    });
  });
}

/** Train in PyTorch; returns the history, with the trained weights set into the tfjs model. */
export async function trainWithTorch(
  a: TorchTrainArgs,
): Promise<TrainResult & { model: tfType.LayersModel; python: string; torchVersion: string }> {
  const log = a.log ?? (() => {});
  const found = findTorchPython(a.python);
  if (!found.python) throw new TorchEngineError(`--engine torch: ${found.reason}`);
  const root = mkdtempSync(join(tmpdir(), 'mmoe-torch-'));
  try {
    const s = await serializeModel(a.tf, a.model);
    const folder = join(root, 'model');
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.json'), s.modelJson);
    writeFileSync(join(folder, 'weights.bin'), s.weightsBin);
    writeFileSync(join(folder, 'ir.json'), JSON.stringify(a.ir));
    writeFileSync(join(folder, 'pipeline.json'), a.pipelineJson);
    writeFileSync(join(folder, 'spec.json'), a.specJson);
    const pkg = join(root, 'package');
    mkdirSync(pkg);
    for (const [rel, content] of torchPackage(folder).files) writeFileSync(join(pkg, rel), content);
    writeEncoded(join(root, 'train'), a.train);
    writeEncoded(join(root, 'validation'), a.validation);
    const out = join(root, 'out');
    const script = [
      join(pkg, 'train.py'),
      '--encoded',
      join(root, 'train'),
      '--validation',
      join(root, 'validation'),
      '--out',
      out,
      '--log-json',
      '--threads',
      String(a.threads ?? 1),
    ];
    const processes = a.processes ?? 1;
    const args = processes > 1 ? [...torchrunArgs(processes, await freePort()), ...script] : script;
    log(
      `engine: torch (${found.reason}), ${processes} process${processes === 1 ? '' : 'es'}, ${a.threads ?? 1} thread${(a.threads ?? 1) === 1 ? '' : 's'} each`,
    );
    const history: EpochRow[] = [];
    const r = await run(found.python, args, log, (line) => {
      // torchrun with --tee prefixes rank output ("[default0]:"); only rank 0 prints epochs.
      const json = line.replace(/^\[[^\]]*\]:/, '');
      if (!json.startsWith('{')) return;
      const row = JSON.parse(json) as EpochRow;
      history.push(row);
      a.onEpoch?.(row);
    });
    if (r.code !== 0)
      throw new TorchEngineError(
        `--engine torch: train.py failed (exit ${r.code}): ${r.lastErr.replace(/^train\.py: /, '')}`,
      );
    const record = JSON.parse(readFileSync(join(out, 'run-record.json'), 'utf8')) as {
      bestEpoch: number;
      stoppedEarly: boolean;
      torch: string;
    };
    // The trained weights into the same model object (its model.json stays byte-identical).
    const specs = (JSON.parse(s.modelJson) as { weightsManifest: { weights: tfType.io.WeightsManifestEntry[] }[] })
      .weightsManifest[0].weights;
    const bytes = readFileSync(join(out, 'weights.bin'));
    const named = a.tf.io.decodeWeights(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      specs,
    );
    const values = a.model.weights.map((w) => {
      const t = named[w.originalName];
      if (!t) throw new TorchEngineError(`--engine torch: the trained weights lack ${w.originalName}`);
      return t;
    });
    a.model.setWeights(values);
    a.tf.dispose(Object.values(named));
    return {
      history,
      bestEpoch: record.bestEpoch,
      stoppedEarly: record.stoppedEarly,
      model: a.model,
      python: found.python,
      torchVersion: record.torch,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
