// Shared by the training tests: a tiny CSV project (spec + seeded train/test files) that trains in
// well under a second, a capturing CLI io, and the location of the shared Adult data.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/util/output.js';
import { Rng } from '../../src/data/random.js';

export const ROOT = resolve(import.meta.dirname, '../..');
/** ../shared from the project root (see ../shared/README.md); CI has it there too. */
export const ADULT_DIR = resolve(ROOT, '../shared/data/adult');
export const HAVE_ADULT =
  existsSync(join(ADULT_DIR, 'adult.train.csv')) && existsSync(join(ADULT_DIR, 'adult.test.csv'));

export function tempDir(prefix = 'mmoe-train-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number;
  out: string;
  /** stderr lines, one entry per io.err call */
  err: string[];
}

/** Runs the CLI in-process with a capturing io (no progress bar: it writes to process.stderr). */
export async function cli(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => void out.push(s), err: (s) => void err.push(s) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.flatMap((s) => s.split('\n')).filter((l) => l !== '') };
}

export const COLORS = ['red', 'green', 'blue', 'black'] as const;

/** Rows of the tiny data set: x (numeric), color (categorical), size (categorical, policy in the spec), y (yes/no). */
export function tinyRows(n: number, seed: number): string[] {
  const rng = new Rng(seed);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.uniform() * 4 - 2;
    const color = COLORS[Math.floor(rng.uniform() * COLORS.length)];
    const size = rng.uniform() < 0.5 ? 'S' : 'L';
    const logit = 1.5 * x + (color === 'red' ? 1.5 : color === 'blue' ? -1 : 0) + (size === 'L' ? 0.5 : 0);
    const y = rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no';
    rows.push(`${x.toFixed(4)},${color},${size},${y}`);
  }
  return rows;
}

export const TINY_HEADER = 'x,color,size,y';

export interface TinyOptions {
  trainRows?: number;
  testRows?: number;
  /** Extra lines appended to the training CSV (e.g. a malformed row). */
  extraTrainLines?: string[];
  /** missing.policy of `size` (x and color use the default, fill). */
  sizePolicy?: 'fill' | 'error' | 'skip';
  epochs?: number;
  badRows?: 'error' | 'skip';
}

/** Writes spec.yaml, train.csv and test.csv into a new temporary folder; returns the folder. */
export function tinyProject(o: TinyOptions = {}): string {
  const dir = tempDir();
  const train = [TINY_HEADER, ...tinyRows(o.trainRows ?? 400, 1), ...(o.extraTrainLines ?? [])];
  writeFileSync(join(dir, 'train.csv'), train.join('\n') + '\n');
  writeFileSync(join(dir, 'test.csv'), [TINY_HEADER, ...tinyRows(o.testRows ?? 100, 2)].join('\n') + '\n');
  writeFileSync(
    join(dir, 'spec.yaml'),
    `specVersion: 1
name: tiny
data: { source: csv, train: train.csv, test: test.csv, badRows: ${o.badRows ?? 'error'} }
features:
  - { name: x, type: numeric }
  - { name: color, type: categorical, embeddingDim: 2 }
  - { name: size, type: categorical, embeddingDim: 2, missing: { policy: ${o.sizePolicy ?? 'fill'} } }
featureGroups: { all: [x, color, size] }
model:
  levels:
    - pools: [{ name: experts, count: 2, units: [8] }]
      gates: [{ name: y_gate, pools: [experts] }]
  towers: [{ name: y, input: y_gate, units: [4] }]
tasks: [{ name: y, label: y, positive: 'yes', negative: ['no'] }]
training: { epochs: ${o.epochs ?? 2}, batchSize: 64, learningRate: 0.02, seed: 3, validationFraction: 0.2 }
`,
  );
  return dir;
}

export function writeLines(file: string, lines: string[]): string {
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export const readText = (file: string) => readFileSync(file, 'utf8');
export const readBytes = (file: string) => new Uint8Array(readFileSync(file));
