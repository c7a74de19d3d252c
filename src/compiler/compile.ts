// The build step, end to end: checked spec -> data -> fitted feature pipeline -> IR with fitted
// sizes -> tfjs model (initialised from training.seed) -> artifacts, written atomically.
// Everything in the output folder except run-record.json is a pure function of the spec and
// its seed: the same inputs give byte-identical files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkFolderTarget } from '../util/safe-output.js';
import { initBackend, type BackendPreference } from '../engine/backend.js';
import type { Diagnostic } from '../schema/diagnostics.js';
import { prepare } from '../train/prepare.js';
import { stableJson, writeArtifactsAtomic } from './artifacts.js';
import { buildModel, serializeModel } from './build/index.js';
import { checkSpec, type FrontOptions } from './front.js';
import { renderSvg, toDot, toMermaid } from './graph.js';
import { renderSummaryJson, renderSummaryText, summarize, type ModelSummary } from './summary.js';

export interface CompileOptions extends FrontOptions {
  backend?: BackendPreference;
  /** Output folder; default out/<spec name>. */
  outDir?: string;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

export type CompileOutcome =
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> }
  | { ok: true; diagnostics: Diagnostic[]; name: string; outDir: string; backend: string; files: string[]; summary: ModelSummary; summaryText: string; seconds: number };

export function packageVersions(): Record<string, string> {
  const read = (p: string) => {
    try {
      return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const root = new URL('../../', import.meta.url);
  return {
    'mmoe-compile': read(new URL('package.json', root).pathname),
    '@tensorflow/tfjs': read(new URL('node_modules/@tensorflow/tfjs/package.json', root).pathname),
    '@tensorflow/tfjs-backend-wasm': read(new URL('node_modules/@tensorflow/tfjs-backend-wasm/package.json', root).pathname),
    node: process.version,
  };
}

export function specHash(sources: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${file}\0${text}\0`);
  return h.digest('hex').slice(0, 16);
}

export async function compileSpec(path: string, opts: CompileOptions = {}): Promise<CompileOutcome> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const checked = checkSpec(path, opts);
  if (!checked.spec || !checked.ir) return { ok: false, diagnostics: checked.diagnostics, sources: checked.loaded.sources };
  const spec = checked.spec;
  const outDir = opts.outDir ?? join('out', checked.name);
  checkFolderTarget(resolve(outDir)); // refused before any work
  log(`${checked.loaded.file}: ${checked.ir.family.label}`);
  const prepared = await prepare(spec, checked.loaded.absPath, checked.name, { fitOnly: true });
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
    stableJson({ createdAt: new Date().toISOString(), spec: checked.loaded.file, specFiles: checked.loaded.files, specHash: specHash(checked.loaded.sources), sets: opts.sets ?? [], seed: spec.training.seed, backend, versions: packageVersions() }),
  );
  writeArtifactsAtomic(outDir, files);
  return { ok: true, diagnostics: checked.diagnostics, name: checked.name, outDir, backend, files: [...files.keys()].sort(), summary, summaryText, seconds: (performance.now() - t0) / 1000 };
}
