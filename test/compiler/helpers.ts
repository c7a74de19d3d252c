// Shared by the compiler tests: golden files, compiled family configs, a capturing CLI io.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { DiffSide } from '../../src/compiler/diff.js';
import { checkSpec } from '../../src/compiler/front.js';
import type { Io } from '../../src/util/output.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const GOLDEN = join(ROOT, 'test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Compare with test/golden/<rel> exactly; UPDATE_GOLDEN=1 rewrites it instead. */
export function expectGolden(rel: string, actual: string): void {
  const file = join(GOLDEN, rel);
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(
      `missing golden file test/golden/${rel}; run UPDATE_GOLDEN=1 npx vitest run test/compiler and review it`,
    );
  expect(actual, `test/golden/${rel} (regenerate with UPDATE_GOLDEN=1 and review the diff)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

/** The family configs (configs/*.yaml; the base fragment is not a spec). */
export const FAMILY_CONFIGS = [
  'cgc',
  'ecom',
  'esmm',
  'mmoe',
  'moe',
  'multi-scenario',
  'ple',
  'shared-bottom',
  'star',
] as const;

/** Compile a spec that must be valid, as a diff side. */
export function compiled(path: string, sets?: string[]): DiffSide {
  const r = checkSpec(path, { sets });
  if (!r.ir || !r.cost)
    throw new Error(
      `${path} is invalid: ${r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('; ')}`,
    );
  return { file: r.loaded.file, ir: r.ir, cost: r.cost, spec: r.spec, locs: r.loaded.locs };
}

export interface Captured extends Io {
  stdout: string[];
  stderr: string[];
  readonly out$: string;
  readonly err$: string;
}

export function captureIo(): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (s) => void stdout.push(s),
    err: (s) => void stderr.push(s),
    get out$() {
      return stdout.join('\n');
    },
    get err$() {
      return stderr.join('\n');
    },
  };
}

export function tempDir(prefix = 'mmoe-compile-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write files (relative path -> text) under dir; returns dir. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export const readConfig = (rel: string) => readFileSync(join(ROOT, 'configs', rel), 'utf8');
