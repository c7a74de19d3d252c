// `mmoe-compile predict <model-dir> --input FILE`: score raw records (CSV or JSON Lines) with a
// trained model folder; one output column per task (a multi-class task: its most probable class,
// then one probability column per class, score-columns.ts), in input order, as CSV or JSON Lines.
import { InvalidArgumentError, type Command } from 'commander';
import type { Io } from '../../util/output.js';
import { parseBackend } from './build.js';
import { withDataErrors } from './evaluate.js';
import type { BackendPreference } from '../../engine/backend.js';
import { collect } from '../options.js';
import { checkFileTarget, writeFileSafe } from '../../util/safe-output.js';

interface PredictOpts {
  input: string;
  output?: string;
  keep?: string[];
  force?: boolean;
  keepPrefix?: string;
  backend: BackendPreference;
  engine: 'tfjs' | 'onnxruntime' | 'onnxruntime-web';
}

const ENGINES = ['tfjs', 'onnxruntime', 'onnxruntime-web'] as const;

function parseEngine(v: string): PredictOpts['engine'] {
  if (!(ENGINES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${ENGINES.join(', ')}`);
  return v as PredictOpts['engine'];
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('predict')
    .description('score records (CSV or .jsonl) with a trained model folder; one column per task')
    .argument('<model-dir>', 'trained model folder (e.g. out/ecom)')
    .requiredOption('-i, --input <file>', 'records: CSV (header row) or JSON Lines')
    .option('-o, --output <file>', 'write here (.csv or .jsonl) instead of stdout')
    .option('--force', 'replace the --output file if it exists')
    .option(
      '--keep <column>',
      'copy this input column into the output (repeatable), e.g. an id; a column named like a task is refused unless --keep-prefix renames it',
      collect,
    )
    .option(
      '--keep-prefix <prefix>',
      'write kept columns as <prefix><column> (e.g. in_), so they cannot collide with the task columns',
    )
    .option('--backend <name>', 'tfjs backend: auto, node, wasm or cpu', parseBackend, 'auto')
    .option('--engine <name>', 'tfjs, onnxruntime (onnxruntime-node) or onnxruntime-web', parseEngine, 'tfjs')
    .action(
      withDataErrors(io, setExit, async (dir: string, opts: PredictOpts) => {
        if (opts.output) checkFileTarget(opts.output, { replace: opts.force }); // before scoring
        const score = await import('../../train/score.js');
        const folder = score.readModelFolder(dir);
        const table = await score.readRecords(opts.input, folder.spec);
        const { ExportIoError } = await import('../../export/onnx/node.js');
        const scored = await score.scoreTable(folder, table, opts.backend, opts.engine).catch((err: unknown) => {
          if (err instanceof ExportIoError) throw new UsageError(err.message);
          throw err;
        });
        const { data, preds, backend } = scored;
        io.err(
          `${opts.engine === 'tfjs' ? 'backend' : 'engine'}: ${backend}; scored ${data.n} rows${data.skipped ? ` (${data.skipped} skipped: ${data.skipReasons[0]})` : ''}`,
        );
        const tasks = [...preds.keys()];
        const { scoreColumns, rowFinite } = await import('../../train/score-columns.js');
        const columns = scoreColumns(folder.ir, preds);
        const keep = opts.keep ?? [];
        const { UsageError } = await import('../../util/diagnostics.js');
        for (const k of keep)
          if (!table.columns.has(k)) throw new UsageError(`--keep ${k}: the input has no column "${k}"`);
        const kept = keptNames(
          keep,
          columns.map((c) => c.name),
          opts.keepPrefix,
        );
        if (typeof kept === 'string') throw new UsageError(kept);
        const cell = (col: string, r: number) => {
          const c = table.columns.get(col)!;
          return c.missing[r] ? '' : String(c.values[r]);
        };
        const jsonl = opts.output?.endsWith('.jsonl') ?? false;
        const lines: string[] = jsonl ? [] : [[...kept, ...columns.map((c) => c.name)].map(csvHeaderCell).join(',')];
        const { DataError } = await import('../../data/errors.js');
        const { rowLocation } = await import('../../data/table.js');
        for (let i = 0; i < data.n; i++) {
          const r = data.rows[i];
          const bad = tasks.filter((t) => !rowFinite(folder.ir, preds, t, i));
          if (bad.length > 0)
            throw new DataError(
              `${rowLocation(table, r)}: the model gave a non-finite score for task ${bad.map((t) => `"${t}"`).join(', ')} (input values far outside the training range?)`,
            );
          if (jsonl)
            lines.push(
              JSON.stringify(
                Object.fromEntries([
                  ...keep.map((k, j) => [kept[j], cell(k, r)]),
                  ...columns.map((c) => [c.name, c.value(i)]),
                ]),
              ),
            );
          else
            lines.push(
              [
                ...keep.map((k) => JSON.stringify(cell(k, r))),
                ...columns.map((c) => {
                  const v = c.value(i);
                  return typeof v === 'number' ? String(v) : csvHeaderCell(v);
                }),
              ].join(','),
            );
        }
        const text = lines.join('\n') + '\n';
        if (opts.output) {
          writeFileSafe(opts.output, text, { replace: opts.force });
          io.err(`wrote ${opts.output}`);
        } else io.out(text.trimEnd());
        setExit(0);
      }),
    );
}

/**
 * The output names of the kept columns, or why they cannot be written: a kept column named like
 * a task would give a CSV two columns of one name and a JSON Lines record one key holding the
 * score instead of the kept value.
 */
export function keptNames(keep: readonly string[], tasks: readonly string[], prefix = ''): string[] | string {
  const names = keep.map((k) => prefix + k);
  const taskSet = new Set(tasks);
  const seen = new Set<string>();
  for (let j = 0; j < names.length; j++) {
    const name = names[j];
    if (seen.has(name)) return `--keep ${keep[j]}: given twice`;
    seen.add(name);
    if (taskSet.has(name)) {
      return prefix === ''
        ? `--keep ${keep[j]}: the output already has a column "${name}" (the scores of task "${name}"); add --keep-prefix (e.g. --keep-prefix in_) to write it as "in_${keep[j]}"`
        : `--keep ${keep[j]} with --keep-prefix ${prefix}: "${name}" is also a task's score column; choose another prefix`;
    }
  }
  return names;
}

/** A CSV header cell, quoted when it needs to be (a kept column may have any name). */
function csvHeaderCell(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name;
}
