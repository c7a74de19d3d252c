// Who reads what, resolved the way the lowering resolves it (src/compiler/lower.ts): a pool or
// gate input names a feature group or a gate of the previous level; a pool without `inputs`
// reads every feature group; a gate without `inputs` reads what its first pool reads; towers read
// a gate or pool of the last level; a task reads its tower (or, for a product, other tasks).
// Names that do not resolve are skipped: unknown-references reports them.
import { pointer } from '../source.js';
import type { Spec } from '../spec-schema.js';

/** One read of a named thing: where the reference is written and who makes it. */
export interface Read {
  /** Spec path of the reference (the list item), or of the reader when the read is implicit. */
  path: string;
  /** "pool \"experts\"", "tower \"ctr\"", ... */
  by: string;
  /** True when no reference is written (a pool without `inputs` reads every group). */
  implicit: boolean;
}

export type InputRef = { kind: 'group'; name: string } | { kind: 'gate'; name: string; level: number };

export interface Readers {
  groups: Map<string, Read[]>;
  gates: Map<string, Read[]>;
  pools: Map<string, Read[]>;
  towers: Map<string, Read[]>;
  tasks: Map<string, Read[]>;
  /** Resolved inputs per pool and gate, keyed "level/name" (duplicated names keep the first). */
  inputs: Map<string, InputRef[]>;
}

export const inputKey = (level: number, name: string) => `${level}/${name}`;

export function buildReaders(spec: Spec): Readers {
  const r: Readers = {
    groups: new Map(),
    gates: new Map(),
    pools: new Map(),
    towers: new Map(),
    tasks: new Map(),
    inputs: new Map(),
  };
  const add = (m: Map<string, Read[]>, name: string, read: Read) => {
    const list = m.get(name);
    if (list) list.push(read);
    else m.set(name, [read]);
  };
  const groupNames = Object.keys(spec.featureGroups);
  const levels = spec.model.levels;

  levels.forEach((lv, li) => {
    const lp = pointer('/model/levels', li);
    const prevGates = new Set(li > 0 ? (levels[li - 1].gates ?? []).map((g) => g.name) : []);
    const resolve = (names: readonly string[] | undefined, base: string, by: string): InputRef[] => {
      if (!names) {
        groupNames.forEach((g) => add(r.groups, g, { path: base, by, implicit: true }));
        return groupNames.map((name) => ({ kind: 'group', name }));
      }
      const out: InputRef[] = [];
      names.forEach((n, i) => {
        const read = { path: pointer(pointer(base, 'inputs'), i), by, implicit: false };
        if (Object.prototype.hasOwnProperty.call(spec.featureGroups, n)) {
          add(r.groups, n, read);
          out.push({ kind: 'group', name: n });
        } else if (prevGates.has(n)) {
          add(r.gates, inputKey(li - 1, n), read);
          out.push({ kind: 'gate', name: n, level: li - 1 });
        }
      });
      return out;
    };
    const poolInputs = new Map<string, InputRef[]>();
    lv.pools.forEach((p, pi) => {
      const inputs = resolve(p.inputs, pointer(pointer(lp, 'pools'), pi), `pool "${p.name}"`);
      if (!poolInputs.has(p.name)) poolInputs.set(p.name, inputs);
      if (!r.inputs.has(inputKey(li, p.name))) r.inputs.set(inputKey(li, p.name), inputs);
    });
    (lv.gates ?? []).forEach((g, gi) => {
      const gp = pointer(pointer(lp, 'gates'), gi);
      g.pools.forEach((n, i) => {
        if (poolInputs.has(n))
          add(r.pools, inputKey(li, n), {
            path: pointer(pointer(gp, 'pools'), i),
            by: `gate "${g.name}"`,
            implicit: false,
          });
      });
      const inputs = g.inputs ? resolve(g.inputs, gp, `gate "${g.name}"`) : (poolInputs.get(g.pools[0]) ?? []);
      if (!r.inputs.has(inputKey(li, g.name))) r.inputs.set(inputKey(li, g.name), inputs);
    });
  });

  const li = levels.length - 1;
  const last = levels[li];
  const lastGates = new Set((last.gates ?? []).map((g) => g.name));
  const lastPools = new Set(last.pools.map((p) => p.name));
  spec.model.towers.forEach((t, ti) => {
    const read = { path: pointer(pointer('/model/towers', ti), 'input'), by: `tower "${t.name}"`, implicit: false };
    if (lastGates.has(t.input)) add(r.gates, inputKey(li, t.input), read);
    else if (lastPools.has(t.input)) add(r.pools, inputKey(li, t.input), read);
  });

  spec.tasks.forEach((t, ti) => {
    const tp = pointer('/tasks', ti);
    if (t.product) {
      t.product.forEach((n, j) =>
        add(r.tasks, n, { path: pointer(pointer(tp, 'product'), j), by: `task "${t.name}"`, implicit: false }),
      );
      return;
    }
    add(r.towers, t.tower ?? t.name, {
      path: pointer(tp, t.tower ? 'tower' : 'name'),
      by: `task "${t.name}"`,
      implicit: !t.tower,
    });
  });
  return r;
}
