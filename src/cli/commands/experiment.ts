// `mmoe-compile experiment <experiment.yaml>`: train every spec x matrix cell x seed listed in an
// experiment file (finished runs are kept), then write results.csv, results.md and the plots.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseBackend } from './build.js';
import { parseFormat, parsePositiveInt, readOptionsOf, withReadOptions } from '../options.js';
import type { Format, Io } from '../../util/output.js';
import type { BackendPreference } from '../../engine/backend.js';

interface ExperimentOpts {
  jobs?: number;
  out?: string;
  executor?: 'inline' | 'process' | 'thread';
  backend?: BackendPreference;
  dryRun?: boolean;
  rerun?: boolean;
  reportOnly?: boolean;
  png: boolean;
  format: Format;
  root?: string;
  allowRead?: string[];
  config?: string;
}

function parseExecutor(v: string): 'inline' | 'process' | 'thread' {
  if (v !== 'inline' && v !== 'process' && v !== 'thread')
    throw new InvalidArgumentError('expected inline, process or thread');
  return v;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('experiment')
      .description(
        'run an experiment file (specs x matrix of overrides x seeds) in parallel; skip finished runs; write results.csv, results.md, plots and per-run records',
      )
      .argument('<experiment>', 'experiment file (YAML)')
      .option(
        '-j, --jobs <n>',
        'runs at a time (default: options.jobs, else the number of cores); 1 runs in this process',
        parsePositiveInt,
      )
      .option('-o, --out <dir>', "results folder (default: options.out, else the experiment file's folder)")
      .option('--executor <kind>', 'thread (default), process or inline', parseExecutor)
      .option('--backend <name>', 'auto, node, wasm or cpu', parseBackend)
      .option('--dry-run', 'list the runs and which are finished; train nothing')
      .option('--rerun', 'train every run again, even finished ones')
      .option(
        '--report-only',
        'train nothing: rebuild results and plots from the records found (by run id, even when a spec has changed since; the log says how many)',
      )
      .option('--no-png', 'write the plots as SVG only')
      .option('-f, --format <format>', 'text or json (stdout)', parseFormat(['text', 'json']), 'text'),
  ).action(async (file: string, opts: ExperimentOpts) => {
    const { loadExperiment, ExperimentError } = await import('../../experiment/definition.js');
    const { runExperiment } = await import('../../experiment/run.js');
    let exp;
    try {
      exp = loadExperiment(file, {
        ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
        ...(opts.out !== undefined ? { out: opts.out } : {}),
        ...(opts.executor !== undefined ? { executor: opts.executor } : {}),
        ...(opts.backend !== undefined ? { backend: opts.backend } : {}),
        read: readOptionsOf(opts),
      });
      const r = await runExperiment(exp, {
        log: (l) => io.err(l),
        dryRun: opts.dryRun,
        rerun: opts.rerun,
        reportOnly: opts.reportOnly,
        png: opts.png,
      });
      if (opts.format === 'json') {
        io.out(
          JSON.stringify(
            {
              ok: r.failed.length === 0,
              out: exp.options.out,
              ran: r.ran,
              skipped: r.skipped,
              failed: r.failed,
              files: r.files,
              wallSeconds: r.wallSeconds,
            },
            null,
            2,
          ),
        );
      } else if (!opts.dryRun) {
        io.out(
          `${exp.name}: ${r.ran.length} run${r.ran.length === 1 ? '' : 's'} trained, ${r.skipped.length} already finished, ${r.failed.length} failed; results in ${exp.options.out}/results.md`,
        );
        for (const f of r.failed) io.out(`failed: ${f.id}: ${f.message.split('\n')[0]}`);
      }
      setExit(r.failed.length ? 1 : 0);
    } catch (e) {
      if (e instanceof ExperimentError) {
        io.err(`mmoe-compile: ${e.message}`);
        setExit(e.exitCode);
        return;
      }
      throw e;
    }
  });
}
