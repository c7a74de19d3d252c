// `mmoe-compile predict <model-dir> --input FILE`: score raw records (CSV or JSON Lines) with a
// trained model folder; one output column per task, in input order, as CSV or JSON Lines.
import type { Command } from 'commander';
import { writeFileSync, renameSync } from 'node:fs';
import type { Io } from '../../util/output.js';
import { parseBackend } from './build.js';
import { withDataErrors } from './evaluate.js';
import type { BackendPreference } from '../../engine/backend.js';
import { collect } from '../options.js';

interface PredictOpts {
  input: string;
  output?: string;
  keep?: string[];
  backend: BackendPreference;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('predict')
    .description('score records (CSV or .jsonl) with a trained model folder; one column per task')
    .argument('<model-dir>', 'trained model folder (e.g. out/ecom)')
    .requiredOption('-i, --input <file>', 'records: CSV (header row) or JSON Lines')
    .option('-o, --output <file>', 'write here (.csv or .jsonl) instead of stdout')
    .option('--keep <column>', 'copy this input column into the output (repeatable), e.g. an id', collect)
    .option('--backend <name>', 'auto, node, wasm or cpu', parseBackend, 'auto')
    .action(withDataErrors(io, setExit, async (dir: string, opts: PredictOpts) => {
      const score = await import('../../train/score.js');
      const folder = score.readModelFolder(dir);
      const table = await score.readRecords(opts.input, folder.spec);
      const { data, preds, backend } = await score.scoreTable(folder, table, opts.backend);
      io.err(`backend: ${backend}; scored ${data.n} rows${data.skipped ? ` (${data.skipped} skipped: ${data.skipReasons[0]})` : ''}`);
      const tasks = [...preds.keys()];
      const keep = opts.keep ?? [];
      for (const k of keep) if (!table.columns.has(k)) throw new (await import('../../util/diagnostics.js')).UsageError(`--keep ${k}: the input has no column "${k}"`);
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
