// `mmoe-compile schema`: print the spec's JSON Schema (committed as schema/spec.schema.json).
import type { Command } from 'commander';
import type { Io } from '../../util/output.js';

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('schema')
    .description('print the spec JSON Schema (for editors: # yaml-language-server: $schema=...)')
    .option('--fragment', 'the schema for partial specs used as `extends` bases (only specVersion required)')
    .action(async (opts: { fragment?: boolean }) => {
      // loaded on demand: TypeBox is not needed by any other command
      const { schemaJson } = await import('../../schema/json-schema.js');
      io.out(schemaJson(opts.fragment ? 'fragment' : 'spec'));
      setExit(0);
    });
}
