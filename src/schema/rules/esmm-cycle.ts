// A product task multiplies other tasks' outputs (ESMM: pCTCVR = pCTR x pCVR). Products of
// products are fine while the "multiplies" graph is acyclic; a task that reaches itself through
// `product` has no defined output. Each cycle is reported once, at the reference that closes it
// (depth-first search in task order; an explicit stack, so a long chain cannot overflow).
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function esmmCycle(ctx: RuleContext): void {
  const { tasks } = ctx.spec;
  const index = new Map<string, number>();
  tasks.forEach((t, i) => {
    if (!index.has(t.name)) index.set(t.name, i);
  });
  const productPath = (i: number, j: number) => pointer(pointer(pointer('/tasks', i), 'product'), j);
  const state = new Map<number, 'active' | 'done'>();

  const report = (path: number[], i: number, j: number, k: number) => {
    const cycle = [...path.slice(path.indexOf(k)), k];
    const n = tasks[k].name;
    const edges = cycle.slice(0, -1).map((c, e) => ({ from: c, to: cycle[e + 1] }));
    ctx.report({
      code: 'esmm-cycle',
      path: productPath(i, j),
      message:
        cycle.length === 2
          ? `task "${n}" multiplies itself: a product multiplies other tasks' outputs. Remove "${n}" from its product.`
          : `task "${n}" depends on itself through product: ${cycle.map((c) => tasks[c].name).join(' -> ')}. A product multiplies other tasks' outputs, so the chain must end at tasks with towers.`,
      related: edges
        .filter((e) => e.from !== i)
        .map((e) => ({
          path: productPath(e.from, (tasks[e.from].product ?? []).indexOf(tasks[e.to].name)),
          message: `"${tasks[e.from].name}" multiplies "${tasks[e.to].name}" here`,
        })),
    });
  };

  tasks.forEach((_, root) => {
    if (state.has(root) || index.get(tasks[root].name) !== root) return;
    const path: number[] = [root];
    const next: number[] = [0];
    state.set(root, 'active');
    while (path.length) {
      const i = path[path.length - 1];
      const j = next[next.length - 1]++;
      const factors = tasks[i].product ?? [];
      if (j >= factors.length) {
        state.set(i, 'done');
        path.pop();
        next.pop();
        continue;
      }
      const k = index.get(factors[j]);
      if (k === undefined) continue; // unknown-references reports it
      if (state.get(k) === 'active') report(path, i, j, k);
      else if (!state.has(k)) {
        state.set(k, 'active');
        path.push(k);
        next.push(0);
      }
    }
  });
}
