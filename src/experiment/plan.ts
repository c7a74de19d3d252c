// An experiment's runs: every spec x every matrix cell x every seed, each validated (no tfjs)
// and keyed by what determines its result, so a finished run is recognised and a changed spec
// (or override, or seed) runs again.
import { hasTrainingLabel } from '../schema/task-labels.js';
import { createHash } from 'node:crypto';
import { stableJson } from '../util/stable-json.js';
import { checkSpec } from '../compiler/front.js';
import { renderDiagnostics } from '../util/output.js';
import type { Spec } from '../schema/spec-schema.js';
import { ExperimentError, setArg, showOverride, type Experiment, type Scalar } from './definition.js';

export interface PlannedTask {
  name: string;
  type: 'binary' | 'regression' | 'multiclass';
}

/** One training run. */
export interface PlannedRun {
  /** File-safe, readable and unique: `<label>--<overrides>--seed<n>`. */
  id: string;
  /** sha256 of (resolved spec, --set list, seed): equal keys give equal runs. */
  key: string;
  /** sha256 of the resolved spec alone (after extends, defaults and every override). */
  specHash: string;
  /** Spec path as written in the experiment file, and absolute. */
  specFile: string;
  specPath: string;
  label: string;
  family: string;
  params: number;
  /** The matrix values of this run's cell, in matrix order. */
  overrides: [string, Scalar][];
  /** The cell's name: "data.correlation=0.5, ..." or "all" without a matrix. */
  cell: string;
  seed: number;
  /** Every --set passed to `train`: fixed sets, matrix values, then the seed paths. */
  sets: string[];
  tasks: PlannedTask[];
  spec: Spec;
}

export interface Plan {
  runs: PlannedRun[];
  labels: string[];
  cells: string[];
  /** Tasks per label, in spec order. */
  tasks: Map<string, PlannedTask[]>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Every combination of the matrix values, first key varying slowest. */
export function matrixCells(matrix: readonly [string, Scalar[]][]): [string, Scalar][][] {
  let cells: [string, Scalar][][] = [[]];
  for (const [path, values] of matrix)
    cells = cells.flatMap((c) => values.map((v) => [...c, [path, v] as [string, Scalar]]));
  return cells;
}

/** The experiment's cells: each listed cell (`cells:`) combined with every matrix cell. */
export function experimentCells(exp: Pick<Experiment, 'matrix' | 'cells'>): [string, Scalar][][] {
  const fromMatrix = matrixCells(exp.matrix);
  if (exp.cells.length === 0) return fromMatrix;
  return exp.cells.flatMap((listed) => fromMatrix.map((m) => [...listed, ...m]));
}

export const cellName = (overrides: readonly [string, Scalar][]) =>
  overrides.length ? overrides.map(([p, v]) => showOverride(p, v)).join(', ') : 'all';

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_.=-]+/g, '_');

export function planExperiment(exp: Experiment): Plan {
  const problems: string[] = [];
  const runs: PlannedRun[] = [];
  const labels: string[] = [];
  const tasks = new Map<string, PlannedTask[]>();
  const cells = experimentCells(exp);
  const invalid = (
    what: string,
    r: { diagnostics: Parameters<typeof renderDiagnostics>[0]; loaded: { sources: Map<string, string> } },
  ) =>
    problems.push(
      `${what} is not valid:\n${renderDiagnostics(
        r.diagnostics.filter((d) => d.severity === 'error'),
        'text',
        r.loaded.sources,
      )}`,
    );

  for (const ref of exp.specs) {
    let checked;
    try {
      checked = checkSpec(ref.path, { sets: exp.set, read: exp.read });
    } catch (e) {
      problems.push(`${ref.file}: ${(e as Error).message}`);
      continue;
    }
    if (!checked.spec || !checked.ir || !checked.cost) {
      invalid(ref.file, checked);
      continue;
    }
    const label = ref.label ?? checked.name;
    if (labels.includes(label)) {
      problems.push(`two specs are labelled "${label}": give one a label ({ path: ..., label: ... })`);
      continue;
    }
    labels.push(label);
    const specTasks: PlannedTask[] = checked.spec.tasks
      // every task with metrics: a label, a derived label, or an evaluation label (ESMM factor)
      .filter((t) => hasTrainingLabel(t) || t.evaluation !== undefined)
      .map((t) => ({ name: t.name, type: t.type }));
    tasks.set(label, specTasks);
    for (const overrides of cells) {
      for (const seed of exp.seeds) {
        const seedPaths =
          exp.seedPaths === 'auto'
            ? ['training.seed', ...(checked.spec.data.source === 'synthetic' ? ['data.seed'] : [])]
            : exp.seedPaths;
        const sets = [...exp.set, ...overrides.map(([p, v]) => setArg(p, v)), ...seedPaths.map((p) => setArg(p, seed))];
        const v = checkSpec(ref.path, { sets, read: exp.read });
        const cell = cellName(overrides);
        if (!v.spec || !v.ir || !v.cost) {
          invalid(`${ref.file} with ${sets.join(' ')}`, v);
          continue;
        }
        const specHash = sha(stableJson(v.spec));
        runs.push({
          id: fileSafe([label, ...overrides.map(([p, x]) => showOverride(p, x)), `seed${seed}`].join('--')),
          key: sha(stableJson({ specHash, sets, seed })),
          specHash,
          specFile: ref.file,
          specPath: ref.path,
          label,
          family: v.ir.family.label,
          params: v.cost.params,
          overrides,
          cell,
          seed,
          sets,
          tasks: specTasks,
          spec: v.spec,
        });
      }
    }
  }
  if (problems.length) throw new ExperimentError(exp.file, problems);
  for (const [a, b] of exp.report.compare) {
    for (const l of [a, b])
      if (!labels.includes(l))
        problems.push(`report.compare names "${l}", which is not a spec label (labels: ${labels.join(', ')})`);
  }
  if (problems.length) throw new ExperimentError(exp.file, problems);
  return { runs, labels, cells: cells.map(cellName), tasks };
}
