// The reproducibility record of one finished run, written to <out>/records/<run id>.json as soon
// as the run ends. It holds everything the results are made from (so reports are rebuilt without
// training) and everything needed to repeat the run: spec file, resolved-spec hash, overrides,
// seed, backend and package versions, the git commit (and dirty flag) of the code, and what
// selected the kernels (docs/reproducibility.md). A run whose record has the same key is not run again.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stableJson } from '../util/stable-json.js';
import type { GitState } from '../util/provenance.js';
import type { KernelsInfo } from '../engine/kernels-info.js';
import type { Scalar } from './definition.js';
import type { JobEpoch, JobResult } from './job.js';
import type { PlannedRun, PlannedTask } from './plan.js';

export const RECORD_VERSION = 1;

export interface RunRecord {
  recordVersion: number;
  id: string;
  key: string;
  spec: string;
  specHash: string;
  label: string;
  family: string;
  params: number;
  cell: string;
  overrides: Record<string, Scalar>;
  seed: number;
  sets: string[];
  tasks: PlannedTask[];
  backend: string;
  executor: string;
  versions: Record<string, string>;
  /** The mmoe-compile checkout's commit and dirty flag (null: unknown); absent in older records. */
  git?: GitState;
  /** Backend, tfjs version, wasm binary / SIMD / threads, Node, CPU (null: not read); absent in older records. */
  kernels?: KernelsInfo | null;
  createdAt: string;
  /** Training time (the loop), the whole job (data, build, evaluation, files), throughput. */
  trainSeconds: number;
  wallSeconds: number;
  examplesPerSecond: number;
  epochs: JobEpoch[];
  bestEpoch: number;
  stoppedEarly: boolean;
  test: Record<string, Record<string, number>>;
  /** Metrics per task on the training rows, and the training trace (loss per window of steps,
   * gate entropies per epoch): thread and inline executors; absent in older records. */
  train?: Record<string, Record<string, number>>;
  trace?: JobResult['trace'];
  /** Pearson correlation of the first two tasks' labels on the training rows (synthetic data). */
  labelCorrelation?: number;
}

export const recordPath = (out: string, id: string) => join(out, 'records', `${id}.json`);

/** The finished record of a planned run, if one with the same key exists. */
export function readFinished(out: string, run: PlannedRun): RunRecord | undefined {
  const p = recordPath(out, run.id);
  if (!existsSync(p)) return undefined;
  try {
    const r = JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
    return r.recordVersion === RECORD_VERSION && r.key === run.key ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The record stored under a run id, whatever its key (reports rebuilt without training). */
export function readRecord(out: string, id: string): RunRecord | undefined {
  const p = recordPath(out, id);
  if (!existsSync(p)) return undefined;
  try {
    const r = JSON.parse(readFileSync(p, 'utf8')) as RunRecord;
    return r.recordVersion === RECORD_VERSION ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed: an interrupted write never leaves half a record. */
export function writeRecord(out: string, r: RunRecord): void {
  const p = recordPath(out, r.id);
  mkdirSync(dirname(p), { recursive: true });
  const tmp = `${p}.tmp-${process.pid}`;
  writeFileSync(tmp, stableJson(r));
  renameSync(tmp, p);
}
