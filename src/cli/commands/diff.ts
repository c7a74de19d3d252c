// `mmoe-compile diff <a> <b>`: a semantic diff of two specs' models (see compiler/diff.ts for
// what counts as the same model). Exit 0 same model, 1 different, 2 unreadable or invalid spec.
import type { Command } from 'commander';
import { diffModels, renderDiffJson, renderDiffMarkdown, renderDiffText, type DiffSide } from '../../compiler/diff.js';
import { checkSpec } from '../../compiler/front.js';
import type { Diagnostic } from '../../util/diagnostics.js';
import { SpecIoError } from '../../schema/load.js';
import type { ReadOptions } from '../../schema/paths.js';
import { collect, parseFormat, readOptionsOf, withReadOptions } from '../options.js';
import { countLine, renderDiagnostics, type Io } from '../../util/output.js';
import { mdCode, mdFence, visible } from '../../util/escape.js';

export type DiffFormat = 'text' | 'markdown' | 'json';

export interface DiffOptions {
  format: DiffFormat;
  setA?: string[];
  setB?: string[];
  root?: string;
  allowRead?: string[];
  config?: string;
}

type Loaded =
  | { side: DiffSide; diagnostics: Diagnostic[]; sources: Map<string, string> }
  | { side?: undefined; diagnostics: Diagnostic[]; sources: Map<string, string> };

function load(file: string, sets: string[] | undefined, read: ReadOptions): Loaded {
  try {
    const r = checkSpec(file, { sets, read });
    if (!r.ir || !r.cost || r.diagnostics.some((d) => d.severity === 'error'))
      return { diagnostics: r.diagnostics, sources: r.loaded.sources };
    return {
      side: { file: r.loaded.file, ir: r.ir, cost: r.cost, spec: r.spec, locs: r.loaded.locs },
      diagnostics: r.diagnostics,
      sources: r.loaded.sources,
    };
  } catch (e) {
    if (!(e instanceof SpecIoError)) throw e;
    return {
      diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: e.code, message: e.message }],
      sources: new Map(),
    };
  }
}

function renderFailure(diagnostics: Diagnostic[], sources: Map<string, string>, format: DiffFormat): string {
  if (format === 'json')
    return JSON.stringify({ ok: false, diagnostics: JSON.parse(renderDiagnostics(diagnostics, 'json')) }, null, 2);
  if (format === 'markdown') {
    const files = [...new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file))];
    // code frames quote the spec: the fence outlasts any backtick run, line breaks stay line breaks
    const text = renderDiagnostics(diagnostics, 'text', sources).split('\n').map(visible).join('\n');
    return `### Could not compare: ${files.map(mdCode).join(', ')} ${files.length === 1 ? 'is' : 'are'} not valid\n\n${mdFence(text, 'text')}`;
  }
  return `${renderDiagnostics(diagnostics, 'text', sources)}\n${countLine(diagnostics)}`;
}

export function runDiff(fileA: string, fileB: string, opts: DiffOptions, io: Io): number {
  const a = load(fileA, opts.setA, readOptionsOf(opts));
  const b = load(fileB, opts.setB, readOptionsOf(opts));
  if (!a.side || !b.side) {
    const sources = new Map([...a.sources, ...b.sources]);
    io.out(renderFailure([...a.diagnostics, ...b.diagnostics], sources, opts.format));
    return 2;
  }
  const warnings = [...a.diagnostics, ...b.diagnostics];
  if (warnings.length && opts.format === 'text')
    io.err(renderDiagnostics(warnings, 'text', new Map([...a.sources, ...b.sources])));
  const d = diffModels(a.side, b.side);
  io.out(
    opts.format === 'json' ? renderDiffJson(d) : opts.format === 'markdown' ? renderDiffMarkdown(d) : renderDiffText(d),
  );
  return d.sameModel ? 0 : 1;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('diff')
      .description(
        'compare the models two specs build (not their text); exit 0 same model, 1 different, 2 unreadable or invalid spec',
      )
      .argument('<a>', 'the spec before')
      .argument('<b>', 'the spec after')
      .option('-f, --format <format>', 'text, markdown or json', parseFormat(['text', 'markdown', 'json']), 'text')
      .option('--set-a <path=value>', 'override a value of spec a (repeatable)', collect)
      .option('--set-b <path=value>', 'override a value of spec b (repeatable)', collect),
  ).action((a: string, b: string, opts: DiffOptions) => setExit(runDiff(a, b, opts, io)));
}
