// The time an experiment is expected to take, printed before it starts: from the records its
// folder already holds (a fresh clone has the committed ones), per run when the run was recorded
// before (even under another key), else from the recorded time per Adam step of the same model
// times the run's steps (synthetic data: rows and epochs are known before training).
import type { PlannedRun } from './plan.js';
import { readRecord, type RunRecord } from './record.js';

/** Adam steps of a run on synthetic data (rows known up front); undefined for files. */
export function plannedSteps(run: PlannedRun): number | undefined {
  const { data, training } = run.spec;
  if (data.source !== 'synthetic') return undefined;
  const train = Math.max(1, Math.round(data.rows * (1 - training.validationFraction)));
  return training.epochs * Math.ceil(train / Math.min(training.batchSize, train));
}

export interface TimeEstimate {
  /** Summed wall seconds of the runs that have an estimate. */
  seconds: number;
  estimated: number;
  /** Runs with nothing to estimate from (no record of the same model). */
  unknown: number;
}

export function estimateRuns(out: string, all: readonly PlannedRun[], runs: readonly PlannedRun[]): TimeEstimate {
  const recorded = new Map<string, RunRecord>();
  for (const r of all) {
    const rec = readRecord(out, r.id);
    if (rec && Number.isFinite(rec.wallSeconds)) recorded.set(r.id, rec);
  }
  // seconds per step and per run, by model label
  const perStep = new Map<string, number[]>();
  const perRun = new Map<string, number[]>();
  for (const r of all) {
    const rec = recorded.get(r.id);
    if (!rec) continue;
    const steps = plannedSteps(r);
    if (steps) perStep.set(r.label, [...(perStep.get(r.label) ?? []), rec.wallSeconds / steps]);
    perRun.set(r.label, [...(perRun.get(r.label) ?? []), rec.wallSeconds]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  let seconds = 0;
  let estimated = 0;
  for (const r of runs) {
    const steps = plannedSteps(r);
    const s =
      recorded.get(r.id)?.wallSeconds ??
      (steps && perStep.has(r.label) ? median(perStep.get(r.label)!) * steps : undefined) ??
      (perRun.has(r.label) ? median(perRun.get(r.label)!) : undefined);
    if (s === undefined) continue;
    seconds += s;
    estimated++;
  }
  return { seconds, estimated, unknown: runs.length - estimated };
}

const minutes = (s: number) => (s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

/** One line for the log: "expected: about 62 CPU-min for 60 runs (31 min on 2 slots), ...". */
export function renderEstimate(e: TimeEstimate, runs: number, slots: number, finished: number): string {
  if (runs === 0)
    return `expected: nothing to train (all ${finished} runs finished); reports are rebuilt from the records`;
  if (e.estimated === 0) return `expected: unknown (no earlier record of these models in this folder)`;
  const part = e.unknown ? ` (${e.unknown} of ${runs} runs have no estimate)` : '';
  return `expected: about ${minutes(e.seconds)} of run time for ${runs} runs, ${minutes(e.seconds / slots)} on ${slots} slot${slots === 1 ? '' : 's'}, at the speed the earlier records of this folder were made${part}`;
}
