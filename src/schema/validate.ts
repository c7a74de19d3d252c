// The validation pipeline: load (positions, extends, --set) -> structure (ajv, defaults) ->
// semantic rules on the complete spec. Each tier runs only when the previous one produced a
// usable value; within a tier every problem is collected.
import { sortDiagnostics, type Diagnostic } from '../util/diagnostics.js';
import { loadSpec, type LoadedSpec } from './load.js';
import type { ReadOptions } from './paths.js';
import { createContext } from './rules/context.js';
import { specifiedRules } from './rules/index.js';
import { checkDataPaths } from './spec-paths.js';
import type { Spec } from './spec-schema.js';
import { validateStructure } from './structural.js';
import { vectorColumnsRule } from './rules/vector-columns.js';
import { expandVectorFeatures } from './vector-features.js';

export interface ValidatedSpec {
  loaded: LoadedSpec;
  /** Present when there are no errors (warnings allowed). */
  spec?: Spec;
  diagnostics: Diagnostic[];
}

const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === 'error');

/** At most this many diagnostics per spec (GraphQL-js caps too): a list of 10^5 bad items should
 * not print 10^5 code frames. The rest are summarised in one last diagnostic. */
export const MAX_DIAGNOSTICS = 200;

function capDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const sorted = sortDiagnostics(ds);
  if (sorted.length <= MAX_DIAGNOSTICS) return sorted;
  // Errors before warnings when choosing what to show; shown in file order.
  const chosen = [
    ...sorted.filter((d) => d.severity === 'error'),
    ...sorted.filter((d) => d.severity !== 'error'),
  ].slice(0, MAX_DIAGNOSTICS);
  const kept = new Set(chosen);
  const rest = sorted.filter((d) => !kept.has(d));
  const errors = rest.filter((d) => d.severity === 'error').length;
  const { file, line, column } = rest[0];
  return [
    ...sortDiagnostics(chosen),
    {
      file,
      line,
      column,
      severity: errors > 0 ? 'error' : 'warning',
      code: 'too-many-diagnostics',
      message: `${rest.length} more problems are not shown (${errors} errors, ${rest.length - errors} warnings), the first of them here; fix the ones above and run again`,
    },
  ];
}

/** Run the semantic rules on a structurally valid spec. */
export function checkSemantics(spec: Spec, loaded: Pick<LoadedSpec, 'locs' | 'file'>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = createContext(spec, loaded.locs, loaded.file, (d) => out.push(d));
  for (const rule of specifiedRules) {
    try {
      rule(ctx);
    } catch (e) {
      // A rule must never take the whole run down; report it as our bug, located at the file.
      out.push({
        file: loaded.file,
        line: 1,
        column: 1,
        severity: 'error',
        code: 'internal-error',
        message: `rule ${rule.name} failed: ${(e as Error).message}`,
      });
    }
  }
  return out;
}

/** Validate one spec file. Throws SpecIoError when the root file cannot be read. */
export function validateSpec(path: string, sets: readonly string[] = [], read: ReadOptions = {}): ValidatedSpec {
  let loaded = loadSpec(path, sets, read);
  const diagnostics = [...loaded.diagnostics];
  const done = () => ({ loaded, diagnostics: capDiagnostics(diagnostics) });
  if (hasErrors(diagnostics) || loaded.value === undefined) return done();
  const structural = validateStructure(loaded.value, loaded.locs, loaded.file);
  for (const d of structural.diagnostics) diagnostics.push(d); // not push(...): there may be 10^5 of them
  if (!structural.spec) return done();
  // Vector features are checked as written, then expanded into numeric features (and the
  // location index rebuilt) before every other rule runs.
  const vectorProblems: Diagnostic[] = [];
  if (structural.spec.features.some((f) => (f.type as string) === 'vector'))
    vectorColumnsRule(createContext(structural.spec, loaded.locs, loaded.file, (d) => vectorProblems.push(d)));
  diagnostics.push(...vectorProblems);
  if (hasErrors(vectorProblems)) return done();
  const expanded = expandVectorFeatures(structural.spec, loaded.locs);
  loaded = { ...loaded, locs: expanded.locs };
  diagnostics.push(...checkSemantics(expanded.spec, loaded));
  diagnostics.push(...checkDataPaths(expanded.spec, loaded));
  const result: ValidatedSpec = done();
  if (!hasErrors(diagnostics)) result.spec = expanded.spec;
  return result;
}
