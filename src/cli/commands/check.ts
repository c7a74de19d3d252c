// `mmoe-compile check <paths or globs...>`: validate every spec found, print diagnostics (text,
// json or GitHub annotations) and write a Markdown report (a table and a Mermaid graph per spec)
// for a CI job summary. Exit 0 all valid, 1 some spec invalid, 2 usage or I/O error.
//
// Which files: a file named on the command line is checked as given. A directory is searched
// for *.yaml and *.yml files, and so is a glob (tinyglobby / picomatch syntax: `*` within a path
// segment, `**` across segments, `?` one character, `[abc]`, brace sets `{mmoe,moe}`). Found files inside a directory named `base` (below the directory or the
// glob's fixed prefix) are skipped: that is where `extends` fragments live, and a fragment is
// not a complete spec. Dot-directories and node_modules are not searched.
import { statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { checkSpec, type CheckedSpec } from '../../compiler/front.js';
import { renderCheckReport, type ReportEntry } from '../../compiler/report.js';
import { formatCount } from '../../compiler/summary.js';
import type { Diagnostic } from '../../util/diagnostics.js';
import { SpecIoError } from '../../schema/load.js';
import type { ReadOptions } from '../../schema/paths.js';
import { collect, parseFormat, parsePositiveNumber, readOptionsOf, withReadOptions } from '../options.js';
import { countLine, renderDiagnostics, type Format, type Io } from '../../util/output.js';
import type { Register } from './index.js';
import { appendFileSafe, writeFileSafe } from '../../util/safe-output.js';

export interface CheckOptions {
  format: Format;
  /** Write the Markdown report here (a new file, or an existing one with `force`). */
  summary?: string;
  force?: boolean;
  compile?: boolean;
  set?: string[];
  maxParams?: number;
  root?: string;
  allowRead?: string[];
  config?: string;
}

/** Builds a checked spec (wired by the build command's owner); resolves to a one-line outcome. */
export type CompileHook = (spec: CheckedSpec, io: Io, read?: ReadOptions) => Promise<{ ok: boolean; message: string }>;

export interface CheckDeps {
  compile?: CompileHook;
  /** Environment (GITHUB_STEP_SUMMARY); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

// ---------------------------------------------------------------------------------------------
// Finding spec files
// ---------------------------------------------------------------------------------------------

const SPEC_FILE = /\.ya?ml$/i;
// A path segment is a pattern when tinyglobby (picomatch) would expand it: *, **, ?, [...], {a,b}.
const isMagic = (segment: string) => isDynamicPattern(segment);

/** Segment by segment, so a folder's files come before a sibling named with a longer name. */
const byPath = (x: string, y: string) => {
  const a = x.split('/');
  const b = y.split('/');
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
};

/**
 * Files under `dir` matching `pattern` (relative, '/'-separated, sorted), skipping dot-directories
 * and node_modules; linked files count (they must still resolve inside the root: the loader checks), linked
 * directories are followed by fdir, which stops at a link cycle.
 */
function findFiles(dir: string, pattern: string): string[] {
  const found = globSync(pattern, {
    cwd: dir,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: true,
    expandDirectories: false,
    ignore: ['**/node_modules/**'],
  });
  return found.sort(byPath);
}

const inBaseDir = (rel: string) => rel.split('/').slice(0, -1).includes('base');

/**
 * Expand command-line paths into spec files (in argument order, each expansion sorted, no
 * duplicates). `unmatched` lists directories and globs that found nothing.
 */
export function expandSpecPaths(
  args: readonly string[],
  cwd = process.cwd(),
): { files: string[]; unmatched: string[] } {
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  const add = (f: string) => {
    const key = resolve(cwd, f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const arg of args) {
    const norm = arg.split(sep).join('/');
    const segs = norm.split('/');
    const firstMagic = segs.findIndex(isMagic);
    if (firstMagic < 0) {
      let isDir = false;
      try {
        isDir = statSync(resolve(cwd, arg)).isDirectory();
      } catch {
        // not there: checkSpec reports it as an unreadable file
      }
      if (!isDir) {
        add(arg);
        continue;
      }
      const found = findFiles(resolve(cwd, arg), '**/*').filter((r) => SPEC_FILE.test(r) && !inBaseDir(r));
      if (!found.length) unmatched.push(arg);
      for (const r of found) add(join(arg, r));
      continue;
    }
    const prefix = segs.slice(0, firstMagic).join('/');
    const root = prefix === '' && norm.startsWith('/') ? '/' : prefix || '.';
    const found = findFiles(resolve(cwd, root), segs.slice(firstMagic).join('/')).filter(
      (r) => SPEC_FILE.test(r) && !inBaseDir(r),
    );
    if (!found.length) unmatched.push(arg);
    for (const r of found) add(root === '.' ? r : join(root, r));
  }
  return { files, unmatched };
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

interface Checked {
  entry: ReportEntry;
  spec?: CheckedSpec;
  ioError: boolean;
}

function checkOne(file: string, opts: CheckOptions): Checked {
  try {
    const r = checkSpec(file, { sets: opts.set, maxParameters: opts.maxParams, read: readOptionsOf(opts) });
    const valid = r.ir !== undefined && !r.diagnostics.some((d) => d.severity === 'error');
    return {
      entry: {
        file: r.loaded.file,
        ir: valid ? r.ir : undefined,
        cost: valid ? r.cost : undefined,
        diagnostics: r.diagnostics,
      },
      spec: r,
      ioError: false,
    };
  } catch (e) {
    if (!(e instanceof SpecIoError)) throw e;
    const d: Diagnostic = { file, line: 1, column: 1, severity: 'error', code: e.code, message: e.message };
    return { entry: { file, diagnostics: [d] }, ioError: true };
  }
}

export async function runCheck(
  paths: readonly string[],
  opts: CheckOptions,
  io: Io,
  deps: CheckDeps = {},
): Promise<number> {
  const env = deps.env ?? process.env;
  const { files, unmatched } = expandSpecPaths(paths);
  let exit = 0;
  for (const u of unmatched) {
    io.err(`mmoe-compile check: no spec files (*.yaml, *.yml outside base/ folders) match ${u}`);
    exit = 2;
  }
  const results = files.map((f) => checkOne(f, opts));
  const all = results.flatMap((r) => r.entry.diagnostics);
  const sources = new Map<string, string>();
  for (const r of results) for (const [k, v] of r.spec?.loaded.sources ?? []) sources.set(k, v);
  const valid = (r: Checked) => r.entry.ir !== undefined;
  for (const r of results) exit = Math.max(exit, r.ioError ? 2 : valid(r) ? 0 : 1);

  // Building is optional and injected: check itself never loads tfjs.
  const built: { file: string; ok: boolean; message: string }[] = [];
  if (opts.compile) {
    if (!deps.compile) {
      io.err(
        'mmoe-compile check: --compile (also build each valid spec) is not available in this version yet; the specs were only validated and sized',
      );
      exit = Math.max(exit, 2);
    } else {
      for (const r of results) {
        if (!valid(r) || !r.spec) continue;
        const b = await deps.compile(r.spec, io, readOptionsOf(opts));
        built.push({ file: r.entry.file, ...b });
        if (!b.ok) exit = Math.max(exit, 1);
      }
    }
  }

  const summary = (r: Checked) => ({
    file: r.entry.file,
    valid: valid(r),
    ...(r.entry.ir && r.entry.cost
      ? {
          family: r.entry.ir.family.label,
          params: r.entry.cost.params,
          flops: r.entry.cost.flops,
          tasks: r.entry.ir.tasks.map((t) => t.name),
        }
      : {}),
  });
  if (opts.format === 'json') {
    io.out(
      JSON.stringify(
        {
          ok: exit === 0,
          specs: results.map(summary),
          ...(opts.compile ? { built } : {}),
          diagnostics: JSON.parse(renderDiagnostics(all, 'json')),
        },
        null,
        2,
      ),
    );
  } else {
    if (all.length) io.out(renderDiagnostics(all, opts.format, opts.format === 'text' ? sources : undefined));
    if (opts.format === 'text') {
      for (const r of results) {
        if (!valid(r)) continue;
        const { ir, cost } = r.entry;
        io.out(
          `${r.entry.file}: ok (${ir!.family.label}, ${formatCount(cost!.params)} parameters, ${formatCount(cost!.flops)} FLOPs per example)`,
        );
      }
    }
    for (const b of built) io.out(`${b.file}: ${b.ok ? 'built' : 'build failed'}: ${b.message}`);
    const bad = results.filter((r) => !valid(r)).length;
    io.out(`${results.length} spec${results.length === 1 ? '' : 's'} checked, ${bad} invalid; ${countLine(all)}`);
  }

  const report = renderCheckReport(results.map((r) => r.entry));
  const target = opts.summary ?? env.GITHUB_STEP_SUMMARY;
  // $GITHUB_STEP_SUMMARY is appended to (GitHub's convention), also when --summary names it (the
  // workflow does); any other --summary is a new file (or replaced with --force). I/O errors and
  // refusals exit 2 (cli/main.ts).
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (opts.summary && !(stepSummary && resolve(opts.summary) === resolve(stepSummary)))
    writeFileSafe(opts.summary, report, { replace: opts.force });
  else if (target) appendFileSafe(target, report);
  return exit;
}

/** The command with its dependencies; `register` below is it without a build hook. */
export function makeRegister(deps: CheckDeps = {}): Register {
  return (program: Command, io: Io, setExit: (code: number) => void) => {
    withReadOptions(
      program
        .command('check')
        .description(
          'validate specs found by path, directory or glob, with a Markdown report for CI; exit 0 all valid, 1 some invalid, 2 usage or I/O error',
        )
        .argument(
          '<paths...>',
          'spec files, directories (searched for *.yaml, *.yml; base/ folders skipped) or globs (*, **, ?, [..], {a,b}; quote them)',
        )
        .option('-f, --format <format>', 'text, json or github (workflow annotations)', parseFormat(), 'text')
        .option(
          '--summary <file.md>',
          'write a Markdown report (table and Mermaid graph per spec); default: append to $GITHUB_STEP_SUMMARY when set',
        )
        .option('--force', 'replace the --summary file if it exists')
        .option('--compile', 'also build each valid spec (when a build step is wired in)')
        .option('--set <path=value>', 'override a value in every spec (repeatable)', collect)
        .option('--max-params <n>', 'raise or lower the parameter limit', parsePositiveNumber),
    ).action(async (paths: string[], opts: CheckOptions) => setExit(await runCheck(paths, opts, io, deps)));
  };
}

/** `--compile` builds each valid spec with the real build step, loaded only when asked for. */
async function compileChecked(
  spec: CheckedSpec,
  io: Io,
  read: ReadOptions = {},
): Promise<{ ok: boolean; message: string }> {
  const { compileSpec } = await import('../../driver/compile.js');
  try {
    const r = await compileSpec(spec.loaded.absPath, { log: () => {}, read });
    return r.ok
      ? { ok: true, message: `${r.outDir}/ in ${r.seconds.toFixed(2)} s on ${r.backend}` }
      : { ok: false, message: `${r.diagnostics.length} diagnostics` };
  } catch (e) {
    io.err(`${spec.loaded.file}: build failed: ${(e as Error).message.split('\n')[0]}`);
    return { ok: false, message: (e as Error).message.split('\n')[0] };
  }
}

export const register: Register = makeRegister({ compile: compileChecked });
