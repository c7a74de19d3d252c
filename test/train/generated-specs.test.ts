// Validate is the contract (issue 12): every generated spec that passes `validate` trains one
// epoch on tiny data, or is refused with a located error. An exception, an "internal error", or
// a refusal that names no place is a bug to fix at its root (a validate rule or a train fix).
// GENERATED_SPECS=n changes the count; GENERATED_BACKEND=wasm|cpu the backend (cpu is faster for
// models this small: measured ~2x on this machine).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSpec } from '../../src/compiler/front.js';
import type { BackendPreference } from '../../src/engine/backend.js';
import { isDiagnosticCode } from '../../src/schema/catalogue.js';
import { runTraining } from '../../src/train/run.js';
import { FAMILIES, generateSpec, writeTinyCsv, type Generated } from './spec-generator.js';
import { tempDir } from './helpers.js';

const N = Number(process.env.GENERATED_SPECS ?? 300);
const BACKEND = (process.env.GENERATED_BACKEND ?? 'cpu') as BackendPreference;
const SEED = 20261130;

const dir = tempDir('mmoe-generated-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A refusal names a place: file:line[:col], or a row / batch of the data. */
const LOCATED = /^\S+:\d+(:\d+)?: |\brow \d+|\bbatch \d+/;

type Outcome = { kind: 'trained' } | { kind: 'refused'; why: string } | { kind: 'internal'; why: string };

async function trainOne(file: string, out: string): Promise<Outcome> {
  try {
    const r = await runTraining(file, { backend: BACKEND, outDir: out });
    if (r.ok) return { kind: 'trained' };
    const located = r.diagnostics.every((d) => d.line >= 1 && isDiagnosticCode(d.code) && d.code !== 'internal-error') && (r.message === undefined || LOCATED.test(r.message));
    const why = r.message ?? r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`).join('; ');
    return located ? { kind: 'refused', why } : { kind: 'internal', why: `unlocated: ${why}` };
  } catch (e) {
    return { kind: 'internal', why: `threw: ${(e as Error)?.stack ?? String(e)}` };
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(out + '.checkpoint', { recursive: true, force: true });
  }
}

describe('generated specs: validate is the contract', () => {
  it(`${N} specs that pass validate train one epoch or are refused with a located error`, async () => {
    const files = writeTinyCsv(dir);
    const accepted: { g: Generated; file: string }[] = [];
    let rejected = 0;
    for (let i = 0; accepted.length < N && i < N * 3; i++) {
      const g = generateSpec(SEED, i, files);
      const file = join(dir, `spec-${i}.yaml`);
      writeFileSync(file, stringify(g.spec));
      const v = checkSpec(file);
      expect(v.diagnostics.filter((d) => d.code === 'internal-error'), file).toEqual([]);
      if (v.spec) accepted.push({ g, file });
      else rejected++;
    }
    expect(accepted.length).toBe(N);

    const counts = { trained: 0, refused: 0, internal: 0 };
    const problems: string[] = [];
    const trainedBy = new Map<string, number>();
    const t0 = performance.now();
    for (const [k, { g, file }] of accepted.entries()) {
      const o = await trainOne(file, join(dir, `out-${k}`));
      counts[o.kind]++;
      if (o.kind === 'trained') {
        for (const key of [g.family, g.data]) trainedBy.set(key, (trainedBy.get(key) ?? 0) + 1);
      } else problems.push(`${o.kind}: ${file} (${g.family}, ${g.data}): ${o.why}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${N} specs: ${counts.trained} trained, ${counts.refused} refused with located errors, ${counts.internal} internal errors ` +
        `(${rejected} generated specs rejected by validate; ${BACKEND} backend, ${seconds.toFixed(1)} s)`,
    );
    if (problems.length) console.log(problems.slice(0, 20).join('\n'));
    expect(problems.filter((p) => p.startsWith('internal'))).toEqual([]);
    // every family and every data source actually trained
    for (const key of [...FAMILIES, 'ecom', 'csv', 'mmoe-synthetic']) expect(trainedBy.get(key) ?? 0, key).toBeGreaterThan(3);
  });
});
