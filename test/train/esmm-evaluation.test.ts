// An ESMM factor evaluated on its own sample space (cvr on clicked rows, `evaluation:`): it gets
// metrics, and no loss term: the training run is identical to the one without evaluation.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';
import { loadModelDir } from '../../src/compiler/build/save.js';
import { prepare } from '../../src/driver/prepare.js';
import { runTraining } from '../../src/driver/train.js';
import { initBackend } from '../../src/engine/backend.js';
import { predictAll } from '../../src/train/evaluate.js';
import { tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['data.rows=1500', 'data.testRows=600', 'training.epochs=2'];
const EVAL = 'tasks.cvr.evaluation={ label: conversion, sampleSpace: { column: click } }';

function bruteForceAuc(p: number[], y: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++)
    for (let j = 0; j < p.length; j++) {
      if (y[i] !== 1 || y[j] !== 0) continue;
      den++;
      num += p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  return num / den;
}

describe('ESMM: cvr evaluated on clicked rows', () => {
  it('no loss term (same losses as without), and cvr AUC on the clicked test rows', async () => {
    const plain = await runTraining('configs/esmm.yaml', { sets: SMALL, outDir: join(dir, 'plain'), backend: 'wasm' });
    const out = join(dir, 'eval');
    const withEval = await runTraining('configs/esmm.yaml', { sets: [...SMALL, EVAL], outDir: out, backend: 'wasm' });
    if (!plain.ok || !withEval.ok) throw new Error('training failed');
    expect(withEval.report.epochs.map((e) => e.loss)).toEqual(plain.report.epochs.map((e) => e.loss));
    expect(withEval.report.test.map((t) => t.task)).toEqual(['ctr', 'cvr', 'ctcvr']);
    const cvr = withEval.report.test.find((t) => t.task === 'cvr')!;
    expect(cvr.evaluation).toBe('conversion where click = 1');

    // independent: the model's cvr scores on the test rows where click = 1, against conversion
    const c = checkSpec('configs/esmm.yaml', { sets: SMALL });
    const p = await prepare(c.spec!, c.loaded.absPath, c.name);
    const { tf } = await initBackend('wasm');
    const model = await loadModelDir(tf, out);
    const preds = await predictAll(tf, model, p.test);
    model.dispose();
    const click = p.test.labels.get('ctr')!;
    const conversion = p.test.labels.get('ctcvr')!;
    const rows = [...click.keys()].filter((i) => click[i] === 1);
    expect(cvr.rows).toBe(rows.length);
    const score = preds.get('cvr')!;
    expect(cvr.metrics.auc).toBeCloseTo(
      bruteForceAuc(
        rows.map((i) => score[i]),
        rows.map((i) => conversion[i]),
      ),
      10,
    );
  }, 60_000);
});
