import { defineConfig } from 'vitest/config';

// Two projects, both run by `vitest run` (and so by `npm test`):
//   unit: everything else, seconds per file;
//   slow: the generated-input suites (fuzz, hostile) and the real-browser test, which take the
//         longest; `npx vitest run --project unit` skips them while iterating.
const SLOW = ['test/schema/fuzz.test.ts', 'test/schema/hostile.test.ts', 'test/serve/browser.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
