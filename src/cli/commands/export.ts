// `mmoe-compile export <model-folder> --format onnx|torch -o <path>`: the model of a compiled or
// trained output folder for another engine.
//   onnx   one .onnx file (opset 17) for ONNX Runtime and other ONNX servers; the feature
//          pipeline is not in the file: records are encoded by the folder's pipeline.json
//   torch  a Python package generated from the IR (model.py, pipeline.py, train.py for one
//          process or torchrun); see docs/scale-out.md
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../util/diagnostics.js';
import type { Io } from '../../util/output.js';

const EXPORT_FORMATS = ['onnx', 'torch'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportOpts {
  format: ExportFormat;
  output: string;
}

function parseExportFormat(v: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(v)) return v as ExportFormat;
  throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}`);
}

async function exportTorch(dir: string, opts: ExportOpts, io: Io): Promise<number> {
  const { exportTorchPackage, ExportError } = await import('../../export/torch/write.js');
  try {
    const files = exportTorchPackage(dir, opts.output);
    io.err(`wrote ${opts.output}/ (${files.join(', ')})`);
    return 0;
  } catch (e) {
    if (e instanceof ExportError) throw new UsageError(e.message);
    throw e;
  }
}

async function exportOnnxFile(dir: string, opts: ExportOpts, io: Io): Promise<number> {
  const [{ exportOnnx }, { readExportInput, writeOnnxFile, ExportIoError }] = await Promise.all([
    import('../../export/onnx/export.js'),
    import('../../export/onnx/node.js'),
  ]);
  try {
    const input = readExportInput(dir);
    const out = exportOnnx(input);
    writeOnnxFile(opts.output, out.bytes);
    io.err(`inputs: ${out.inputs.join(', ')}; outputs: ${out.outputs.join(', ')} (batch axis "batch")`);
    io.out(`wrote ${opts.output} (ONNX opset ${out.opset}, ${(out.bytes.byteLength / 1024).toFixed(0)} KiB)`);
    return 0;
  } catch (err) {
    if (err instanceof ExportIoError) {
      io.err(`mmoe-compile: ${err.message}`);
      return 2;
    }
    if (err instanceof Error && /^(cannot export|model\.json|weights\.bin|weight ")/.test(err.message)) {
      io.err(`mmoe-compile: ${dir}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('export')
    .description(
      'export a compiled or trained folder for another engine: onnx (an ONNX file for ONNX Runtime) or torch (a PyTorch package that trains with torchrun)',
    )
    .argument('<model-folder>', 'compiled or trained output folder (e.g. out/ecom)')
    .option('--format <format>', `${EXPORT_FORMATS.join(' or ')}`, parseExportFormat, 'onnx')
    .requiredOption(
      '-o, --output <path>',
      'onnx: the .onnx file (an existing file is replaced only if mmoe-compile wrote it); torch: the package folder (absent, empty, or an earlier export)',
    )
    .action(async (dir: string, opts: ExportOpts) =>
      setExit(opts.format === 'torch' ? await exportTorch(dir, opts, io) : await exportOnnxFile(dir, opts, io)),
    );
}
