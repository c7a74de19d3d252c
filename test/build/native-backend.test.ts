// The native backend (@tensorflow/tfjs-node) is what `auto` gives users on ordinary machines, but
// it cannot install on the machines this project is developed on. Where it does install (the
// GitHub Actions workflow sets MMOE_EXPECT_NATIVE=1), assert that it is the backend `auto` picks
// and that every config's model gives the same outputs on it as on wasm, to 1e-5, with the same
// weights. Elsewhere the suite is skipped, and says why.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/compiler/build/index.js';
import { activateBackend, initBackend, type Tf } from '../../src/engine/backend.js';
import { loadIr, maxAbsDiff, predictByTask, randomBatch, randomizeWeights, withSmallTables } from './fixtures.js';

const EXPECT_NATIVE = process.env.MMOE_EXPECT_NATIVE === '1';
const ROOT = join(import.meta.dirname, '../..');
const SKIP_REASON =
  'native backend: skipped (set MMOE_EXPECT_NATIVE=1 where @tensorflow/tfjs-node installs; the CI workflow does)';

/** Every spec file under `dir` (not the base/ fragments). */
function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'base'
        ? []
        : specFiles(join(dir, e.name))
      : e.name.endsWith('.yaml')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every config, as a path relative to configs/ without .yaml (what loadIr takes). */
const allConfigs = () =>
  specFiles(join(ROOT, 'configs'))
    .map((f) => relative(join(ROOT, 'configs'), f).replace(/\.yaml$/, ''))
    .sort();

if (!EXPECT_NATIVE) console.log(SKIP_REASON);

describe.runIf(EXPECT_NATIVE)('native backend (tfjs-node)', () => {
  let tf: Tf;
  beforeAll(async () => {
    const h = await initBackend('auto');
    tf = h.tf;
    expect(h.backend).toBe('tensorflow');
  });

  it('auto picks tfjs-node, and it is the backend running', () => {
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it.each(allConfigs())('%s: same outputs as wasm to 1e-5 (same weights, same batch)', async (config) => {
    const ir = withSmallTables(loadIr(config), 500);
    const batch = randomBatch(ir, 16, 11);
    const run = async (backend: 'node' | 'wasm') => {
      expect(await activateBackend(tf, backend)).toBe(backend === 'node' ? 'tensorflow' : 'wasm');
      const model = buildModel(ir, tf, { seed: 5, training: false });
      randomizeWeights(tf, model, 7);
      const out = predictByTask(tf, model, batch);
      model.dispose();
      return out;
    };
    const native = await run('node');
    const wasm = await run('wasm');
    expect(Object.keys(native).length).toBeGreaterThan(0);
    expect(maxAbsDiff(native, wasm)).toBeLessThan(1e-5);
    await activateBackend(tf, 'node');
  });
});

describe.skipIf(EXPECT_NATIVE)('native backend (tfjs-node)', () => {
  it.skip(SKIP_REASON, () => {});
});
