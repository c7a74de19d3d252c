// `mmoe-compile validate <spec...>`: exit 0 valid, 1 invalid, 2 usage or I/O error.
import type { Command } from 'commander';
import { checkSpec } from '../../compiler/front.js';
import { SpecIoError } from '../../schema/load.js';
import { checkDataSample } from '../../data/sample-check.js';
import { CODES, isDiagnosticCode } from '../../util/catalogue.js';
import { renderEntryText } from '../../schema/catalogue-render.js';
import { didYouMean, sortDiagnostics, UsageError, type Diagnostic } from '../../util/diagnostics.js';
import { collect, parseFormat, parsePositiveNumber, readOptionsOf, withReadOptions } from '../options.js';
import { countLine, renderDiagnostics, type Format, type Io } from '../../util/output.js';

export interface ValidateOptions {
  format: Format;
  set?: string[];
  maxParams?: number;
  /** false with --no-data: skip reading the data files. */
  data?: boolean;
  root?: string;
  allowRead?: string[];
  config?: string;
  explain?: string;
}

/** `validate --explain CODE`: the catalogue entry; an unknown code is a usage error (exit 2). */
export function runExplainCode(code: string, io: Io): number {
  if (!isDiagnosticCode(code))
    throw new UsageError(
      `unknown diagnostic code "${code}".${didYouMean(code, CODES) || ' The codes are listed in docs/diagnostics.md.'}`,
    );
  io.out(renderEntryText(code));
  return 0;
}

export function runValidate(files: string[], opts: ValidateOptions, io: Io): number {
  if (opts.explain !== undefined) return runExplainCode(opts.explain, io);
  if (files.length === 0) throw new UsageError('validate needs a spec file (or --explain CODE)');
  let exit = 0;
  const all: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const report: { file: string; valid: boolean; family?: string; params?: number }[] = [];
  for (const file of files) {
    try {
      const r = checkSpec(file, { sets: opts.set, maxParameters: opts.maxParams, read: readOptionsOf(opts) });
      if (r.spec && opts.data !== false && !r.diagnostics.some((d) => d.code.startsWith('path-'))) {
        r.diagnostics = sortDiagnostics([
          ...r.diagnostics,
          ...checkDataSample({
            spec: r.spec,
            specPath: r.loaded.absPath,
            file: r.loaded.file,
            locs: r.loaded.locs,
            policy: r.loaded.policy,
          }),
        ]);
      }
      all.push(...r.diagnostics);
      for (const [k, v] of r.loaded.sources) sources.set(k, v);
      const valid = !r.diagnostics.some((d) => d.severity === 'error');
      if (!valid) exit = Math.max(exit, 1);
      report.push({
        file: r.loaded.file,
        valid,
        ...(r.ir ? { family: r.ir.family.label, params: r.cost!.params } : {}),
      });
    } catch (e) {
      if (!(e instanceof SpecIoError)) throw e;
      all.push({ file, line: 1, column: 1, severity: 'error', code: e.code, message: e.message });
      report.push({ file, valid: false });
      exit = 2;
    }
  }
  if (opts.format === 'json') {
    io.out(
      JSON.stringify(
        { valid: exit === 0, specs: report, diagnostics: JSON.parse(renderDiagnostics(all, 'json')) },
        null,
        2,
      ),
    );
  } else if (opts.format === 'github') {
    if (all.length) io.out(renderDiagnostics(all, 'github'));
  } else {
    if (all.length) io.out(renderDiagnostics(all, 'text', sources));
    for (const r of report)
      if (r.valid) io.out(`${r.file}: ok (${r.family}, ${r.params!.toLocaleString('en-US')} parameters)`);
    if (all.length) io.out(countLine(all));
  }
  return exit;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('validate')
      .description(
        'check specs (structure and meaning) without building; exit 0 valid, 1 invalid, 2 usage or I/O error',
      )
      .argument('[spec...]', 'spec files')
      .option('-f, --format <format>', 'text, json or github (workflow annotations)', parseFormat(), 'text')
      .option('--set <path=value>', 'override a spec value, e.g. training.epochs=3 (repeatable)', collect)
      .option(
        '--max-params <n>',
        'raise or lower the parameter limit (default: spec limits.maxParameters or 2e8)',
        parsePositiveNumber,
      )
      .option('--explain <code>', 'print what a diagnostic code means, with help and an example (docs/diagnostics.md)')
      .option(
        '--no-data',
        'do not read the data files (by default the header and the first 1,000 rows / 1 MiB of each CSV are checked)',
      ),
  ).action((files: string[], opts: ValidateOptions) => setExit(runValidate(files, opts, io)));
}
