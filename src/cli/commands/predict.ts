// `mmoe-compile predict <model-dir> --input FILE`: score raw records (CSV or JSON Lines) with a
// trained model folder; one output column per task, in input order, as CSV or JSON Lines.
import { InvalidArgumentError, type Command } from 'commander';
import { writeFileSync, renameSync } from 'node:fs';
import type { Io } from '../output.js';
import { parseBackend } from './build.js';
import { withDataErrors } from './evaluate.js';
import type { BackendPreference } from '../../engine/backend.js';
import { collect } from '../options.js';
import { UsageError } from '../../schema/diagnostics.js';

interface PredictOpts {
  input: string;
  output?: string;
  keep?: string[];
  backend: BackendPreference;
  engine: 'tfjs' | 'onnxruntime' | 'onnxruntime-web';
}

const ENGINES = ['tfjs', 'onnxruntime', 'onnxruntime-web'] as const;

function parseEngine(v: string): PredictOpts['engine'] {
  if (!(ENGINES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${ENGINES.join(', ')}`);
  return v as PredictOpts['engine'];
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('predict')
    .description('score records (CSV or .jsonl) with a trained model folder; one column per task')
    .argument('<model-dir>', 'trained model folder (e.g. out/ecom)')
    .requiredOption('-i, --input <file>', 'records: CSV (header row) or JSON Lines')
    .option('-o, --output <file>', 'write here (.csv or .jsonl) instead of stdout')
    .option('--keep <column>', 'copy this input column into the output (repeatable), e.g. an id', collect)
    .option('--backend <name>', 'tfjs backend: auto, node, wasm or cpu', parseBackend, 'auto')
    .option('--engine <name>', 'tfjs, onnxruntime (onnxruntime-node) or onnxruntime-web', parseEngine, 'tfjs')
    .action(withDataErrors(io, setExit, async (dir: string, opts: PredictOpts) => {
      const score = await import('../../train/score.js');
      const folder = score.readModelFolder(dir);
      const table = await score.readRecords(opts.input, folder.spec);
      const { ExportIoError } = await import('../../export/onnx/node.js');
      const scored = await score.scoreTable(folder, table, opts.backend, opts.engine).catch((err: unknown) => {
        if (err instanceof ExportIoError) throw new UsageError(err.message);
        throw err;
      });
      const { data, preds, backend } = scored;
      io.err(`${opts.engine === 'tfjs' ? 'backend' : 'engine'}: ${backend}; scored ${data.n} rows${data.skipped ? ` (${data.skipped} skipped: ${data.skipReasons[0]})` : ''}`);
      const tasks = [...preds.keys()];
      const keep = opts.keep ?? [];
      for (const k of keep) if (!table.columns.has(k)) throw new (await import('../../schema/diagnostics.js')).UsageError(`--keep ${k}: the input has no column "${k}"`);
      const cell = (col: string, r: number) => {
        const c = table.columns.get(col)!;
        return c.missing[r] ? '' : String(c.values[r]);
      };
      const jsonl = opts.output?.endsWith('.jsonl') ?? false;
      const lines: string[] = jsonl ? [] : [[...keep, ...tasks].join(',')];
      for (let i = 0; i < data.n; i++) {
        const r = data.rows[i];
        if (jsonl) lines.push(JSON.stringify(Object.fromEntries([...keep.map((k) => [k, cell(k, r)]), ...tasks.map((t) => [t, preds.get(t)![i]])])));
        else lines.push([...keep.map((k) => JSON.stringify(cell(k, r))), ...tasks.map((t) => String(preds.get(t)![i]))].join(','));
      }
      const text = lines.join('\n') + '\n';
      if (opts.output) {
        const tmp = `${opts.output}.tmp-${process.pid}`;
        writeFileSync(tmp, text);
        renameSync(tmp, opts.output);
        io.err(`wrote ${opts.output}`);
      } else io.out(text.trimEnd());
      setExit(0);
    }));
}
