// JSON with object keys sorted at every depth (arrays keep their order; undefined members are
// dropped): the same value always gives the same bytes. The one stable-JSON helper: artifacts,
// summaries, diffs and records all go through it.

/** Sorted-key JSON; `indent` as in JSON.stringify (none by default: one line). */
export function stableStringify(value: unknown, indent?: number): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = sort(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, indent);
}

/** Stable JSON file content: object keys sorted at every depth, 2-space indent, trailing newline. */
export function stableJson(v: unknown): string {
  return stableStringify(v, 2) + '\n';
}
