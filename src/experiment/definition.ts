// An experiment file: which specs to train, over which grid of overrides and seeds, and how to
// run and report them. Read from YAML, checked by hand (every problem collected, each naming
// its key), with paths made absolute relative to the experiment file.
//
//   name: mmoe-synthetic
//   specs: [../../configs/paper/mmoe.yaml, { path: ../../configs/paper/moe.yaml, label: MoE }]
//   matrix: { data.correlation: [0.5, 0.9, 1.0] }   # every combination is one cell
//   cells: [{ data.rows: 8000, training.epochs: 20 }] # listed cells (values set together), each x matrix
//   set: { training.epochs: 20 }                    # fixed overrides for every run
//   seeds: [1, 2, 3, 4, 5]
//   seedPaths: [training.seed, data.seed]           # where each seed goes (default: see below)
//   report: { metrics: [mse], compare: [[mmoe, shared_bottom]] }
//   options: { jobs: 2, out: ., executor: thread, backend: auto }
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import { BACKEND_PREFERENCES, type BackendPreference } from '../engine/backend.js';
import { checkNamedPath, readPolicyFor, ReadPolicyError, type ReadOptions } from '../schema/paths.js';
import { METRICS } from '../schema/spec-schema.js';

export const EXECUTORS = ['inline', 'process', 'thread'] as const;
export type Executor = (typeof EXECUTORS)[number];
export type MetricName = (typeof METRICS)[number];
export type Scalar = string | number | boolean;

export interface ExperimentSpecRef {
  /** Absolute path of the spec file. */
  path: string;
  /** As written in the experiment file (relative to it): shown in tables and the CSV. */
  file: string;
  /** Display name; default: the spec's `name`. */
  label?: string;
}

export interface Experiment {
  name: string;
  description?: string;
  /** Absolute path of the experiment file. */
  file: string;
  dir: string;
  specs: ExperimentSpecRef[];
  /** Override path -> values; cells are the Cartesian product, in file order. */
  matrix: [string, Scalar[]][];
  /** Listed cells: override path -> value, set together; each is combined with every matrix cell. */
  cells: [string, Scalar][][];
  /** Fixed overrides, as --set strings. */
  set: string[];
  seeds: number[];
  /** Spec paths each seed is written to; `auto`: training.seed, plus data.seed for synthetic data. */
  seedPaths: string[] | 'auto';
  report: {
    /** Test metrics reported per task; default: mse for regression tasks, auc for binary. */
    metrics?: MetricName[];
    /** Pairs of labels whose per-seed differences are tested. */
    compare: [string, string][];
  };
  /** --root and --allow-read: which files the experiment and its specs may name. */
  read: ReadOptions;
  options: {
    jobs: number;
    /** Absolute results folder. */
    out: string;
    executor: Executor;
    backend: BackendPreference;
    /** Keep each run's model folder under <out>/models (default: a temporary folder, removed). */
    keepModels: boolean;
  };
}

export class ExperimentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    /** 1: the experiment file is wrong; 2: it cannot be read (I/O), as for specs. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    // a located problem reads file:line:col: ...
    const one = problems.length === 1 && /^\d+:\d+: /.test(problems[0]) ? `${file}:${problems[0]}` : undefined;
    super(
      one ??
        `${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`,
    );
  }
}

const TOP_KEYS = ['name', 'description', 'specs', 'matrix', 'cells', 'set', 'seeds', 'seedPaths', 'report', 'options'];
const OPTION_KEYS = ['jobs', 'out', 'executor', 'backend', 'keepModels'];
const REPORT_KEYS = ['metrics', 'compare'];
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const SET_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+|\[\d+\])*$/;

/** A --set string for a value. Strings are quoted (JSON is YAML) so "1" stays a string. */
export function setArg(path: string, value: Scalar): string {
  return `${path}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
}

/** How an override is shown in tables and file names: path=value, unquoted. */
export function showOverride(path: string, value: Scalar): string {
  return `${path}=${String(value)}`;
}

export function loadExperiment(
  path: string,
  overrides: { jobs?: number; out?: string; executor?: Executor; backend?: BackendPreference; read?: ReadOptions } = {},
): Experiment {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExperimentError(
      path,
      [`cannot read the experiment file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`],
      2,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { strict: true, maxAliasCount: 100 });
  } catch (e) {
    throw new ExperimentError(path, [(e as Error).message.split('\n')[0]]);
  }
  return parseExperiment(raw, file, path, overrides, specPathLocator(text));
}

/** "line:column" of specs[i] (or its `path`) in the experiment text, for located refusals. */
function specPathLocator(text: string): (i: number) => string | undefined {
  return (i) => {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const node = (doc.getIn(['specs', i, 'path'], true) ?? doc.getIn(['specs', i], true)) as
      | { range?: [number, number] }
      | undefined;
    if (!node?.range) return undefined;
    const p = lineCounter.linePos(node.range[0]);
    return `${p.line}:${p.col}`;
  };
}

export function parseExperiment(
  raw: unknown,
  file: string,
  shown: string,
  overrides: { jobs?: number; out?: string; executor?: Executor; backend?: BackendPreference; read?: ReadOptions } = {},
  locateSpec: (i: number) => string | undefined = () => undefined,
): Experiment {
  const problems: string[] = [];
  const bad = (m: string) => problems.push(m);
  if (!isMap(raw))
    throw new ExperimentError(shown, ['an experiment file must be a YAML mapping (name, specs, matrix, seeds, ...)']);
  for (const k of Object.keys(raw))
    if (!TOP_KEYS.includes(k)) bad(`unknown key "${k}" (known: ${TOP_KEYS.join(', ')})`);
  const dir = dirname(file);
  let policy;
  try {
    policy = readPolicyFor(file, overrides.read);
  } catch (e) {
    if (e instanceof ReadPolicyError) throw new ExperimentError(shown, [e.message], 2);
    throw e;
  }

  const name = raw.name ?? dirname(file).split(/[\\/]/).pop() ?? 'experiment';
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
    bad('`name` must be a word (letters, digits, _ . -)');
  if (raw.description !== undefined && typeof raw.description !== 'string') bad('`description` must be text');

  const specs: ExperimentSpecRef[] = [];
  if (!Array.isArray(raw.specs) || raw.specs.length === 0)
    bad('`specs` must be a non-empty list of spec paths (relative to the experiment file)');
  else
    raw.specs.forEach((s: unknown, i: number) => {
      const ref = typeof s === 'string' ? { path: s } : s;
      if (!isMap(ref) || typeof ref.path !== 'string' || ref.path === '')
        return bad(`specs[${i}] must be a path or { path, label }`);
      for (const k of Object.keys(ref))
        if (k !== 'path' && k !== 'label') bad(`specs[${i}]: unknown key "${k}" (known: path, label)`);
      if (ref.label !== undefined && (typeof ref.label !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(ref.label)))
        bad(`specs[${i}].label must be a word (letters, digits, _ . -)`);
      // The experiment file is reviewed like a spec: the specs it names stay inside the root.
      const named = checkNamedPath(policy, dir, ref.path, 'spec');
      if ('code' in named) {
        const at = locateSpec(i);
        return bad(`${at ? `${at}: ` : ''}error ${named.code}: specs[${i}]: ${named.message}`);
      }
      specs.push({ path: named.path, file: ref.path, ...(typeof ref.label === 'string' ? { label: ref.label } : {}) });
    });

  const matrix: [string, Scalar[]][] = [];
  if (raw.matrix !== undefined) {
    if (!isMap(raw.matrix))
      bad('`matrix` must map override paths to lists of values, e.g. data.correlation: [0.5, 0.9, 1.0]');
    else
      for (const [k, v] of Object.entries(raw.matrix)) {
        if (!SET_PATH.test(k)) bad(`matrix: "${k}" is not a spec path (use dots and [index], e.g. data.correlation)`);
        if (!Array.isArray(v) || v.length === 0 || !v.every(isScalar))
          bad(`matrix.${k} must be a non-empty list of numbers, strings or booleans`);
        else if (new Set(v.map((x) => JSON.stringify(x))).size !== v.length) bad(`matrix.${k} lists a value twice`);
        else matrix.push([k, v]);
      }
  }

  const cells: [string, Scalar][][] = [];
  if (raw.cells !== undefined) {
    if (!Array.isArray(raw.cells) || raw.cells.length === 0 || !raw.cells.every(isMap))
      bad(
        '`cells` must be a non-empty list of mappings of override paths to values, e.g. - { data.rows: 8000, training.epochs: 20 }',
      );
    else {
      const seen = new Set<string>();
      raw.cells.forEach((c: Record<string, unknown>, i: number) => {
        const cell: [string, Scalar][] = [];
        for (const [k, v] of Object.entries(c)) {
          if (!SET_PATH.test(k)) bad(`cells[${i}]: "${k}" is not a spec path`);
          else if (!isScalar(v)) bad(`cells[${i}].${k} must be a number, string or boolean`);
          else if (matrix.some(([m]) => m === k)) bad(`cells[${i}]: ${k} is also a matrix key`);
          else cell.push([k, v]);
        }
        const id = JSON.stringify(cell);
        if (cell.length === 0) bad(`cells[${i}] sets nothing`);
        else if (seen.has(id)) bad(`cells[${i}] repeats an earlier cell`);
        seen.add(id);
        cells.push(cell);
      });
    }
  }

  const set: string[] = [];
  if (raw.set !== undefined) {
    if (!isMap(raw.set)) bad('`set` must map override paths to values, e.g. training.epochs: 20');
    else
      for (const [k, v] of Object.entries(raw.set)) {
        if (!SET_PATH.test(k)) bad(`set: "${k}" is not a spec path`);
        else if (!isScalar(v)) bad(`set.${k} must be a number, string or boolean`);
        else set.push(setArg(k, v));
      }
  }

  let seeds: number[] = [];
  if (raw.seeds === undefined) seeds = [1];
  else if (
    !Array.isArray(raw.seeds) ||
    raw.seeds.length === 0 ||
    !raw.seeds.every((s) => Number.isInteger(s) && s >= 0)
  )
    bad('`seeds` must be a non-empty list of whole numbers >= 0');
  else if (new Set(raw.seeds).size !== raw.seeds.length) bad('`seeds` lists a seed twice');
  else seeds = raw.seeds as number[];

  let seedPaths: string[] | 'auto' = 'auto';
  if (raw.seedPaths !== undefined && raw.seedPaths !== 'auto') {
    if (!Array.isArray(raw.seedPaths) || !raw.seedPaths.every((p) => typeof p === 'string' && SET_PATH.test(p)))
      bad('`seedPaths` must be `auto` or a list of spec paths, e.g. [training.seed, data.seed]');
    else seedPaths = raw.seedPaths as string[];
  }
  const matrixPaths = new Set([...matrix.map(([k]) => k), ...cells.flat().map(([k]) => k)]);
  for (const p of seedPaths === 'auto' ? [] : seedPaths)
    if (matrixPaths.has(p)) bad(`${p} is both a seed path and a matrix key`);

  const report: Experiment['report'] = { compare: [] };
  if (raw.report !== undefined) {
    if (!isMap(raw.report)) bad('`report` must be a mapping (metrics, compare)');
    else {
      for (const k of Object.keys(raw.report))
        if (!REPORT_KEYS.includes(k)) bad(`report: unknown key "${k}" (known: ${REPORT_KEYS.join(', ')})`);
      const m = raw.report.metrics;
      if (m !== undefined) {
        if (!Array.isArray(m) || m.length === 0 || !m.every((x) => (METRICS as readonly unknown[]).includes(x)))
          bad(`report.metrics must list metrics from: ${METRICS.join(', ')}`);
        else report.metrics = m as MetricName[];
      }
      const c = raw.report.compare;
      if (c !== undefined) {
        if (
          !Array.isArray(c) ||
          !c.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'))
        )
          bad('report.compare must be a list of label pairs, e.g. [[mmoe, shared_bottom]]');
        else report.compare = c as [string, string][];
      }
    }
  }

  const o = raw.options ?? {};
  const options: Experiment['options'] = {
    jobs: availableParallelism(),
    out: dir,
    executor: 'thread',
    backend: 'auto',
    keepModels: false,
  };
  if (!isMap(o)) bad('`options` must be a mapping (jobs, out, executor, backend, keepModels)');
  else {
    for (const k of Object.keys(o))
      if (!OPTION_KEYS.includes(k)) bad(`options: unknown key "${k}" (known: ${OPTION_KEYS.join(', ')})`);
    if (o.jobs !== undefined) {
      if (!Number.isInteger(o.jobs) || (o.jobs as number) < 1) bad('options.jobs must be a whole number >= 1');
      else options.jobs = o.jobs as number;
    }
    if (o.out !== undefined) {
      if (typeof o.out !== 'string' || o.out === '')
        bad('options.out must be a folder path (relative to the experiment file)');
      else options.out = resolve(dir, o.out);
    }
    if (o.executor !== undefined) {
      if (!(EXECUTORS as readonly unknown[]).includes(o.executor))
        bad(`options.executor must be one of ${EXECUTORS.join(', ')}`);
      else options.executor = o.executor as Executor;
    }
    if (o.backend !== undefined) {
      if (!(BACKEND_PREFERENCES as readonly unknown[]).includes(o.backend))
        bad(`options.backend must be one of ${BACKEND_PREFERENCES.join(', ')}`);
      else options.backend = o.backend as BackendPreference;
    }
    if (o.keepModels !== undefined) {
      if (typeof o.keepModels !== 'boolean') bad('options.keepModels must be true or false');
      else options.keepModels = o.keepModels;
    }
  }
  if (overrides.jobs !== undefined) options.jobs = overrides.jobs;
  if (overrides.out !== undefined) options.out = resolve(overrides.out);
  if (overrides.executor !== undefined) options.executor = overrides.executor;
  if (overrides.backend !== undefined) options.backend = overrides.backend;
  // One job needs no pool: run in this process.
  if (options.jobs === 1 && overrides.executor === undefined && (!isMap(o) || o.executor === undefined))
    options.executor = 'inline';

  if (problems.length) throw new ExperimentError(shown, problems);
  return {
    name: name as string,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    file,
    dir,
    specs,
    matrix,
    cells,
    set,
    seeds,
    seedPaths,
    report,
    read: overrides.read ?? {},
    options,
  };
}
