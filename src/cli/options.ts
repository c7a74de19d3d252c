// Option parsers shared by commands (commander calls them; a bad value is a usage error, exit 2).
import { InvalidArgumentError, type Command } from 'commander';
import type { ReadOptions } from '../schema/paths.js';
import { FORMATS, type Format } from '../util/output.js';

export function parseFormat(allowed: readonly string[] = FORMATS) {
  return (v: string): Format => {
    if (!allowed.includes(v)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return v as Format;
  };
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export function parsePositiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** --root and --allow-read, for every command that reads specs (see docs/security.md). */
export function withReadOptions(cmd: Command): Command {
  return cmd
    .option(
      '--root <dir>',
      'project root: every file a spec names must be inside it (default: the repository holding the spec, else its folder)',
    )
    .option(
      '--allow-read <dir>',
      'also let specs read data files (CSV, vocabulary) under this folder (repeatable)',
      collect,
    )
    .option(
      '--config <file>',
      'read allowRead from this settings file instead of <root>/mmoe-compile.config.json (`none`: no settings)',
    );
}

/** The read options of parsed command options (commander names them root, allowRead). */
export function readOptionsOf(o: { root?: string; allowRead?: string[]; config?: string }): ReadOptions {
  return {
    ...(o.root !== undefined ? { root: o.root } : {}),
    ...(o.allowRead?.length ? { allowRead: o.allowRead } : {}),
    ...(o.config !== undefined ? { config: o.config } : {}),
  };
}
