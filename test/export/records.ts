// Shared by the ONNX serving tests: raw records that exercise what serving must get right on every
// engine, and the comparison of two engines' results.
import { expect } from 'vitest';
import type { ScoreResult, Servable } from '../../src/serve/index.js';
import { rng } from '../build/fixtures.js';

/**
 * The test split's records, perturbed (seeded): unseen categories and sequence tokens, empty
 * sequences, missing numbers, unknown scenarios; then three bad records (not an object, an
 * object in a number field, every field absent).
 */
export function hardRecords(servable: Servable, base: Record<string, unknown>[], seed = 7): unknown[] {
  const r = rng(seed);
  const out: unknown[] = base.map((rec, i) => {
    const x = { ...rec };
    for (const f of servable.fields) {
      const u = r();
      if (f.type === 'category' && u < 0.2) x[f.name] = `never-seen-${i}`;
      else if (f.type === 'sequence' && u < 0.1) x[f.name] = `never-seen-${i}`;
      else if (f.type === 'sequence' && u < 0.2) x[f.name] = [];
      else if (f.type === 'number' && u < 0.05) x[f.name] = null;
    }
    if (servable.scenario && r() < 0.2) x[servable.scenario.field] = 'no-such-scenario';
    return x;
  });
  const field = servable.fields.find((f) => f.type === 'number')?.name ?? servable.fields[0].name;
  out.push('not a record', { ...base[0], [field]: { nested: true } }, {});
  return out;
}

/** Same errors, same scored records and tasks; the records scored and the largest score difference. */
export function compareScores(reference: ScoreResult, other: ScoreResult): { scored: number; maxDiff: number } {
  expect(other.errors).toEqual(reference.errors);
  let scored = 0;
  let maxDiff = 0;
  reference.scores.forEach((s, i) => {
    const o = other.scores[i];
    if (s === null) return expect(o).toBeNull();
    scored++;
    expect(Object.keys(o!)).toEqual(Object.keys(s));
    for (const [task, v] of Object.entries(s)) maxDiff = Math.max(maxDiff, Math.abs(o![task] - v));
  });
  return { scored, maxDiff };
}
