// CLI entry. Exit codes: 0 ok, 1 the input is invalid (or models differ, for diff), 2 usage or
// I/O error (a refused output, or an errno error such as EACCES, EROFS, ENOSPC: see
// io-errors.ts). Never a stack trace: anything unexpected is one line on stderr with exit 70.
import { Command, CommanderError } from 'commander';
import { UsageError } from '../util/diagnostics.js';
import { SpecIoError } from '../schema/load.js';
import { processIo, type Io } from '../util/output.js';
import { ownVersion } from '../util/run-record.js';
import { commands } from './commands/index.js';
import { ioErrorLine } from './io-errors.js';
import { OutputRefused } from '../util/safe-output.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exit = 0;
  const setExit = (code: number) => {
    exit = Math.max(exit, code);
  };
  const program = new Command('mmoe-compile')
    .description(
      'Compile multi-task ranking model specs (YAML) into TensorFlow.js models.\n`mmoe-compile <spec>` is `mmoe-compile build <spec>`.',
    )
    .version(ownVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError(true);
  for (const c of commands) c.register(program, io, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`mmoe-compile: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof SpecIoError || e instanceof OutputRefused) {
      io.err(`mmoe-compile: ${e.message}`);
      return 2;
    }
    const ioLine = ioErrorLine(e);
    if (ioLine !== undefined) {
      io.err(`mmoe-compile: ${ioLine}`);
      return 2;
    }
    io.err(`mmoe-compile: internal error: ${(e as Error)?.message ?? String(e)}`);
    return 70;
  }
  return exit;
}
