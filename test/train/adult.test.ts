// Real data: a small slice of UCI Adult (../shared/data/adult, see its README) trains the census
// MMoE to a useful income AUC within a few epochs. Skipped, with the reason, when the shared data
// is not beside the project.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../src/driver/train.js';
import { ADULT_DIR, HAVE_ADULT, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

if (!HAVE_ADULT)
  console.warn(
    `skipping the Adult training test: ${ADULT_DIR}/adult.{train,test}.csv not found (expected ../shared beside the project)`,
  );

describe.skipIf(!HAVE_ADULT)('configs/census.yaml on a slice of Adult', () => {
  it('4000 training rows, 3 epochs: test income AUC above 0.8', async () => {
    const lines: string[] = [];
    const r = await runTraining('configs/census.yaml', {
      sets: ['data.maxRows=4000', 'training.epochs=3'],
      outDir: join(dir, 'census'),
      backend: 'wasm',
      log: (l) => lines.push(l),
    });
    if (!r.ok) throw new Error(r.message ?? r.diagnostics.map((d) => d.message).join('; '));
    expect(lines).toContain('rows: 3600 train, 400 validation, 16281 test');
    const auc = Object.fromEntries(r.report.test.map((t) => [t.task, t.metrics.auc]));
    expect(auc.income).toBeGreaterThan(0.8);
    expect(auc.never_married).toBeGreaterThan(0.8);
    // both label columns are outputs, not inputs; relationship is not read at all
    expect(r.ir.tasks.map((t) => t.name)).toEqual(['income', 'never_married']);
    const columns = r.ir.features.map((f) => f.column);
    for (const leak of ['income', 'marital_status', 'relationship']) expect(columns).not.toContain(leak);
  });
});
