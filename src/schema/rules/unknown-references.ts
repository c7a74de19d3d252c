// Every reference resolves: group members are features; pool and gate inputs are feature groups
// (or, after the first level, gates of the previous level); gates mix pools of their own level;
// towers read a last-level gate or pool; tasks name a tower, product tasks name tasks; early
// stopping and the scenario feature name what exists.
import { didYouMean } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

const SUGGEST_LIMIT = 100;

export function unknownReferences(ctx: RuleContext): void {
  const { spec, symbols } = ctx;
  // "Did you mean" costs an edit distance per candidate: only for the first unknowns, so that a
  // huge spec full of bad references (10^4 x 10^4) still validates in time.
  let suggestions = SUGGEST_LIMIT;
  const unknown = (path: string, what: string, name: string, candidates: Iterable<string>, extra = '') =>
    ctx.report({
      code: 'unknown-reference',
      path,
      message: `${what} "${name}", which is not defined${extra}.${suggestions-- > 0 ? didYouMean(name, candidates) : ''}`,
    });

  for (const [g, names] of Object.entries(spec.featureGroups)) {
    names.forEach((n, i) => {
      if (!symbols.features.has(n))
        unknown(pointer(pointer('/featureGroups', g), i), `group "${g}" lists feature`, n, symbols.features.keys());
    });
  }

  const lastLevel = spec.model.levels.length - 1;
  spec.model.levels.forEach((lv, li) => {
    const lp = pointer('/model/levels', li);
    const prevGates = li > 0 ? (spec.model.levels[li - 1].gates ?? []).map((g) => g.name) : [];
    const prevGateSet = new Set(prevGates);
    const inputCandidates = [...symbols.groups.keys(), ...prevGates];
    const checkInputs = (inputs: readonly string[] | undefined, base: string, owner: string) =>
      inputs?.forEach((n, i) => {
        if (symbols.groups.has(n) || prevGateSet.has(n)) return;
        const gate = symbols.gates.get(n);
        const hint = gate
          ? ` at level ${li + 1}: "${n}" is a gate of level ${(gate.level ?? 0) + 1}; inputs read feature groups or gates of the previous level`
          : ' as a feature group' + (li > 0 ? ' or a gate of the previous level' : '');
        unknown(pointer(pointer(base, 'inputs'), i), `${owner} reads`, n, inputCandidates, hint);
      });
    lv.pools.forEach((p, pi) => checkInputs(p.inputs, pointer(pointer(lp, 'pools'), pi), `pool "${p.name}"`));
    const levelPools = lv.pools.map((p) => p.name);
    const levelPoolSet = new Set(levelPools);
    (lv.gates ?? []).forEach((g, gi) => {
      const gp = pointer(pointer(lp, 'gates'), gi);
      checkInputs(g.inputs, gp, `gate "${g.name}"`);
      g.pools.forEach((n, i) => {
        if (levelPoolSet.has(n)) return;
        const other = symbols.pools.get(n);
        unknown(
          pointer(pointer(gp, 'pools'), i),
          `gate "${g.name}" mixes pool`,
          n,
          levelPools,
          other
            ? ` at level ${li + 1} (it is a pool of level ${(other.level ?? 0) + 1}; a gate mixes pools of its own level)`
            : '',
        );
      });
    });
  });

  const last = spec.model.levels[lastLevel];
  const lastNames = [...(last.gates ?? []).map((g) => g.name), ...last.pools.map((p) => p.name)];
  const lastNameSet = new Set(lastNames);
  spec.model.towers.forEach((t, i) => {
    if (lastNameSet.has(t.input)) return;
    unknown(
      pointer(pointer('/model/towers', i), 'input'),
      `tower "${t.name}" reads`,
      t.input,
      lastNames,
      ' as a gate or pool of the last level',
    );
  });

  spec.tasks.forEach((t, i) => {
    const tp = pointer('/tasks', i);
    if (t.product) {
      t.product.forEach((n, j) => {
        if (!symbols.tasks.has(n))
          unknown(pointer(pointer(tp, 'product'), j), `task "${t.name}" multiplies task`, n, symbols.tasks.keys());
      });
      return;
    }
    const tower = t.tower ?? t.name;
    if (!symbols.towers.has(tower)) {
      unknown(
        t.tower ? pointer(tp, 'tower') : pointer(tp, 'name'),
        `task "${t.name}" uses tower`,
        tower,
        symbols.towers.keys(),
        t.tower ? '' : ' (a task uses the tower named like it unless it sets `tower:`)',
      );
    }
  });

  const es = spec.training.earlyStopping;
  if (es && !symbols.tasks.has(es.task))
    unknown('/training/earlyStopping/task', 'early stopping watches task', es.task, symbols.tasks.keys());
  if (spec.scenarios && !symbols.features.has(spec.scenarios.feature))
    unknown('/scenarios/feature', 'scenarios.feature names feature', spec.scenarios.feature, symbols.features.keys());
}
