// Names must be unique: features among features, tasks among tasks, and pools, gates, towers and
// feature groups in one namespace (inputs may name a group or a gate, so the two must not clash).
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

const COMPONENT = new Set(['group', 'pool', 'gate', 'tower']);

export function uniqueNames(ctx: RuleContext): void {
  const seen = new Map<string, { kind: string; path: string }>();
  for (const s of ctx.symbols.all) {
    const ns = COMPONENT.has(s.kind) ? 'component' : s.kind;
    const key = `${ns}:${s.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { kind: s.kind, path: s.path });
      continue;
    }
    // A group's path is its key; for list items, point at the `name` value.
    const at = (p: string, kind: string) => (kind === 'group' ? p : pointer(p, 'name'));
    ctx.report({
      code: 'duplicate-name',
      path: at(s.path, s.kind),
      atKey: s.kind === 'group',
      message: `${s.kind} name "${s.name}" is already used by a ${first.kind}; names of ${ns === 'component' ? 'groups, pools, gates and towers' : `${s.kind}s`} must be unique`,
      related: [{ path: at(first.path, first.kind), message: `"${s.name}" first defined here` }],
    });
  }
}
