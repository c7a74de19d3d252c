// Atomic output: every artifact is written into a fresh temporary folder next to the target,
// which then replaces the target in one rename. A crash or an error leaves either the old
// output or the new one, never a half-written mix. Only a folder that is absent, empty or
// written by this tool is replaced (src/util/safe-output.ts).
import { writeFolderAtomic, type ArtifactFiles } from './safe-output.js';

export type { ArtifactFiles };

/** `kind` is recorded in the folder's marker: model (build, train) or checkpoint. */
export function writeArtifactsAtomic(outDir: string, files: ArtifactFiles, kind = 'model'): void {
  writeFolderAtomic(outDir, files, kind);
}
