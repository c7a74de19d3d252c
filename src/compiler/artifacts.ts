// Atomic output: every artifact is written into a fresh temporary folder next to the target,
// which then replaces the target in one rename. A crash or an error leaves either the old
// output or the new one, never a half-written mix. Only a folder that is absent, empty or
// written by this tool is replaced (src/util/safe-output.ts).
import { writeFolderAtomic, type ArtifactFiles } from '../util/safe-output.js';
import { stableStringify } from './stable-json.js';

export type { ArtifactFiles };

/** Stable JSON: object keys sorted at every depth, 2-space indent, trailing newline. */
export function stableJson(v: unknown): string {
  return stableStringify(v, 2) + '\n';
}

/** `kind` is recorded in the folder's marker: model (build, train) or checkpoint. */
export function writeArtifactsAtomic(outDir: string, files: ArtifactFiles, kind = 'model'): void {
  writeFolderAtomic(outDir, files, kind);
}
