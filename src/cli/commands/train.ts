// `mmoe-compile train <spec>`: train, report test metrics and gate diagnostics, write the trained
// model folder. `evaluate` and `predict` use such a folder.
import { InvalidArgumentError, type Command } from 'commander';
import {
  collect,
  parseFormat,
  parsePositiveInt,
  parsePositiveNumber,
  readOptionsOf,
  withReadOptions,
} from '../options.js';
import { renderDiagnostics, type Format, type Io } from '../../util/output.js';
import { parseBackend } from './build.js';
import type { BackendPreference } from '../../engine/backend.js';

interface TrainOpts {
  out?: string;
  backend: BackendPreference;
  format: Format;
  set?: string[];
  maxParams?: number;
  resume?: boolean;
  progress: boolean;
  engine: 'tfjs' | 'torch';
  python?: string;
  nproc?: number;
  threads?: number;
  root?: string;
  allowRead?: string[];
  config?: string;
}

function parseEngine(v: string): 'tfjs' | 'torch' {
  if (v === 'tfjs' || v === 'torch') return v;
  throw new InvalidArgumentError('expected tfjs or torch');
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('train')
      .description(
        'train a spec on its data; print per-epoch progress (stderr) and test metrics; write the trained model folder',
      )
      .argument('<spec>', 'spec file')
      .option('-o, --out <dir>', 'output folder (default: out/<spec name>); checkpoints go to <dir>.checkpoint')
      .option('--resume', 'continue from the last checkpoint of the same spec')
      .option('--backend <name>', 'auto, node, wasm or cpu', parseBackend, 'auto')
      .option('-f, --format <format>', 'text or json', parseFormat(['text', 'json']), 'text')
      .option('--set <path=value>', 'override a spec value, e.g. training.epochs=3 (repeatable)', collect)
      .option('--max-params <n>', 'parameter limit', parsePositiveNumber)
      .option('--no-progress', 'no progress bar')
      .option(
        '--engine <name>',
        'training engine: tfjs, or torch (PyTorch through the exported package; needs python3 with torch)',
        parseEngine,
        'tfjs',
      )
      .option(
        '--python <path>',
        'with --engine torch: the python3 to run (default: MMOE_PYTHON, /usr/bin/python3, python3 on PATH)',
      )
      .option('--nproc <n>', 'with --engine torch: processes (torchrun, DistributedDataParallel)', parsePositiveInt)
      .option('--threads <n>', 'with --engine torch: torch threads per process (default 1)', parsePositiveInt),
  ).action(async (spec: string, opts: TrainOpts) => {
    const { runTraining } = await import('../../driver/train.js');
    const r = await runTraining(spec, {
      outDir: opts.out,
      backend: opts.backend,
      sets: opts.set,
      maxParameters: opts.maxParams,
      read: readOptionsOf(opts),
      resume: opts.resume,
      engine: opts.engine,
      torch: {
        ...(opts.python ? { python: opts.python } : {}),
        ...(opts.nproc ? { processes: opts.nproc } : {}),
        ...(opts.threads ? { threads: opts.threads } : {}),
      },
      log: (l) => io.err(l),
      ...(opts.progress
        ? { progress: { write: (s: string) => process.stderr.write(s), isTTY: process.stderr.isTTY } }
        : {}),
    });
    if (!r.ok) {
      if (r.diagnostics.length) io.err(renderDiagnostics(r.diagnostics, 'text', r.sources));
      if (r.message) io.err(`mmoe-compile: ${r.message}`);
      if (opts.format === 'json')
        io.out(
          JSON.stringify(
            {
              ok: false,
              message: r.message ?? null,
              diagnostics: JSON.parse(renderDiagnostics(r.diagnostics, 'json')),
            },
            null,
            2,
          ),
        );
      setExit(1);
      return;
    }
    io.out(
      opts.format === 'json'
        ? JSON.stringify({ ok: true, outDir: r.outDir, ...r.report }, null, 2)
        : r.text + `wrote ${r.outDir}/`,
    );
    setExit(0);
  });
}
