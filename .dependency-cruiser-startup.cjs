// A second pass over the same tree with lazy `import()`s left out: what the CLI loads at start-up.
// Every command registers itself in src/cli/commands/index.ts and loads tfjs lazily, so
// `mmoe-compile --help` or `validate` starts without paying for tfjs.
const base = require('./.dependency-cruiser.cjs');

module.exports = {
  forbidden: [
    {
      name: 'cli-start-up-loads-no-tfjs',
      comment: 'the CLI entry reaches no @tensorflow package through static imports (commands load it lazily)',
      severity: 'error',
      from: { path: '^src/cli/main\\.ts$' },
      to: { path: '@tensorflow/', reachable: true },
    },
  ],
  options: {
    ...base.options,
    // type-only imports are erased: they load nothing at start-up
    tsPreCompilationDeps: false,
    exclude: { dynamic: true },
  },
};
