// The data files a spec names (`data.train`, `data.test`, each `vocabularyFile`), checked
// against the read policy when the spec is validated, so `validate`, `check`, `explain` and
// `diff` refuse a spec that points at a file outside the project before anything reads it.
// Paths are relative to the root spec file (the one given on the command line).
import { dirname } from 'node:path';
import type { Diagnostic } from '../util/diagnostics.js';
import type { LoadedSpec } from './load.js';
import { checkNamedPath } from './paths.js';
import { locate } from './source.js';
import type { Spec } from './spec-schema.js';

export interface NamedDataPath {
  /** JSON pointer of the value in the merged spec. */
  pointer: string;
  written: string;
}

export function dataPathsOf(spec: Spec): NamedDataPath[] {
  const out: NamedDataPath[] = [];
  if (spec.data.source === 'csv') {
    out.push({ pointer: '/data/train', written: spec.data.train });
    if (spec.data.test !== undefined) out.push({ pointer: '/data/test', written: spec.data.test });
  }
  spec.features.forEach((f, i) => {
    if (f.type !== 'numeric' && f.type !== 'cross' && f.vocabularyFile !== undefined)
      out.push({ pointer: `/features/${i}/vocabularyFile`, written: f.vocabularyFile });
  });
  return out;
}

export function checkDataPaths(
  spec: Spec,
  loaded: Pick<LoadedSpec, 'locs' | 'file' | 'absPath' | 'policy'>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of dataPathsOf(spec)) {
    const r = checkNamedPath(loaded.policy, dirname(loaded.absPath), p.written, 'data');
    if (!('code' in r)) continue;
    const at = locate(loaded.locs, p.pointer)?.value ?? { file: loaded.file, line: 1, column: 1 };
    out.push({ ...at, severity: 'error', code: r.code, path: p.pointer, message: r.message });
  }
  return out;
}
