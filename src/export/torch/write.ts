// Writing the PyTorch package: atomically, and only where the tool may write (an absent path, an
// empty folder, or a folder it wrote before: src/util/safe-output.ts).
import { writeArtifactsAtomic } from '../../util/atomic-write.js';
import { ExportError, torchPackage } from './export.js';

export { ExportError };

/** Export the model folder as a PyTorch package into `out`; returns the files written. */
export function exportTorchPackage(modelDir: string, out: string): string[] {
  const pkg = torchPackage(modelDir);
  writeArtifactsAtomic(out, pkg.files, 'torch-package');
  return [...pkg.files.keys()].sort();
}
