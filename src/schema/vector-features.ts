// Vector features (`type: vector`): one feature over many numeric columns. After the schema
// check and the `vector-columns` rule, each vector is expanded in place into one numeric feature
// per column, named like its column, with the vector's normalization and missing policy; a group
// listing the vector lists the components instead, in the same place. Every later phase (rules,
// IR, data pipeline, build, export, serving) sees only numeric features, so a vector over
// x0..x99 gives exactly the model inputs, in the same order, of the 100 features written out.
//
// The spec paths of everything after an expanded vector move; the location index is rebuilt so
// that each path still points where its value is written, and a component's paths point into
// the vector (its name at its column's entry, or at `prefix`).
import { pointer, type LocIndex, type NodeLoc } from './source.js';
import type { Feature, Spec, VectorFeatureSpec, WrittenSpec } from './spec-schema.js';

/** The columns of a vector, in order ([] when the spec gives neither form). */
export function vectorColumns(f: VectorFeatureSpec): string[] {
  if (f.columns) return [...f.columns];
  if (f.prefix !== undefined && f.count !== undefined)
    return Array.from({ length: f.count }, (_, k) => `${f.prefix}${k}`);
  return [];
}

/** Spec path of the place a component's column is written. */
function columnPath(vectorPath: string, f: VectorFeatureSpec, k: number): string {
  return f.columns ? pointer(pointer(vectorPath, 'columns'), k) : pointer(vectorPath, 'prefix');
}

function component(f: VectorFeatureSpec, column: string): Feature {
  return {
    type: 'numeric',
    name: column,
    normalization: f.normalization,
    // what the schema fills in for a numeric feature written by hand
    embeddingDim: 8,
    ...(f.missing ? { missing: { ...f.missing } } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
  };
}

/** Copy every location under `from` to the same relative path under `to`. */
function copyTree(src: LocIndex, dst: LocIndex, from: string, to: string): void {
  for (const [p, loc] of src) {
    if (p === from || p.startsWith(`${from}/`)) dst.set(to + p.slice(from.length), loc);
  }
}

/** Rewrite the index of `/list/i...` paths: old index -> new index (or dropped when null). */
function remapList(src: LocIndex, dst: LocIndex, list: string, newIndex: (i: number) => number | null): void {
  const prefix = `${list}/`;
  for (const [p, loc] of src) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    const head = slash < 0 ? rest : rest.slice(0, slash);
    if (!/^\d+$/.test(head)) continue;
    const j = newIndex(Number(head));
    if (j === null) continue;
    dst.set(`${prefix}${j}${slash < 0 ? '' : rest.slice(slash)}`, loc);
  }
}

export interface ExpandedSpec {
  spec: Spec;
  locs: LocIndex;
}

/**
 * Expand every vector feature of a checked spec (the `vector-columns` rule passed: every vector
 * has columns, each a valid name). Returns the spec unchanged (and the same index) when there
 * is no vector.
 */
export function expandVectorFeatures(written: WrittenSpec, locs: LocIndex): ExpandedSpec {
  const vectors = new Map<string, string[]>();
  for (const f of written.features) if (f.type === 'vector') vectors.set(f.name, vectorColumns(f));
  if (vectors.size === 0) return { spec: written as Spec, locs };

  const out: LocIndex = new Map();
  // Everything outside the two lists keeps its path.
  for (const [p, loc] of locs) {
    if (!p.startsWith('/features/') && !p.startsWith('/featureGroups/')) out.set(p, loc);
  }
  const features: Feature[] = [];
  const featureIndex: number[] = [];
  written.features.forEach((f, i) => {
    const at = pointer('/features', i);
    featureIndex.push(features.length);
    if (f.type !== 'vector') {
      features.push(f);
      return;
    }
    const vectorLoc = locs.get(at);
    vectorColumns(f).forEach((col, k) => {
      const cp = pointer('/features', features.length);
      features.push(component(f, col));
      if (vectorLoc) out.set(cp, vectorLoc);
      for (const key of ['type', 'normalization']) {
        const l = locs.get(pointer(at, key));
        if (l) out.set(pointer(cp, key), l);
      }
      copyTree(locs, out, pointer(at, 'missing'), pointer(cp, 'missing'));
      const name: NodeLoc | undefined = locs.get(columnPath(at, f, k)) ?? locs.get(pointer(at, 'name'));
      if (name) out.set(pointer(cp, 'name'), name);
    });
  });
  remapList(locs, out, '/features', (i) => (written.features[i]?.type === 'vector' ? null : featureIndex[i]));
  if (locs.has('/features')) out.set('/features', locs.get('/features')!);

  const featureGroups: Record<string, string[]> = {};
  for (const [g, names] of Object.entries(written.featureGroups)) {
    const gp = pointer('/featureGroups', g);
    const listed: string[] = [];
    const origin: number[] = [];
    names.forEach((n, j) => {
      const cols = vectors.get(n);
      for (const c of cols ?? [n]) {
        listed.push(c);
        origin.push(j);
      }
    });
    featureGroups[g] = listed;
    const own = locs.get(gp);
    if (own) out.set(gp, own);
    // each listed name points at the entry it came from (a component at the vector's entry)
    origin.forEach((j, k) => {
      const l = locs.get(pointer(gp, j));
      if (l) out.set(pointer(gp, k), l);
    });
  }
  return { spec: { ...written, features, featureGroups } as Spec, locs: out };
}
