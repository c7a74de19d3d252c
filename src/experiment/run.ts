// `mmoe-compile experiment`: plan every run, skip the finished ones (same key in records/), run
// the rest on a pool of slots (worker threads, child processes, or this process), write each
// run's record as it ends, then rebuild results.csv, results.md and the plots from all records.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVersions } from '../util/run-record.js';
import { gitState } from '../util/provenance.js';
import type { KernelsInfo } from '../engine/kernels-info.js';
import { loadSpecData } from '../data/spec-data.js';
import { labelCorrelation } from '../data/synthetic-mmoe.js';
import type { Experiment } from './definition.js';
import { estimateRuns, renderEstimate } from './estimate.js';
import { createRunner } from './executors.js';
import type { JobResult } from './job.js';
import { planExperiment, type Plan, type PlannedRun } from './plan.js';
import { finalStrip, gateEntropyCurves, lossCurvesByKind } from './compare-plots.js';
import { taskWeightCurves } from './plots.js';
import { svgToPng } from './png.js';
import { readFinished, readRecord, writeRecord, type RunRecord } from './record.js';
import { renderCsv } from './results-csv.js';
import { renderMarkdown } from './results-md.js';
import { renderTrainability } from './results-trainability.js';
import { defaultMetric, resultView } from './results.js';
import { claimOwnedFolder } from '../util/safe-output.js';

export interface ExperimentRunOptions {
  /** Progress lines (stderr). */
  log?: (line: string) => void;
  /** Plan and report what would run; train nothing. */
  dryRun?: boolean;
  /** Run again even when a finished record exists. */
  rerun?: boolean;
  /** Train nothing: rebuild the reports from the records found under each run's id, whatever their key. */
  reportOnly?: boolean;
  /** Skip PNG rendering (SVG only). */
  png?: boolean;
}

export interface ExperimentOutcome {
  plan: Plan;
  /** Runs trained by this invocation, and runs found finished. */
  ran: string[];
  skipped: string[];
  failed: { id: string; message: string }[];
  records: RunRecord[];
  files: string[];
  wallSeconds: number;
  notes: string[];
}

const clock = (s: number) =>
  s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;

/** Pearson correlation of the first two labelled tasks on the training rows of synthetic data. */
export async function measuredLabelCorrelation(run: PlannedRun): Promise<number | undefined> {
  const spec = run.spec;
  const labels = spec.tasks.map((t) => t.label).filter((l): l is string => l !== undefined);
  if (spec.data.source !== 'synthetic' || labels.length < 2) return undefined;
  const data = await loadSpecData(spec, run.specPath);
  const r = labelCorrelation(data.train, labels[0], labels[1]);
  return Number.isFinite(r) ? r : undefined;
}

export async function runExperiment(exp: Experiment, opts: ExperimentRunOptions = {}): Promise<ExperimentOutcome> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const plan = planExperiment(exp);
  const out = exp.options.out;
  const finished = new Map<string, RunRecord>();
  const todo: PlannedRun[] = [];
  for (const run of plan.runs) {
    const r = opts.rerun ? undefined : readFinished(out, run);
    if (r) finished.set(run.id, r);
    else todo.push(run);
  }
  // inline runs share this thread's tfjs: one at a time
  const slots = exp.options.executor === 'inline' ? 1 : Math.max(1, Math.min(exp.options.jobs, todo.length));
  log(
    `experiment ${exp.name}: ${plan.runs.length} runs (${plan.labels.length} specs × ${plan.cells.length} cells × ${exp.seeds.length} seeds); ` +
      `${finished.size} finished before, ${todo.length} to run${todo.length ? ` on ${slots} ${exp.options.executor === 'inline' ? 'inline slot' : `${exp.options.executor} slot`}${slots === 1 ? '' : 's'}` : ''}`,
  );
  if (opts.reportOnly) return reportOnly(exp, plan, opts, t0);
  log(renderEstimate(estimateRuns(out, plan.runs, todo), todo.length, slots, finished.size));
  if (!todo.length && plan.runs.length) {
    const all = estimateRuns(out, plan.runs, plan.runs);
    if (all.estimated)
      log(`(--rerun would train all ${plan.runs.length}: about ${Math.round(all.seconds / 60)} min of run time)`);
  }
  const outcome: ExperimentOutcome = {
    plan,
    ran: [],
    skipped: [...finished.keys()],
    failed: [],
    records: [],
    files: [],
    wallSeconds: 0,
    notes: [],
  };
  if (opts.dryRun) {
    for (const run of plan.runs) log(`  ${finished.has(run.id) ? 'done' : 'todo'}  ${run.id}  (key ${run.key})`);
    outcome.wallSeconds = (performance.now() - t0) / 1000;
    return outcome;
  }

  // The results folder is usually the experiment file's own folder: the tool writes only the
  // names it owns there (results, plots, records/, logs/, models/), never over a file it did not write.
  const owned = claimOwnedFolder(out, 'experiment');
  owned.folder('records');
  owned.folder('logs');
  const scratch = exp.options.keepModels ? owned.folder('models') : mkdtempSync(join(tmpdir(), 'mmoe-experiment-'));
  const versions = packageVersions();
  const git = gitState();
  const runner = createRunner(exp.options.executor, slots);
  // seed-major order: an interrupted study still has every model for the seeds it finished
  const order = (r: PlannedRun) => [
    exp.seeds.indexOf(r.seed),
    plan.cells.indexOf(r.cell),
    plan.labels.indexOf(r.label),
  ];
  const queue = [...todo].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  let done = 0;
  const wallPerRun: number[] = [];
  const runOne = async (slot: number, run: PlannedRun) => {
    const started = performance.now();
    const modelDir = join(scratch, run.id);
    let result: JobResult;
    try {
      const correlation = await measuredLabelCorrelation(run);
      result = await runner.run(slot, {
        id: run.id,
        specPath: run.specPath,
        sets: run.sets,
        read: exp.read,
        backend: exp.options.backend,
        outDir: modelDir,
        logFile: join(out, 'logs', `${run.id}.log`),
      });
      const wallSeconds = (performance.now() - started) / 1000;
      const record: RunRecord = {
        recordVersion: 1,
        id: run.id,
        key: run.key,
        spec: run.specFile,
        specHash: run.specHash,
        label: run.label,
        family: run.family,
        params: run.params,
        cell: run.cell,
        overrides: Object.fromEntries(run.overrides),
        seed: run.seed,
        sets: run.sets,
        tasks: run.tasks,
        backend: result.backend,
        executor: exp.options.executor,
        versions,
        git,
        kernels: kernelsOf(modelDir),
        createdAt: new Date().toISOString(),
        trainSeconds: result.trainSeconds,
        wallSeconds,
        examplesPerSecond: result.examplesPerSecond,
        epochs: result.epochs,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        test: result.test,
        ...(result.train ? { train: result.train } : {}),
        ...(result.trace ? { trace: result.trace } : {}),
        ...(correlation !== undefined ? { labelCorrelation: correlation } : {}),
      };
      writeRecord(out, record);
      finished.set(run.id, record);
      outcome.ran.push(run.id);
      wallPerRun.push(wallSeconds);
      done++;
      const metrics = run.tasks.map((t) => {
        const m = result.test[t.name] ?? {};
        const k = defaultMetric(t);
        return `${t.name} ${k} ${m[k]?.toFixed(4) ?? '–'}`;
      });
      const elapsed = (performance.now() - t0) / 1000;
      const avg = wallPerRun.reduce((s, x) => s + x, 0) / wallPerRun.length;
      const left = ((todo.length - done - outcome.failed.length) * avg) / slots;
      log(
        `[${String(done + outcome.failed.length).padStart(String(todo.length).length)}/${todo.length}] ${run.id}: ${metrics.join(', ')}; ${result.epochs.length} epochs in ${wallSeconds.toFixed(1)} s (elapsed ${clock(elapsed)}, about ${clock(left)} left)`,
      );
    } catch (e) {
      const message = (e as Error).message;
      outcome.failed.push({ id: run.id, message });
      log(
        `[${String(done + outcome.failed.length).padStart(String(todo.length).length)}/${todo.length}] ${run.id}: FAILED: ${message.split('\n')[0]} (log: ${join(out, 'logs', `${run.id}.log`)})`,
      );
    } finally {
      if (!exp.options.keepModels) {
        rmSync(modelDir, { recursive: true, force: true });
        rmSync(`${modelDir}.checkpoint`, { recursive: true, force: true });
      }
    }
  };
  try {
    await Promise.all(
      Array.from({ length: slots }, async (_, slot) => {
        for (let run = queue.shift(); run; run = queue.shift()) await runOne(slot, run);
      }),
    );
  } finally {
    await runner.close();
    if (!exp.options.keepModels) rmSync(scratch, { recursive: true, force: true });
  }

  outcome.records = plan.runs.map((r) => finished.get(r.id)).filter((r): r is RunRecord => r !== undefined);
  outcome.wallSeconds = (performance.now() - t0) / 1000;
  outcome.files = await writeReports(exp, plan, outcome.records, { png: opts.png ?? true, notes: outcome.notes });
  log(`wrote ${outcome.files.map((f) => join(out, f)).join(', ')}`);
  for (const n of outcome.notes) log(n);
  return outcome;
}

/** `--report-only`: the reports from the records present, matched by run id; stale keys are counted, not hidden. */
async function reportOnly(
  exp: Experiment,
  plan: Plan,
  opts: ExperimentRunOptions,
  t0: number,
): Promise<ExperimentOutcome> {
  const log = opts.log ?? (() => {});
  const records: RunRecord[] = [];
  let stale = 0;
  for (const run of plan.runs) {
    const r = readRecord(exp.options.out, run.id);
    if (!r) continue;
    records.push(r);
    if (r.key !== run.key) stale++;
  }
  const missing = plan.runs.length - records.length;
  log(
    `report only: ${records.length} of ${plan.runs.length} records found${missing ? ` (${missing} runs missing)` : ''}` +
      (stale
        ? `; ${stale} were made from a spec that has changed since (their key differs): run without --report-only to train them again`
        : ''),
  );
  const notes: string[] = [];
  const files = await writeReports(exp, plan, records, { png: opts.png ?? true, notes });
  for (const n of notes) log(n);
  log(`wrote ${files.map((f) => join(exp.options.out, f)).join(', ')}`);
  return {
    plan,
    ran: [],
    skipped: records.map((r) => r.id),
    failed: [],
    records,
    files,
    wallSeconds: (performance.now() - t0) / 1000,
    notes,
  };
}

/** Rebuild results.csv, results.md and the plots from the records (no training). */
export async function writeReports(
  exp: Experiment,
  plan: Plan,
  records: RunRecord[],
  o: { png: boolean; notes: string[] },
): Promise<string[]> {
  const owned = claimOwnedFolder(exp.options.out, 'experiment');
  const view = resultView(exp, plan, records);
  const files = new Map<string, string | Uint8Array>();
  files.set('results.csv', renderCsv(exp, records));
  const metric = view.metrics[0];
  const figures = new Map<string, string>([['loss-curves', lossCurvesByKind(view, exp.name)]]);
  figures.set(`final-${metric}-strip`, finalStrip(view, exp.name, metric, 'test'));
  if (records.some((r) => r.train))
    figures.set(`final-train-${metric}-strip`, finalStrip(view, exp.name, metric, 'train'));
  const gates = gateEntropyCurves(view, exp.name);
  if (gates) figures.set('gate-entropy', gates);
  const weights = taskWeightCurves(view, exp.name);
  if (weights) figures.set('task-weights', weights);
  for (const [name, svg] of figures) {
    files.set(`${name}.svg`, svg);
    if (o.png) {
      const png = await svgToPng(svg);
      if (png instanceof Uint8Array) files.set(`${name}.png`, png);
      else if (!o.notes.includes(png.skipped)) o.notes.push(png.skipped);
    }
  }
  const names = ['results.md', ...files.keys()];
  const md = renderMarkdown(exp, view, { files: names.filter((f) => f !== 'results.md') });
  const trainability = renderTrainability(exp, view);
  // the trainability section goes before the timing table
  files.set('results.md', trainability ? md.replace('\n## Timing\n', `\n${trainability}\n## Timing\n`) : md);
  for (const [name, content] of files) owned.write(name, content);
  return names;
}

/** What selected the kernels of a run, from the run-record.json its training wrote (any executor). */
function kernelsOf(modelDir: string): KernelsInfo | null {
  try {
    return (
      (JSON.parse(readFileSync(join(modelDir, 'run-record.json'), 'utf8')) as { kernels?: KernelsInfo }).kernels ?? null
    );
  } catch {
    return null;
  }
}
