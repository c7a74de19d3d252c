// `train` end to end: checked spec -> prepared data -> model -> training loop (progress on
// stderr, per-epoch table, checkpoints) -> test metrics and gate diagnostics -> artifacts.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { writeArtifactsAtomic } from '../util/atomic-write.js';
import { stableJson } from '../util/stable-json.js';
import { buildModel, serializeModel } from '../compiler/build/index.js';
import { packageVersions, specHash } from '../util/run-record.js';
import { checkSpec, type FrontOptions } from '../compiler/front.js';
import type { ModelIR } from '../compiler/ir.js';
import { DataError } from '../data/errors.js';
import { deriveSeed, Rng } from '../data/random.js';
import { initBackend, type BackendPreference } from '../engine/backend.js';
import { describeKernels } from '../engine/kernels-info.js';
import { gitState } from '../util/provenance.js';
import type { Diagnostic } from '../util/diagnostics.js';
import { locate } from '../schema/source.js';
import type { Spec } from '../schema/spec-schema.js';
import { checkFolderTarget } from '../util/safe-output.js';
import { checkpointDir, loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { evaluateModel, type TaskReport } from '../train/evaluate.js';
import { gateDiagnostics, type GateDiagnostics } from '../train/gates.js';
import { createOptimizer, trainModel, TrainingDiverged, type EpochRow } from '../train/loop.js';
import { TraceRecorder, type TrainTrace } from '../train/trace.js';
import { prepare } from './prepare.js';
import { warmupProblem } from '../train/schedule.js';
import { ProgressBar, type ProgressSink } from '../train/progress.js';
import { renderEpochRow, renderReport } from './train-report.js';

export interface TrainRunOptions extends FrontOptions {
  backend?: BackendPreference;
  /** Where the training loop runs: tfjs (default) or PyTorch (the exported package's train.py). */
  engine?: 'tfjs' | 'torch';
  torch?: { python?: string; processes?: number; threads?: number };
  outDir?: string;
  resume?: boolean;
  /** Progress and tables (stderr). */
  log?: (line: string) => void;
  progress?: ProgressSink;
  /** Record a training trace (loss per window of steps, gate entropies per epoch) and the final
   * metrics on the training rows: for studies (the experiment runner); tfjs engine only. */
  trace?: boolean;
}

export interface TrainReport {
  name: string;
  family: string;
  backend: string;
  seed: number;
  epochs: EpochRow[];
  bestEpoch: number;
  stoppedEarly: boolean;
  test: TaskReport[];
  gates: GateDiagnostics;
  /** Set when the training loop ran elsewhere than tfjs, e.g. "engine torch 1.13.0 (/usr/bin/python3)". */
  engine?: string;
  trainSeconds: number;
  examplesPerSecond: number;
  notes: string[];
  /** With `trace`: metrics of the kept weights on the training rows, and the training trace. */
  trainMetrics?: TaskReport[];
  trace?: TrainTrace;
}

export type TrainOutcome =
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string>; message?: string }
  | { ok: true; diagnostics: Diagnostic[]; outDir: string; report: TrainReport; text: string; ir: ModelIR };

/**
 * What a checkpoint must match to be resumed: the validated spec (defaults filled, --set applied)
 * except training.epochs, so that a run can be continued to more epochs (`--resume --set
 * training.epochs=30`). Formatting and comments of the spec file do not matter.
 */
export function resumeKey(spec: Spec): string {
  const { epochs: _e, ...training } = spec.training;
  return createHash('sha256')
    .update(stableJson({ ...spec, training }))
    .digest('hex')
    .slice(0, 16);
}

export async function runTraining(path: string, opts: TrainRunOptions = {}): Promise<TrainOutcome> {
  try {
    return await run(path, opts);
  } catch (e) {
    // bad rows, missing columns, a missing value under policy error: one line naming the place
    if (e instanceof DataError) return { ok: false, diagnostics: [], sources: new Map(), message: e.message };
    throw e;
  }
}

async function run(path: string, opts: TrainRunOptions): Promise<TrainOutcome> {
  const log = opts.log ?? (() => {});
  const checked = checkSpec(path, opts);
  if (!checked.spec || !checked.ir)
    return { ok: false, diagnostics: checked.diagnostics, sources: checked.loaded.sources };
  const spec = checked.spec;
  const outDir = opts.outDir ?? join('out', checked.name);
  // refused before any work: a training run must not end by failing to write its output
  checkFolderTarget(resolve(outDir));
  checkFolderTarget(resolve(checkpointDir(outDir)));
  const hash = specHash(checked.loaded.sources) + (opts.sets?.length ? `+${opts.sets.join(',')}` : '');
  log(`${checked.loaded.file}: ${checked.ir.family.label}`);
  let prepared;
  try {
    prepared = await prepare(spec, checked.loaded.absPath, checked.name, { policy: checked.loaded.policy });
  } catch (e) {
    // a problem with a spec setting given this data (an empty split, a constant label): located
    if (!(e instanceof DataError) || !e.at) throw e;
    const where = locate(checked.loaded.locs, e.at.path)?.value ?? { file: checked.loaded.file, line: 1, column: 1 };
    return {
      ok: false,
      diagnostics: [{ ...where, severity: 'error', code: e.at.code, message: e.message, path: e.at.path }],
      sources: checked.loaded.sources,
    };
  }
  for (const n of prepared.notes) log(n);
  log(`rows: ${prepared.train.n} train, ${prepared.validation.n} validation, ${prepared.test.n} test`);
  // the warmup against the real step count (validate can only bound it: rules/lr-schedule.ts)
  const n = prepared.train.n;
  const warmup = n > 0 ? warmupProblem(spec.training, Math.ceil(n / Math.min(spec.training.batchSize, n))) : undefined;
  if (warmup) {
    const path = '/training/learningRateSchedule/warmupSteps';
    const where = locate(checked.loaded.locs, path)?.value ?? { file: checked.loaded.file, line: 1, column: 1 };
    return {
      ok: false,
      diagnostics: [{ ...where, severity: 'error', code: 'lr-schedule', message: warmup, path }],
      sources: checked.loaded.sources,
    };
  }
  const { tf, backend } = await initBackend(opts.backend ?? 'auto');
  log(`backend: ${backend}`);
  const { ir } = prepared;
  let model = buildModel(ir, tf, { seed: spec.training.seed });
  if (opts.engine === 'torch' && opts.resume) {
    model.dispose();
    return {
      ok: false,
      diagnostics: [],
      sources: new Map(),
      message: '--resume is not supported with --engine torch (train.py keeps no checkpoints)',
    };
  }
  const optimizer = createOptimizer(tf, spec.training);
  const ckpt = checkpointDir(outDir);
  const key = resumeKey(spec);
  let resume;
  try {
    resume = opts.resume ? await loadCheckpoint(tf, ckpt, model, optimizer, key) : undefined;
  } catch (e) {
    model.dispose();
    optimizer.dispose();
    throw e;
  }
  if (opts.resume)
    log(
      resume ? `resuming after epoch ${resume.epoch} from ${ckpt}` : `no checkpoint in ${ckpt}: starting from epoch 1`,
    );
  let bar: ProgressBar | undefined;
  const sink = opts.progress;
  const t0 = performance.now();
  let result;
  let engineNote: string | undefined;
  const stepsPerEpoch = Math.ceil(prepared.train.n / Math.max(1, Math.min(spec.training.batchSize, prepared.train.n)));
  const tracer =
    opts.trace && opts.engine !== 'torch' && prepared.train.n > 0
      ? new TraceRecorder(spec.training.epochs * stepsPerEpoch, stepsPerEpoch)
      : undefined;
  const probe = prepared.validation.n > 0 ? prepared.validation : prepared.train;
  if (tracer && !resume) await tracer.gates(tf, ir, model, probe, 0);
  try {
    if (opts.engine === 'torch') {
      const { trainWithTorch } = await import('../export/torch/engine.js');
      const r = await trainWithTorch({
        tf,
        ir,
        model,
        pipelineJson: stableJson(prepared.pipeline.toJSON()),
        specJson: stableJson(spec),
        train: prepared.train,
        validation: prepared.validation,
        ...opts.torch,
        log,
        onEpoch: (row) => log(renderEpochRow(row, spec.training.earlyStopping)),
      });
      model = r.model;
      engineNote = `engine torch ${r.torchVersion} (${r.python})`;
      result = r;
    } else
      result = await trainModel({
        tf,
        ir,
        model,
        train: prepared.train,
        validation: prepared.validation,
        training: spec.training,
        optimizer,
        randomForEpoch: (e) => {
          const rng = new Rng(deriveSeed(spec.training.seed, `epoch:${e}`));
          return () => rng.uniform();
        },
        ...(resume ? { resume } : {}),
        hooks: {
          onBatch: ({ epoch, batch, batches, loss }) => {
            tracer?.batch(epoch, batch, loss);
            if (!sink) return;
            if (batch === 1) bar = new ProgressBar(sink, `epoch ${epoch}/${spec.training.epochs}`);
            bar!.update(batch, batches, `loss ${loss.toFixed(4)}`);
          },
          onEpoch: (row) => log(renderEpochRow(row, spec.training.earlyStopping)),
          onCheckpoint: async (state) => {
            await saveCheckpoint(ckpt, model, optimizer, state, key);
            await tracer?.gates(tf, ir, model, probe, state.epoch);
          },
        },
      });
  } catch (e) {
    if (e instanceof Error && e.name === 'TorchEngineError') {
      return { ok: false, diagnostics: [], sources: new Map(), message: `${checked.loaded.file}: ${e.message}` };
    }
    if (e instanceof TrainingDiverged) {
      model.dispose();
      return {
        ok: false,
        diagnostics: [],
        sources: new Map(),
        message: `${checked.loaded.file}: ${e.message}; checkpoint: ${ckpt}`,
      };
    }
    throw e;
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const test = await evaluateModel(tf, ir, model, prepared.test);
  const gates = await gateDiagnostics(tf, ir, model, prepared.test);
  const ran = result.history.slice(resume?.history.length ?? 0);
  const examples = ran.length * prepared.train.n;
  const ranSeconds = ran.reduce((s, r) => s + r.seconds, 0);
  const report: TrainReport = {
    name: checked.name,
    family: ir.family.label,
    backend,
    seed: spec.training.seed,
    epochs: result.history,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    test,
    gates,
    trainSeconds,
    examplesPerSecond: ranSeconds > 0 ? examples / ranSeconds : 0,
    notes: prepared.notes,
    ...(engineNote ? { engine: engineNote } : {}),
    ...(tracer ? { trainMetrics: await evaluateModel(tf, ir, model, prepared.train), trace: tracer.trace } : {}),
  };
  const text = renderReport(report);
  const serialized = await serializeModel(tf, model);
  model.dispose();
  optimizer.dispose();
  const { trainSeconds: _t, examplesPerSecond: _e, epochs, trainMetrics: _m, trace: _r, ...stable } = report;
  writeArtifactsAtomic(
    outDir,
    new Map<string, string | Uint8Array>([
      ['model.json', serialized.modelJson],
      ['weights.bin', serialized.weightsBin],
      ['pipeline.json', stableJson(prepared.pipeline.toJSON())],
      ['ir.json', stableJson(ir)],
      ['spec.json', stableJson(spec)],
      // metrics.json holds only what the seed determines; timings go to the run record
      [
        'metrics.json',
        stableJson({ ...stable, epochs: epochs.map(({ seconds: _s, examplesPerSecond: _x, ...r }) => r) }),
      ],
      ['report.txt', text],
      [
        'run-record.json',
        stableJson({
          createdAt: new Date().toISOString(),
          spec: checked.loaded.file,
          specHash: hash,
          sets: opts.sets ?? [],
          seed: spec.training.seed,
          backend,
          versions: packageVersions(),
          git: gitState(),
          kernels: await describeKernels(tf, backend),
          trainSeconds,
          examplesPerSecond: report.examplesPerSecond,
          epochSeconds: epochs.map((r) => r.seconds),
        }),
      ],
    ]),
  );
  return { ok: true, diagnostics: checked.diagnostics, outDir, report, text, ir };
}
