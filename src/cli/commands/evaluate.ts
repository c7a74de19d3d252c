// `mmoe-compile evaluate <spec>`: metrics of the trained model folder on the spec's test split
// (or on --data FILE), per task and per scenario.
import type { Command } from 'commander';
import { DataError } from '../../data/errors.js';
import { join } from 'node:path';
import { parseFormat, readOptionsOf, withReadOptions } from '../options.js';
import type { Format, Io } from '../../util/output.js';
import { parseBackend } from './build.js';
import type { BackendPreference } from '../../engine/backend.js';

interface EvalOpts {
  model?: string;
  data?: string;
  backend: BackendPreference;
  format: Format;
  root?: string;
  allowRead?: string[];
  config?: string;
}

/** Runs a command action; a data error (a bad row or record, a missing column, a missing value
 * under policy error) is one line on stderr and exit 1, as for an invalid spec. */
export function withDataErrors<A extends unknown[]>(
  io: Io,
  setExit: (code: number) => void,
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      io.err(`mmoe-compile: ${e.message}`);
      setExit(1);
    }
  };
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('evaluate')
      .description(
        "evaluate a trained model folder on the spec's test split, or on --data FILE (CSV or JSON Lines with labels)",
      )
      .argument('<spec>', 'spec file (its data section and name)')
      .option('-m, --model <dir>', 'trained model folder (default: out/<spec name>)')
      .option('--data <file>', 'evaluate on this file instead of the test split')
      .option('--backend <name>', 'auto, node, wasm or cpu', parseBackend, 'auto')
      .option('-f, --format <format>', 'text or json', parseFormat(['text', 'json']), 'text'),
  ).action(
    withDataErrors(io, setExit, async (specPath: string, opts: EvalOpts) => {
      const [{ checkSpec }, { loadSpecData }, score, { evaluatePredictions }, { renderDiagnostics }] =
        await Promise.all([
          import('../../compiler/front.js'),
          import('../../data/spec-data.js'),
          import('../../train/score.js'),
          import('../../train/evaluate.js'),
          import('../../util/output.js'),
        ]);
      const checked = checkSpec(specPath, { read: readOptionsOf(opts) });
      if (!checked.spec) {
        io.err(renderDiagnostics(checked.diagnostics, 'text', checked.loaded.sources));
        setExit(1);
        return;
      }
      const folder = score.readModelFolder(opts.model ?? join('out', checked.name));
      const table = opts.data
        ? await score.readRecords(opts.data, folder.spec)
        : (await loadSpecData(checked.spec, checked.loaded.absPath, checked.loaded.policy)).test;
      const { data, preds, backend } = await score.scoreTable(folder, table, opts.backend);
      io.err(`backend: ${backend}; ${data.n} rows`);
      const reports = evaluatePredictions(folder.ir, preds, data);
      if (opts.format === 'json') io.out(JSON.stringify({ model: folder.dir, rows: data.n, tasks: reports }, null, 2));
      else
        for (const r of reports) {
          io.out(
            `${r.task}: ${r.rows} rows; ${Object.entries(r.metrics)
              .map(([k, v]) => `${k} ${v.toFixed(4)}`)
              .join(
                ', ',
              )}${r.weightedBy ? ` (weighted by ${r.weightedBy})` : ''}${r.evaluation ? ` (evaluated on ${r.evaluation})` : ''}`,
          );
          for (const [s, v] of Object.entries(r.byScenario ?? {}))
            io.out(
              `  scenario ${s}: ${v.rows} rows; ${Object.entries(v.metrics)
                .map(([k, x]) => `${k} ${Number.isNaN(x) ? '-' : x.toFixed(4)}`)
                .join(', ')}`,
            );
        }
      setExit(0);
    }),
  );
}
