// `mmoe-compile init <csv> --task <col> [--task <col>:<given>] [-o spec.yaml]`: a first spec from
// a CSV sample. Exit 0 written, 2 usage or data error (one line, no stack trace).
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { DataError } from '../../data/errors.js';
import { DEFAULT_SAMPLE_ROWS, initSpec } from '../../init/init.js';
import { InitError } from '../../init/tasks.js';
import { FAMILIES, type Family } from '../../init/write-spec.js';
import { collect, parsePositiveInt } from '../options.js';
import type { Io } from '../../util/output.js';

interface InitOpts {
  task?: string[];
  positive?: string[];
  family: Family;
  out?: string;
  force?: boolean;
  sample: number;
  delimiter: string;
}

function parseFamily(v: string): Family {
  if (!(FAMILIES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${FAMILIES.join(', ')}`);
  return v as Family;
}

function parseDelimiter(v: string): string {
  if (v.length !== 1) throw new InvalidArgumentError('expected one character');
  return v;
}

/** Temp file in the same folder + rename: a reader never sees half a spec. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export async function runInit(csv: string, opts: InitOpts, io: Io): Promise<number> {
  if (opts.out && existsSync(opts.out) && !opts.force) {
    io.err(`mmoe-compile init: ${opts.out} exists; use --force to overwrite it`);
    return 2;
  }
  try {
    const r = await initSpec({
      csv,
      tasks: opts.task ?? [],
      positive: opts.positive,
      family: opts.family,
      specPath: opts.out,
      sampleRows: opts.sample,
      delimiter: opts.delimiter,
    });
    if (!opts.out) {
      io.out(r.text);
      return 0;
    }
    writeAtomically(opts.out, r.text);
    const used = r.decisions.filter((d) => d.kind !== 'excluded').length;
    io.err(
      `wrote ${opts.out}: ${used} features, ${r.decisions.length - used} columns left out, ${r.tasks.length} tasks (${opts.family})`,
    );
    return 0;
  } catch (e) {
    if (e instanceof InitError || e instanceof DataError) {
      io.err(`mmoe-compile init: ${e.message}`);
      return 2;
    }
    if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
      io.err(`mmoe-compile init: ${opts.out}: cannot write (${e.message})`);
      return 2;
    }
    throw e;
  }
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a first spec from a CSV sample: feature types, vocabularies, embeddings, tasks, an MMoE')
    .argument('<csv>', 'training CSV (header row; .gz allowed)')
    .option(
      '--task <column>',
      'a binary task label; <label>:<column> counts it only where <column> is positive (repeatable)',
      collect,
    )
    .option(
      '--positive <column=value>',
      "the positive value of a label column, e.g. income='>50K' (repeatable)",
      collect,
    )
    .option('--family <family>', FAMILIES.join(', '), parseFamily, 'mmoe')
    .option('-o, --out <spec.yaml>', 'write here (refuses to overwrite without --force); default: stdout')
    .option('--force', 'overwrite --out')
    .option('--sample <rows>', 'rows read to infer types', parsePositiveInt, DEFAULT_SAMPLE_ROWS)
    .option('--delimiter <char>', 'field separator (one character)', parseDelimiter, ',')
    .action(async (csv: string, opts: InitOpts) => setExit(await runInit(csv, opts, io)));
}
