// `mmoe-compile export <model-folder> --format torch -o <dir>`: the model folder (from build or
// train) as another engine's package. torch: a Python package (model.py generated from the IR,
// pipeline.py, train.py for one process or torchrun); see src/export/torch/export.ts.
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../schema/diagnostics.js';
import type { Io } from '../output.js';

const EXPORT_FORMATS = ['torch'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

function parseExportFormat(v: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(v)) return v as ExportFormat;
  throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}`);
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('export')
    .description('export a model folder (from build or train) for another engine: torch (a PyTorch package that trains with torchrun)')
    .argument('<model-folder>', 'a folder written by build or train')
    .requiredOption('--format <format>', `target: ${EXPORT_FORMATS.join(', ')}`, parseExportFormat)
    .requiredOption('-o, --out <path>', 'output folder (torch)')
    .action(async (folder: string, opts: { format: ExportFormat; out: string }) => {
      const { exportTorchPackage, ExportError } = await import('../../export/torch/write.js');
      try {
        const files = exportTorchPackage(folder, opts.out);
        io.err(`wrote ${opts.out}/ (${files.join(', ')})`);
        setExit(0);
      } catch (e) {
        if (e instanceof ExportError) throw new UsageError(e.message);
        throw e;
      }
    });
}
