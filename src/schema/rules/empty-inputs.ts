// Nothing may be built over nothing. A feature group with no features that something reads is an
// error (`empty-group`, at the group, with its readers). A pool whose experts would read only
// empty things (empty groups, or gates of the previous level that are themselves empty) and a
// gate that mixes only such pools are errors too (`empty-pool`). Unresolved names are left to
// unknown-references; an empty group that nothing reads is only an `unused` warning.
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';
import { inputKey, type InputRef } from './readers.js';

export function emptyInputs(ctx: RuleContext): void {
  const { spec, readers } = ctx;
  for (const [g, names] of Object.entries(spec.featureGroups)) {
    const reads = readers.groups.get(g);
    if (names.length > 0 || !reads) continue;
    const explicit = reads.filter((r) => !r.implicit);
    ctx.report({
      code: 'empty-group',
      path: pointer('/featureGroups', g),
      atKey: true,
      message: `feature group "${g}" lists no features, but ${reads
        .map((r) => r.by)
        .filter((b, i, a) => a.indexOf(b) === i)
        .join(
          ', ',
        )} read${reads.length === 1 ? 's' : ''} it${explicit.length < reads.length ? ' (a pool without `inputs` reads every group)' : ''}. Add features to it or remove it.`,
      related: explicit.map((r) => ({ path: r.path, message: `read by ${r.by}` })),
    });
  }

  // Emptiness flows forward level by level: a gate is empty when every pool it mixes is.
  const emptyGates = new Set<string>();
  const isEmpty = (ref: InputRef) =>
    ref.kind === 'group'
      ? (spec.featureGroups[ref.name]?.length ?? 1) === 0
      : emptyGates.has(inputKey(ref.level, ref.name));
  spec.model.levels.forEach((lv, li) => {
    const lp = pointer('/model/levels', li);
    const emptyPools = new Set<string>();
    lv.pools.forEach((p, pi) => {
      const inputs = readers.inputs.get(inputKey(li, p.name)) ?? [];
      if (inputs.length === 0 || !inputs.every(isEmpty)) return;
      emptyPools.add(p.name);
      const pp = pointer(pointer(lp, 'pools'), pi);
      ctx.report({
        code: 'empty-pool',
        path: pointer(pp, p.inputs ? 'inputs' : 'name'),
        message: `the experts of pool "${p.name}" would have no input: ${inputs.map((r) => `"${r.name}"`).join(', ')} ${inputs.length === 1 ? 'is' : 'are'} empty. Give the pool inputs with features.`,
      });
    });
    const levelPools = new Set(lv.pools.map((p) => p.name));
    (lv.gates ?? []).forEach((g, gi) => {
      const known = g.pools.filter((n) => levelPools.has(n));
      if (known.length === 0 || !known.every((n) => emptyPools.has(n))) return;
      emptyGates.add(inputKey(li, g.name));
      ctx.report({
        code: 'empty-pool',
        path: pointer(pointer(pointer(lp, 'gates'), gi), 'pools'),
        message: `gate "${g.name}" mixes only pools whose experts have no input (${known.map((n) => `"${n}"`).join(', ')}). Give those pools inputs with features.`,
      });
    });
  });
}
