// validate reads a CSV sample and reports bad sample weights and labelFrom thresholds on text
// columns at the spec line; train refuses a negative weight naming the file and line.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tinyProject, tinyRows } from '../train/helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(tasks: string, training: string): string {
  const dir = tinyProject();
  dirs.push(dir);
  const spec = readFileSync(join(dir, 'spec.yaml'), 'utf8')
    .replace(/^tasks: .*$/m, tasks)
    .replace(/^training: \{/m, `training: { ${training}`);
  writeFileSync(join(dir, 'spec.yaml'), spec);
  return join(dir, 'spec.yaml');
}

// the first training row with x < 0 (x is the first column of tinyRows), as a file line
const firstNegative = tinyRows(400, 1).findIndex((r) => Number(r.split(',')[0]) < 0) + 2;

describe('sample weights and labelFrom columns in the data', () => {
  it('validate: a weight column with negative values, a threshold on a text column', async () => {
    const spec = project('tasks: [{ name: y, labelFrom: { column: y, greaterThan: 1 } }]', 'sampleWeight: x, ');
    const r = await cli('validate', spec, '--format', 'json');
    expect(r.code).toBe(1);
    const d = (JSON.parse(r.out) as { diagnostics: { code: string; line: number; column: number; message: string }[] })
      .diagnostics;
    const text = readFileSync(spec, 'utf8').split('\n');
    const lineOf = (s: string) => text.findIndex((l) => l.includes(s)) + 1;
    const threshold = [lineOf('labelFrom'), text[lineOf('labelFrom') - 1].indexOf('column: y') + 9];
    const weight = [lineOf('sampleWeight'), text[lineOf('sampleWeight') - 1].indexOf('x,') + 1];
    // each file (train.csv, then test.csv) is checked
    expect(d.map((x) => [x.code, x.line, x.column])).toEqual([
      ['data-not-numeric', ...threshold],
      ['data-not-numeric', ...threshold],
      ['data-sample-weight', ...weight],
      ['data-sample-weight', ...weight],
    ]);
    expect(d[0].message).toMatch(
      /^task "y": labelFrom compares column "y" with a number, but it has "(yes|no)" at train\.csv:2 \(400 of the 400 sampled rows are not numbers\)$/,
    );
    expect(d[2].message).toMatch(
      new RegExp(
        `^the training sample weight: sample weight column "x" has "-[0-9.]+" at train\\.csv:${firstNegative} \\(\\d+ of the 400 sampled rows are not\\); weights are finite numbers >= 0, present on every row$`,
      ),
    );
  });

  it('train: a negative weight is an error naming the file and line, exit 1', async () => {
    const spec = project("tasks: [{ name: y, label: y, positive: 'yes', negative: ['no'] }]", 'sampleWeight: x, ');
    const r = await cli('train', spec, '-o', join(spec, '..', 'out'), '--backend', 'cpu', '--no-progress');
    const all = [r.out, ...r.err].join('\n');
    expect(r.code, all).toBe(1);
    expect(all).toMatch(
      new RegExp(
        `train\\.csv:${firstNegative}: task "y": sample weight -[0-9.]+ in column "x" is not a finite number >= 0`,
      ),
    );
  });
});
