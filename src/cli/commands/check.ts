// `mmoe-compile check <paths or globs...>`: validate every spec found, print diagnostics (text,
// json or GitHub annotations) and write a Markdown report (a table and a Mermaid graph per spec)
// for a CI job summary. Exit 0 all valid, 1 some spec invalid, 2 usage or I/O error.
//
// Which files: a file named on the command line is checked as given. A directory is searched
// for *.yaml and *.yml files, and so is a glob (`*` within a path segment, `**` across segments,
// `?` one character). Found files inside a directory named `base` (below the directory or the
// glob's fixed prefix) are skipped: that is where `extends` fragments live, and a fragment is
// not a complete spec. Dot-directories and node_modules are not searched.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { checkSpec, type CheckedSpec } from '../../compiler/front.js';
import { renderCheckReport, type ReportEntry } from '../../compiler/report.js';
import { formatCount } from '../../compiler/summary.js';
import type { Diagnostic } from '../../schema/diagnostics.js';
import { SpecIoError } from '../../schema/load.js';
import { collect, parseFormat, parsePositiveNumber } from '../options.js';
import { countLine, renderDiagnostics, type Format, type Io } from '../output.js';
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
}

/** Builds a checked spec (wired by the build command's owner); resolves to a one-line outcome. */
export type CompileHook = (spec: CheckedSpec, io: Io) => Promise<{ ok: boolean; message: string }>;

export interface CheckDeps {
  compile?: CompileHook;
  /** Environment (GITHUB_STEP_SUMMARY); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

// ---------------------------------------------------------------------------------------------
// Finding spec files
// ---------------------------------------------------------------------------------------------

const SPEC_FILE = /\.ya?ml$/i;
const isMagic = (segment: string) => /[*?]/.test(segment);

/** A glob (relative to its fixed prefix) as a RegExp over '/'-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  const segs = pattern.split('/').filter((s) => s !== '');
  let re = '';
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') {
      re += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    re += seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
    if (!last) re += '/';
  });
  return new RegExp(`^${re}$`);
}

/** Every file under `dir` (relative, '/'-separated), skipping dot-directories and node_modules. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (abs: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') visit(join(abs, e.name), r);
      } else if (e.isFile()) out.push(r);
      else if (e.isSymbolicLink()) {
        // a linked file counts; linked directories are not followed (no cycles)
        try {
          if (statSync(join(abs, e.name)).isFile()) out.push(r);
        } catch {
          // dangling link
        }
      }
    }
  };
  visit(dir, '');
  return out;
}

const inBaseDir = (rel: string) => rel.split('/').slice(0, -1).includes('base');

/**
 * Expand command-line paths into spec files (in argument order, each expansion sorted, no
 * duplicates). `unmatched` lists directories and globs that found nothing.
 */
export function expandSpecPaths(args: readonly string[], cwd = process.cwd()): { files: string[]; unmatched: string[] } {
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
      const found = walk(resolve(cwd, arg)).filter((r) => SPEC_FILE.test(r) && !inBaseDir(r));
      if (!found.length) unmatched.push(arg);
      for (const r of found) add(join(arg, r));
      continue;
    }
    const prefix = segs.slice(0, firstMagic).join('/');
    const root = prefix === '' && norm.startsWith('/') ? '/' : prefix || '.';
    const re = globToRegExp(segs.slice(firstMagic).join('/'));
    const found = walk(resolve(cwd, root)).filter((r) => re.test(r) && SPEC_FILE.test(r) && !inBaseDir(r));
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
    const r = checkSpec(file, { sets: opts.set, maxParameters: opts.maxParams });
    const valid = r.ir !== undefined && !r.diagnostics.some((d) => d.severity === 'error');
    return { entry: { file: r.loaded.file, ir: valid ? r.ir : undefined, cost: valid ? r.cost : undefined, diagnostics: r.diagnostics }, spec: r, ioError: false };
  } catch (e) {
    if (!(e instanceof SpecIoError)) throw e;
    const d: Diagnostic = { file, line: 1, column: 1, severity: 'error', code: e.code, message: e.message };
    return { entry: { file, diagnostics: [d] }, ioError: true };
  }
}

export async function runCheck(paths: readonly string[], opts: CheckOptions, io: Io, deps: CheckDeps = {}): Promise<number> {
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
      io.err('mmoe-compile check: --compile (also build each valid spec) is not available in this version yet; the specs were only validated and sized');
      exit = Math.max(exit, 2);
    } else {
      for (const r of results) {
        if (!valid(r) || !r.spec) continue;
        const b = await deps.compile(r.spec, io);
        built.push({ file: r.entry.file, ...b });
        if (!b.ok) exit = Math.max(exit, 1);
      }
    }
  }

  const summary = (r: Checked) => ({
    file: r.entry.file,
    valid: valid(r),
    ...(r.entry.ir && r.entry.cost
      ? { family: r.entry.ir.family.label, params: r.entry.cost.params, flops: r.entry.cost.flops, tasks: r.entry.ir.tasks.map((t) => t.name) }
      : {}),
  });
  if (opts.format === 'json') {
    io.out(JSON.stringify({ ok: exit === 0, specs: results.map(summary), ...(opts.compile ? { built } : {}), diagnostics: JSON.parse(renderDiagnostics(all, 'json')) }, null, 2));
  } else {
    if (all.length) io.out(renderDiagnostics(all, opts.format, opts.format === 'text' ? sources : undefined));
    if (opts.format === 'text') {
      for (const r of results) {
        if (!valid(r)) continue;
        const { ir, cost } = r.entry;
        io.out(`${r.entry.file}: ok (${ir!.family.label}, ${formatCount(cost!.params)} parameters, ${formatCount(cost!.flops)} FLOPs per example)`);
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
  if (opts.summary && !(stepSummary && resolve(opts.summary) === resolve(stepSummary))) writeFileSafe(opts.summary, report, { replace: opts.force });
  else if (target) appendFileSafe(target, report);
  return exit;
}

/** The command with its dependencies; `register` below is it without a build hook. */
export function makeRegister(deps: CheckDeps = {}): Register {
  return (program: Command, io: Io, setExit: (code: number) => void) => {
    program
      .command('check')
      .description('validate specs found by path, directory or glob, with a Markdown report for CI; exit 0 all valid, 1 some invalid, 2 usage or I/O error')
      .argument('<paths...>', 'spec files, directories (searched for *.yaml, *.yml; base/ folders skipped) or globs (*, **, ?; quote them)')
      .option('-f, --format <format>', 'text, json or github (workflow annotations)', parseFormat(), 'text')
      .option('--summary <file.md>', 'write a Markdown report (table and Mermaid graph per spec); default: append to $GITHUB_STEP_SUMMARY when set')
      .option('--force', 'replace the --summary file if it exists')
      .option('--compile', 'also build each valid spec (when a build step is wired in)')
      .option('--set <path=value>', 'override a value in every spec (repeatable)', collect)
      .option('--max-params <n>', 'raise or lower the parameter limit', parsePositiveNumber)
      .action(async (paths: string[], opts: CheckOptions) => setExit(await runCheck(paths, opts, io, deps)));
  };
}

/** `--compile` builds each valid spec with the real build step, loaded only when asked for. */
async function compileChecked(spec: CheckedSpec, io: Io): Promise<{ ok: boolean; message: string }> {
  const { compileSpec } = await import('../../compiler/compile.js');
  try {
    const r = await compileSpec(spec.loaded.absPath, { log: () => {} });
    return r.ok ? { ok: true, message: `${r.outDir}/ in ${r.seconds.toFixed(2)} s on ${r.backend}` } : { ok: false, message: `${r.diagnostics.length} diagnostics` };
  } catch (e) {
    io.err(`${spec.loaded.file}: build failed: ${(e as Error).message.split('\n')[0]}`);
    return { ok: false, message: (e as Error).message.split('\n')[0] };
  }
}

export const register: Register = makeRegister({ compile: compileChecked });

