// Things defined but never read are probably mistakes (a typo in a reference, a leftover):
// warnings, because the model still builds. A feature in no group (the scenario feature is read
// by the scenario machinery and exempt), a group that no pool or gate reads, a pool that no gate
// mixes and no tower reads, a gate that nothing reads, a tower that no task uses.
// Duplicated names are left to unique-names. A thing that an unresolved reference probably meant
// (a "did you mean" candidate of it) is not reported: the unknown-reference error says it all.
import { suggest } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { Spec } from '../spec-schema.js';
import type { RuleContext } from './context.js';
import { inputKey } from './readers.js';

/** Every name written as a reference that does not resolve to anything of its kind. */
function unresolvedNames(spec: Spec): string[] {
  const features = new Set(spec.features.map((f) => f.name));
  const groups = new Set(Object.keys(spec.featureGroups));
  const gates = new Set(spec.model.levels.flatMap((l) => (l.gates ?? []).map((g) => g.name)));
  const last = spec.model.levels[spec.model.levels.length - 1];
  const lastNames = new Set([...last.pools.map((p) => p.name), ...(last.gates ?? []).map((g) => g.name)]);
  const towers = new Set(spec.model.towers.map((t) => t.name));
  const out: string[] = Object.values(spec.featureGroups)
    .flat()
    .filter((n) => !features.has(n));
  for (const lv of spec.model.levels) {
    const pools = new Set(lv.pools.map((p) => p.name));
    for (const x of [...lv.pools, ...(lv.gates ?? [])])
      for (const n of x.inputs ?? []) if (!groups.has(n) && !gates.has(n)) out.push(n);
    for (const g of lv.gates ?? []) for (const n of g.pools) if (!pools.has(n)) out.push(n);
  }
  for (const t of spec.model.towers) if (!lastNames.has(t.input)) out.push(t.input);
  for (const t of spec.tasks) if (!t.product && !towers.has(t.tower ?? t.name)) out.push(t.tower ?? t.name);
  return out;
}

export function unused(ctx: RuleContext): void {
  const { spec, readers, symbols } = ctx;
  const unresolved = unresolvedNames(spec);
  // Many unknown references: those errors come first, and matching each against every name would be quadratic.
  if (unresolved.length > 100) return;
  const meant = (name: string) => unresolved.some((r) => suggest(r, [name]).length > 0);
  const warn = (name: string, path: string, message: string, atKey = false) => {
    if (!meant(name)) ctx.report({ code: 'unused', severity: 'warning', path, atKey, message });
  };

  const grouped = new Set(Object.values(spec.featureGroups).flat());
  // a target of attention pooling is read by the sequence that attends to it
  for (const f of spec.features)
    if (f.type === 'sequence' && f.pooling === 'attention' && f.attention && grouped.has(f.name))
      grouped.add(f.attention.target);
  // the components of a hashed cross are read by it (their columns give its id)
  for (const f of spec.features) if (f.type === 'cross' && grouped.has(f.name)) for (const c of f.of) grouped.add(c);
  spec.features.forEach((f, i) => {
    if (
      grouped.has(f.name) ||
      f.name === spec.scenarios?.feature ||
      symbols.features.get(f.name)?.path !== pointer('/features', i)
    )
      return;
    warn(
      f.name,
      pointer(pointer('/features', i), 'name'),
      `feature "${f.name}" is in no feature group, so nothing reads it. Add it to a group (or remove it).`,
    );
  });
  for (const g of Object.keys(spec.featureGroups)) {
    if (!readers.groups.has(g))
      warn(
        g,
        pointer('/featureGroups', g),
        `feature group "${g}" is read by no pool or gate. List it in some inputs (or remove it).`,
        true,
      );
  }

  const lastLevel = spec.model.levels.length - 1;
  spec.model.levels.forEach((lv, li) => {
    const lp = pointer('/model/levels', li);
    lv.pools.forEach((p, pi) => {
      if (
        readers.pools.has(inputKey(li, p.name)) ||
        symbols.pools.get(p.name)?.path !== pointer(pointer(lp, 'pools'), pi)
      )
        return;
      warn(
        p.name,
        pointer(pointer(pointer(lp, 'pools'), pi), 'name'),
        `pool "${p.name}" is mixed by no gate${li === lastLevel ? ' and read by no tower' : ''}, so its experts are computed for nothing. Add it to a gate's pools${li === lastLevel ? " or a tower's input" : ''}.`,
      );
    });
    (lv.gates ?? []).forEach((g, gi) => {
      if (
        readers.gates.has(inputKey(li, g.name)) ||
        symbols.gates.get(g.name)?.path !== pointer(pointer(lp, 'gates'), gi)
      )
        return;
      const by = li === lastLevel ? 'no tower reads it' : `no pool or gate of level ${li + 2} reads it`;
      warn(
        g.name,
        pointer(pointer(pointer(lp, 'gates'), gi), 'name'),
        `gate "${g.name}" is computed for nothing: ${by}.`,
      );
    });
  });

  spec.model.towers.forEach((t, ti) => {
    if (readers.towers.has(t.name) || symbols.towers.get(t.name)?.path !== pointer('/model/towers', ti)) return;
    warn(
      t.name,
      pointer(pointer('/model/towers', ti), 'name'),
      `tower "${t.name}" is used by no task (a task uses the tower named like it, or the one its tower: names).`,
    );
  });
}
