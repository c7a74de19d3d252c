// Shapes around gates.
//   gate-width: a gate's output is a weighted sum of its experts' outputs, so every pool it mixes
//     must end in the same width (the last entry of `units`).
//   pool-needs-gate: a tower reads one vector; a pool of several experts gives several, so a tower
//     may read a pool directly only when it has count 1 (Shared-Bottom). Otherwise put a gate over it.
//   level-inputs: after the first level a pool must say what it reads. The default (every feature
//     group) would silently ignore the previous level, whose gates then feed nothing; we require
//     `inputs` (a gate of the previous level, or groups when that is really meant). A gate at such
//     a level may omit `inputs`: it reads what its first pool reads, which is then explicit.
//   gate-topk: keeping the k largest weights needs k below the number of experts mixed (k equal
//     to it keeps them all: a warning; k above it: an error).
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

const lastUnit = (units: readonly number[]) => units[units.length - 1];

/** Index of the first item of each name. */
function firstIndexByName(xs: readonly { name: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  xs.forEach((x, i) => {
    if (!m.has(x.name)) m.set(x.name, i);
  });
  return m;
}

export function gateWidth(ctx: RuleContext): void {
  const { spec } = ctx;
  spec.model.levels.forEach((lv, li) => {
    const lp = pointer('/model/levels', li);
    const poolIndex = new Map<string, number>();
    lv.pools.forEach((p, pi) => {
      if (!poolIndex.has(p.name)) poolIndex.set(p.name, pi);
      if (li > 0 && !p.inputs) {
        const prev = (spec.model.levels[li - 1].gates ?? []).map((g) => `"${g.name}"`);
        ctx.report({
          code: 'level-inputs',
          path: pointer(pointer(pointer(lp, 'pools'), pi), 'name'),
          message: `pool "${p.name}" at level ${li + 1} declares no inputs; after the first level a pool must say what it reads. Add inputs: [<a gate of level ${li}>]${prev.length ? ` (${prev.join(', ')})` : ''} or the feature groups it should read.`,
        });
      }
    });
    const poolPath = (n: string) => pointer(pointer(lp, 'pools'), poolIndex.get(n)!);

    (lv.gates ?? []).forEach((g, gi) => {
      const gp = pointer(pointer(lp, 'gates'), gi);
      const mixed = g.pools.map((n, j) => ({ n, j })).filter((x) => poolIndex.has(x.n));
      const first = mixed[0];
      if (first) {
        const width = lastUnit(lv.pools[poolIndex.get(first.n)!].units);
        for (const m of mixed.slice(1)) {
          const w = lastUnit(lv.pools[poolIndex.get(m.n)!].units);
          if (w === width) continue;
          ctx.report({
            code: 'gate-width',
            path: pointer(pointer(gp, 'pools'), m.j),
            message: `gate "${g.name}" mixes pools of different widths: "${first.n}" outputs ${width}, "${m.n}" outputs ${w}. A gate adds its experts' outputs, so make the last entries of their units equal.`,
            related: [
              { path: pointer(poolPath(first.n), 'units'), message: `"${first.n}" ends in ${width}` },
              { path: pointer(poolPath(m.n), 'units'), message: `"${m.n}" ends in ${w}` },
            ],
          });
        }
      }
      if (g.topK !== undefined && mixed.length === g.pools.length) {
        const experts = mixed.reduce((s, m) => s + lv.pools[poolIndex.get(m.n)!].count, 0);
        if (g.topK >= experts)
          ctx.report({
            code: 'gate-topk',
            path: pointer(gp, 'topK'),
            severity: g.topK > experts ? 'error' : 'warning',
            message: `gate "${g.name}" keeps the top ${g.topK} of ${experts} experts${g.topK > experts ? ', more than it has' : ', which is all of them'}. Use a topK below ${experts}, or remove topK.`,
          });
      }
    });
  });

  const li = spec.model.levels.length - 1;
  const last = spec.model.levels[li];
  // Looked up by name, not searched per tower: thousands of towers and gates stay linear.
  const lastGates = new Set((last.gates ?? []).map((g) => g.name));
  const poolIndex = firstIndexByName(last.pools);
  spec.model.towers.forEach((t, ti) => {
    if (lastGates.has(t.input)) return;
    const pi = poolIndex.get(t.input) ?? -1;
    if (pi < 0 || last.pools[pi].count === 1) return;
    ctx.report({
      code: 'pool-needs-gate',
      path: pointer(pointer('/model/towers', ti), 'input'),
      message: `tower "${t.name}" reads pool "${t.input}", which has ${last.pools[pi].count} experts; a tower reads one vector. Put a gate over the pool and read the gate (or give the pool count: 1).`,
      related: [
        {
          path: pointer(pointer(pointer(pointer('/model/levels', li), 'pools'), pi), 'count'),
          message: `"${t.input}" has ${last.pools[pi].count} experts`,
        },
      ],
    });
  });
}
