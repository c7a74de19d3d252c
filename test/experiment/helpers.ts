// A scratch copy of the paper specs (configs/paper) and a small experiment file around them.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A temp folder holding configs/paper as paper/ and experiment.yaml with the given text. */
export function scratchExperiment(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mmoe-exp-test-'));
  cpSync(join(ROOT, 'configs', 'paper'), join(dir, 'paper'), { recursive: true });
  const file = join(dir, 'experiment.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

/** Small data and one epoch: an experiment that trains in about a second per run. */
export const TINY = `
name: tiny
specs: [paper/mmoe.yaml, { path: paper/shared-bottom.yaml, label: sb }]
set: { data.rows: 240, data.testRows: 120, training.epochs: 2, training.batchSize: 64 }
seeds: [1, 2]
report: { compare: [[mmoe, sb]] }
options: { jobs: 1, backend: wasm }
`;
