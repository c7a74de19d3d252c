// Sample spaces and scenarios end to end: ESMM trains ctr and ctcvr over the entire impression
// space and cvr only through the product; multi-scenario specs report metrics per scenario.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';
import { loadModelDir } from '../../src/compiler/build/save.js';
import { initBackend } from '../../src/engine/backend.js';
import { predictAll } from '../../src/train/evaluate.js';
import { prepare } from '../../src/driver/prepare.js';
import { runTraining } from '../../src/driver/train.js';
import { cli, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['data.rows=1500', 'data.testRows=600', 'training.epochs=1'];

describe('ESMM (configs/esmm.yaml)', () => {
  it('ctr and ctcvr have masks of all ones; cvr has no label, no mask and no loss', async () => {
    const c = checkSpec('configs/esmm.yaml', { sets: SMALL });
    const p = await prepare(c.spec!, c.loaded.absPath, c.name);
    for (const data of [p.train, p.validation, p.test]) {
      for (const task of ['ctr', 'ctcvr']) {
        expect(data.masks.get(task)!.every((m) => m === 1)).toBe(true);
      }
      expect(data.labels.has('cvr')).toBe(false);
      expect(data.masks.has('cvr')).toBe(false);
    }
    // the loop's loss covers the tasks with a label: ctr and ctcvr
    expect(p.ir.tasks.filter((t) => t.label !== null).map((t) => t.name)).toEqual(['ctr', 'ctcvr']);
    // ctcvr's label is the conversion over all impressions, so it is never above the click
    const click = p.train.labels.get('ctr')!;
    p.train.labels.get('ctcvr')!.forEach((y, i) => expect(y <= click[i]).toBe(true));
  });

  it('the trained model outputs cvr = ctcvr / ctr (pCTCVR = pCTR x pCVR)', async () => {
    const out = join(dir, 'esmm');
    const r = await runTraining('configs/esmm.yaml', { sets: SMALL, outDir: out, backend: 'wasm' });
    if (!r.ok) throw new Error(r.message);
    // test metrics for the labelled tasks only
    expect(r.report.test.map((t) => t.task)).toEqual(['ctr', 'ctcvr']);
    const { tf } = await initBackend('wasm');
    const c = checkSpec('configs/esmm.yaml', { sets: SMALL });
    const p = await prepare(c.spec!, c.loaded.absPath, c.name);
    const model = await loadModelDir(tf, out);
    const preds = await predictAll(tf, model, p.test);
    model.dispose();
    const [ctr, cvr, ctcvr] = ['ctr', 'cvr', 'ctcvr'].map((t) => preds.get(t)!);
    for (let i = 0; i < p.test.n; i++) {
      expect(ctcvr[i]).toBe(Math.fround(ctr[i] * cvr[i]));
      expect(Math.abs(ctcvr[i] / ctr[i] - cvr[i])).toBeLessThanOrEqual(1e-6 * cvr[i] + 1e-12);
      expect(ctcvr[i]).toBeLessThanOrEqual(ctr[i]);
    }
  });
});

describe('multi-scenario (configs/multi-scenario.yaml)', () => {
  it('reports test metrics per scenario, in the report, metrics.json and evaluate', async () => {
    const out = join(dir, 'ms');
    const r = await runTraining('configs/multi-scenario.yaml', { sets: SMALL, outDir: out, backend: 'wasm' });
    if (!r.ok) throw new Error(r.message);
    for (const t of r.report.test) {
      expect(Object.keys(t.byScenario!)).toEqual(['home', 'search', 'detail']);
      const rows = Object.values(t.byScenario!).map((s) => s.rows);
      expect(rows.reduce((a, b) => a + b, 0)).toBe(t.rows);
      for (const s of Object.values(t.byScenario!))
        expect(Object.keys(s.metrics)).toEqual(['auc', 'logloss', 'accuracy']);
    }
    expect(r.text).toMatch(/^ctr\s+scenario home\s+\d+/m);
    expect(r.text).toMatch(/^cvr\s+scenario detail\s+\d+/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      test: { byScenario: Record<string, unknown> }[];
    };
    expect(Object.keys(metrics.test[0].byScenario)).toEqual(['detail', 'home', 'search']); // stableJson sorts keys
    // the per-epoch validation rows carry them too
    expect(Object.keys(r.report.epochs[0].validation[0].byScenario!)).toEqual(['home', 'search', 'detail']);
    const e = await cli('evaluate', 'configs/multi-scenario.yaml', '-m', out, '--backend', 'wasm');
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/^ {2}scenario search: \d+ rows; auc /m);
  });
});
