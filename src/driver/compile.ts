// The build step, end to end: checked spec -> data -> fitted feature pipeline -> IR with fitted
// sizes -> tfjs model (initialised from training.seed) -> artifacts, written atomically.
// Everything in the output folder except run-record.json is a pure function of the spec and
// its seed: the same inputs give byte-identical files.
import { join, resolve } from 'node:path';
import { checkFolderTarget } from '../util/safe-output.js';
import { initBackend, type BackendPreference } from '../engine/backend.js';
import { describeKernels } from '../engine/kernels-info.js';
import { gitState } from '../util/provenance.js';
import type { Diagnostic } from '../util/diagnostics.js';
import { prepare } from './prepare.js';
import { writeArtifactsAtomic } from '../util/atomic-write.js';
import { packageVersions, specHash } from '../util/run-record.js';
import { stableJson } from '../util/stable-json.js';
import { buildModel, serializeModel } from '../compiler/build/index.js';
import { checkSpec, type FrontOptions } from '../compiler/front.js';
import { renderSvg, toDot, toMermaid } from '../compiler/graph.js';
import { renderSummaryJson, renderSummaryText, summarize, type ModelSummary } from '../compiler/summary.js';

export interface CompileOptions extends FrontOptions {
  backend?: BackendPreference;
  /** Output folder; default out/<spec name>. */
  outDir?: string;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

export type CompileOutcome =
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> }
  | {
      ok: true;
      diagnostics: Diagnostic[];
      name: string;
      outDir: string;
      backend: string;
      files: string[];
      summary: ModelSummary;
      summaryText: string;
      seconds: number;
    };

export async function compileSpec(path: string, opts: CompileOptions = {}): Promise<CompileOutcome> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const checked = checkSpec(path, opts);
  if (!checked.spec || !checked.ir)
    return { ok: false, diagnostics: checked.diagnostics, sources: checked.loaded.sources };
  const spec = checked.spec;
  const outDir = opts.outDir ?? join('out', checked.name);
  checkFolderTarget(resolve(outDir)); // refused before any work
  log(`${checked.loaded.file}: ${checked.ir.family.label}`);
  const prepared = await prepare(spec, checked.loaded.absPath, checked.name, {
    fitOnly: true,
    policy: checked.loaded.policy,
  });
  for (const n of prepared.notes) log(n);
  const { tf, backend } = await initBackend(opts.backend ?? 'auto');
  log(`backend: ${backend}`);
  const model = buildModel(prepared.ir, tf, { seed: spec.training.seed });
  const serialized = await serializeModel(tf, model);
  model.dispose();
  const summary = summarize(prepared.ir, prepared.cost);
  const summaryText = renderSummaryText(summary);
  const dot = toDot(prepared.ir);
  const files = new Map<string, string | Uint8Array>([
    ['model.json', serialized.modelJson],
    ['weights.bin', serialized.weightsBin],
    ['pipeline.json', stableJson(prepared.pipeline.toJSON())],
    ['ir.json', stableJson(prepared.ir)],
    ['spec.json', stableJson(spec)],
    ['summary.txt', summaryText],
    ['summary.json', renderSummaryJson(summary)],
    ['graph.mmd', toMermaid(prepared.ir)],
    ['graph.dot', dot],
    ['graph.svg', await renderSvg(dot)],
  ]);
  // The only file that differs between identical builds: when, where and with what it was made.
  files.set(
    'run-record.json',
    stableJson({
      createdAt: new Date().toISOString(),
      spec: checked.loaded.file,
      specFiles: checked.loaded.files,
      specHash: specHash(checked.loaded.sources),
      sets: opts.sets ?? [],
      seed: spec.training.seed,
      backend,
      versions: packageVersions(),
      git: gitState(),
      kernels: await describeKernels(tf, backend),
    }),
  );
  writeArtifactsAtomic(outDir, files);
  return {
    ok: true,
    diagnostics: checked.diagnostics,
    name: checked.name,
    outDir,
    backend,
    files: [...files.keys()].sort(),
    summary,
    summaryText,
    seconds: (performance.now() - t0) / 1000,
  };
}
