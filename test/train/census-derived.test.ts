// configs/census-derived.yaml through the CLI on a slice of UCI Adult: a label derived from
// education, every row weighted by fnlwgt. `evaluate` on held-out records must equal the
// weighted AUC and log loss computed here from `predict`'s scores, the labels derived by hand
// and the weights read from the file. Skipped, saying so, when the Adult data is absent.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADULT_DIR, cli, HAVE_ADULT, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

if (!HAVE_ADULT) console.warn(`skipping the census-derived CLI test: ${ADULT_DIR}/adult.{train,test}.csv not found`);

const DEGREE = new Set(['Bachelors', 'Masters', 'Doctorate', 'Prof-school']);

function weightedAuc(p: number[], y: number[], w: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < p.length; j++) {
      if (y[j] !== 0) continue;
      den += w[i] * w[j];
      num += w[i] * w[j] * (p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

function weightedLogloss(p: number[], y: number[], w: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
    num += w[i] * -(y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q));
    den += w[i];
  }
  return num / den;
}

describe.skipIf(!HAVE_ADULT)('configs/census-derived.yaml through the CLI', () => {
  it('trains; evaluate equals the weighted metrics computed from predict, derived labels and fnlwgt', async () => {
    const model = join(dir, 'model');
    const t = await cli(
      'train',
      'configs/census-derived.yaml',
      '--set',
      'data.maxRows=3000',
      '--set',
      'training.epochs=2',
      '--backend',
      'wasm',
      '-o',
      model,
    );
    expect(t.code, t.err.join('\n')).toBe(0);
    expect(t.out).toContain('degree: metrics weighted by fnlwgt');

    const lines = readFileSync(join(ADULT_DIR, 'adult.test.csv'), 'utf8').split(/\r?\n/);
    const slice = join(dir, 'slice.csv');
    writeFileSync(slice, `${lines.slice(0, 301).join('\n')}\n`);
    const header = lines[0].split(',');
    const rows = lines.slice(1, 301).map((l) => l.split(','));
    const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
    const weights = col('fnlwgt').map(Number);
    const labels = {
      degree: col('education').map((e) => (DEGREE.has(e) ? 1 : 0)),
      income: col('income').map((v) => (v === '>50K' ? 1 : 0)),
    };

    const p = await cli('predict', model, '-i', slice);
    expect(p.code, p.err.join('\n')).toBe(0);
    const [names, ...scored] = p.out.trim().split('\n');
    expect(names).toBe('income,degree');
    expect(scored).toHaveLength(300);
    const score = (k: number) => scored.map((l) => Number(l.split(',')[k]));

    const e = await cli('evaluate', 'configs/census-derived.yaml', '-m', model, '--data', slice, '--format', 'json');
    expect(e.code, e.err.join('\n')).toBe(0);
    const report = JSON.parse(e.out) as {
      tasks: { task: string; rows: number; metrics: Record<string, number>; weightedBy?: string }[];
    };
    for (const [k, task] of (['income', 'degree'] as const).entries()) {
      const r = report.tasks.find((x) => x.task === task)!;
      expect(r.rows).toBe(300);
      expect(r.weightedBy).toBe('fnlwgt');
      expect(r.metrics.auc).toBeCloseTo(weightedAuc(score(k), labels[task], weights), 5);
      expect(r.metrics.logloss).toBeCloseTo(weightedLogloss(score(k), labels[task], weights), 5);
    }
    // serving needs the features only: not education (read by the derived label), fnlwgt or income
    const records = join(dir, 'records.jsonl');
    const features = [
      'age',
      'workclass',
      'occupation',
      'marital_status',
      'race',
      'sex',
      'native_country',
      'hours_per_week',
      'capital_gain',
      'capital_loss',
    ];
    writeFileSync(
      records,
      `${JSON.stringify(Object.fromEntries(features.map((f) => [f, rows[0][header.indexOf(f)]])))}\n`,
    );
    const q = await cli('predict', model, '-i', records);
    expect(q.code, q.err.join('\n')).toBe(0);
    const [qh, q0] = q.out.trim().split('\n');
    expect(qh).toBe('income,degree');
    // the same scores as the full record (to float32 noise: a batch of 1 sums in another order)
    q0.split(',').forEach((v, k) => expect(Number(v)).toBeCloseTo(score(k)[0], 6));
    // the weighted AUC is not the unweighted one on these rows: the weights are used
    const plain = weightedAuc(
      score(1),
      labels.degree,
      weights.map(() => 1),
    );
    expect(Math.abs(report.tasks[1].metrics.auc - plain)).toBeGreaterThan(1e-4);
  }, 120_000);
});
