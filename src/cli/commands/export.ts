// `mmoe-compile export <model-folder> --format onnx -o <file.onnx>`: the model of a compiled or
// trained output folder as an ONNX file (opset 17) for ONNX Runtime and other ONNX servers. The
// feature pipeline is not in the file: records are encoded by the folder's pipeline.json.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Io } from '../output.js';

interface ExportOpts {
  format: 'onnx';
  output: string;
}

function parseExportFormat(v: string): 'onnx' {
  if (v !== 'onnx') throw new InvalidArgumentError('expected onnx (the only export format)');
  return v;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('export')
    .description('write the model of a compiled or trained folder as ONNX (opset 17), for ONNX Runtime')
    .argument('<model-folder>', 'compiled or trained output folder (e.g. out/ecom)')
    .option('--format <format>', 'onnx', parseExportFormat, 'onnx')
    .requiredOption('-o, --output <file.onnx>', 'the .onnx file to write (an existing file is replaced only if mmoe-compile wrote it)')
    .action(async (dir: string, opts: ExportOpts) => {
      const [{ exportOnnx }, { readExportInput, writeOnnxFile, ExportIoError }] = await Promise.all([import('../../export/onnx/export.js'), import('../../export/onnx/node.js')]);
      try {
        const input = readExportInput(dir);
        const out = exportOnnx(input);
        writeOnnxFile(opts.output, out.bytes);
        io.err(`inputs: ${out.inputs.join(', ')}; outputs: ${out.outputs.join(', ')} (batch axis "batch")`);
        io.out(`wrote ${opts.output} (ONNX opset ${out.opset}, ${(out.bytes.byteLength / 1024).toFixed(0)} KiB)`);
        setExit(0);
      } catch (err) {
        if (err instanceof ExportIoError) {
          io.err(`mmoe-compile: ${err.message}`);
          setExit(2);
          return;
        }
        if (err instanceof Error && /^(cannot export|model\.json|weights\.bin|weight ")/.test(err.message)) {
          io.err(`mmoe-compile: ${dir}: ${err.message}`);
          setExit(1);
          return;
        }
        throw err;
      }
    });
}
