// `mmoe-compile [build] <spec>`: compile a spec into a tfjs model and its artifacts.
import type { Command } from 'commander';
import { BACKEND_PREFERENCES, type BackendPreference } from '../../engine/backend.js';
import { collect, parseFormat, parsePositiveNumber, readOptionsOf, withReadOptions } from '../options.js';
import { renderDiagnostics, type Format, type Io } from '../../util/output.js';
import { InvalidArgumentError } from 'commander';

export function parseBackend(v: string): BackendPreference {
  if (!(BACKEND_PREFERENCES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${BACKEND_PREFERENCES.join(', ')}`);
  return v as BackendPreference;
}

interface BuildOpts {
  out?: string;
  backend: BackendPreference;
  format: Format;
  set?: string[];
  maxParams?: number;
  root?: string;
  allowRead?: string[];
  config?: string;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('build', { isDefault: true })
      .description('compile a spec: fit the feature pipeline, build the tfjs model, write artifacts (default command)')
      .argument('<spec>', 'spec file')
      .option('-o, --out <dir>', 'output folder (default: out/<spec name>)')
      .option('--backend <name>', 'auto (tfjs-node, else wasm, else cpu), node, wasm or cpu', parseBackend, 'auto')
      .option('-f, --format <format>', 'text or json', parseFormat(['text', 'json']), 'text')
      .option('--set <path=value>', 'override a spec value (repeatable)', collect)
      .option('--max-params <n>', 'parameter limit', parsePositiveNumber),
  ).action(async (spec: string, opts: BuildOpts) => {
    // loaded on demand: the build pulls in the data layer, graph rendering and (later) tfjs
    const { compileSpec } = await import('../../driver/compile.js');
    const r = await compileSpec(spec, {
      outDir: opts.out,
      backend: opts.backend,
      sets: opts.set,
      maxParameters: opts.maxParams,
      read: readOptionsOf(opts),
      log: (l) => io.err(l),
    });
    if (!r.ok) {
      io.err(renderDiagnostics(r.diagnostics, opts.format === 'json' ? 'text' : opts.format, r.sources));
      if (opts.format === 'json')
        io.out(
          JSON.stringify({ ok: false, diagnostics: JSON.parse(renderDiagnostics(r.diagnostics, 'json')) }, null, 2),
        );
      setExit(1);
      return;
    }
    if (r.diagnostics.length) io.err(renderDiagnostics(r.diagnostics, 'text'));
    if (opts.format === 'json') {
      io.out(
        JSON.stringify(
          {
            ok: true,
            name: r.name,
            outDir: r.outDir,
            backend: r.backend,
            files: r.files,
            seconds: r.seconds,
            summary: r.summary,
          },
          null,
          2,
        ),
      );
    } else {
      io.out(r.summaryText);
      io.out(`wrote ${r.outDir}/ (${r.files.join(', ')}) in ${r.seconds.toFixed(2)} s on ${r.backend}`);
    }
    setExit(0);
  });
}
