// Experiment files and plans, without training: parsing and its errors, the matrix x seeds
// expansion, seed paths, and run keys (equal for equal runs, different when the spec changes).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentError, loadExperiment, parseExperiment } from '../../src/experiment/definition.js';
import { matrixCells, planExperiment } from '../../src/experiment/plan.js';
import { scratchExperiment } from './helpers.js';

const GRID = `
specs: [paper/mmoe.yaml, paper/moe.yaml]
matrix: { data.correlation: [0.5, 1.0], training.learningRate: [0.001, 0.01] }
set: { data.rows: 100 }
seeds: [3, 7]
`;

/** The problems parseExperiment collects for a raw experiment value. */
function problemsOf(raw: unknown): string[] {
  try {
    parseExperiment(raw, '/x/e.yaml', 'e.yaml');
  } catch (err) {
    return (err as ExperimentError).problems;
  }
  throw new Error('expected an ExperimentError');
}

describe('experiment plan', () => {
  it('expands specs x matrix cells x seeds, first matrix key slowest', () => {
    const { file } = scratchExperiment(GRID);
    const plan = planExperiment(loadExperiment(file));
    expect(plan.labels).toEqual(['mmoe', 'moe']);
    expect(plan.cells).toEqual([
      'data.correlation=0.5, training.learningRate=0.001',
      'data.correlation=0.5, training.learningRate=0.01',
      'data.correlation=1, training.learningRate=0.001',
      'data.correlation=1, training.learningRate=0.01',
    ]);
    expect(plan.runs).toHaveLength(2 * 4 * 2);
    const run = plan.runs.find((r) => r.id === 'moe--data.correlation=1--training.learningRate=0.01--seed7')!;
    // fixed sets, then matrix values, then the seed (synthetic data: data.seed too)
    expect(run.sets).toEqual([
      'data.rows=100',
      'data.correlation=1',
      'training.learningRate=0.01',
      'training.seed=7',
      'data.seed=7',
    ]);
    expect(run.spec.data).toMatchObject({ correlation: 1, seed: 7, rows: 100 });
    expect(run.spec.training).toMatchObject({ seed: 7, learningRate: 0.01 });
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(plan.runs.length);
  });

  it('gives a run the same key until its spec changes', () => {
    const { dir, file } = scratchExperiment(GRID);
    const keys = () => new Map(planExperiment(loadExperiment(file)).runs.map((r) => [r.id, r.key]));
    const a = keys();
    expect(keys()).toEqual(a);
    // a comment does not change the resolved spec; a value does
    const moe = join(dir, 'paper', 'moe.yaml');
    writeFileSync(moe, readFileSync(moe, 'utf8') + '# a comment\n');
    expect(keys()).toEqual(a);
    writeFileSync(moe, readFileSync(moe, 'utf8').replace('units: [8]', 'units: [4]'));
    const b = keys();
    for (const [id, k] of b) expect(k === a.get(id)).toBe(id.startsWith('mmoe--'));
  });

  it('writes seeds where seedPaths says', () => {
    const { file } = scratchExperiment(`specs: [paper/mmoe.yaml]\nseeds: [5]\nseedPaths: [training.seed]\n`);
    const [run] = planExperiment(loadExperiment(file)).runs;
    expect(run.sets).toEqual(['training.seed=5']);
    expect(run.spec.data).toMatchObject({ seed: 1 });
  });

  it('matrixCells is the Cartesian product', () => {
    expect(matrixCells([])).toEqual([[]]);
    expect(
      matrixCells([
        ['a', [1, 2]],
        ['b', ['x']],
      ]),
    ).toEqual([
      [
        ['a', 1],
        ['b', 'x'],
      ],
      [
        ['a', 2],
        ['b', 'x'],
      ],
    ]);
  });

  it('collects every problem of an experiment file', () => {
    const e = problemsOf;
    expect(
      e({
        specs: [],
        matrix: { 'data.correlation': 0.5 },
        seeds: [1, 1],
        options: { jobs: 0, executor: 'gpu' },
        colour: 1,
      }),
    ).toEqual([
      'unknown key "colour" (known: name, description, specs, matrix, cells, set, seeds, seedPaths, report, options)',
      '`specs` must be a non-empty list of spec paths (relative to the experiment file)',
      'matrix.data.correlation must be a non-empty list of numbers, strings or booleans',
      '`seeds` lists a seed twice',
      'options.jobs must be a whole number >= 1',
      'options.executor must be one of inline, process, thread',
    ]);
    expect(e({ specs: ['a.yaml'], report: { metrics: ['f1'] } })).toEqual([
      'report.metrics must list metrics from: auc, logloss, accuracy, mse, mae, top_k_accuracy, macro_auc',
    ]);
  });

  it('reports invalid specs and unknown labels with the spec diagnostics', () => {
    const { file } = scratchExperiment(
      `specs: [paper/mmoe.yaml]\nmatrix: { data.correlation: [2] }\nreport: { compare: [[mmoe, nope]] }\n`,
    );
    expect(() => planExperiment(loadExperiment(file))).toThrow(
      /paper\/mmoe.yaml with data.correlation=2 .* is not valid/,
    );
    const { file: f2 } = scratchExperiment(`specs: [paper/mmoe.yaml]\nreport: { compare: [[mmoe, nope]] }\n`);
    expect(() => planExperiment(loadExperiment(f2))).toThrow(
      'report.compare names "nope", which is not a spec label (labels: mmoe)',
    );
  });

  it('combines each listed cell (values set together) with every matrix cell', () => {
    const { file } = scratchExperiment(
      `specs: [paper/mmoe.yaml]\ncells:\n  - { data.rows: 100, training.epochs: 2 }\n  - { data.rows: 300, training.epochs: 1 }\nmatrix: { data.correlation: [0.5, 1.0] }\nseeds: [1]\n`,
    );
    const plan = planExperiment(loadExperiment(file));
    expect(plan.cells).toEqual([
      'data.rows=100, training.epochs=2, data.correlation=0.5',
      'data.rows=100, training.epochs=2, data.correlation=1',
      'data.rows=300, training.epochs=1, data.correlation=0.5',
      'data.rows=300, training.epochs=1, data.correlation=1',
    ]);
    const run = plan.runs.find((r) => r.id === 'mmoe--data.rows=300--training.epochs=1--data.correlation=1--seed1')!;
    expect(run.sets).toEqual([
      'data.rows=300',
      'training.epochs=1',
      'data.correlation=1',
      'training.seed=1',
      'data.seed=1',
    ]);
    expect(run.spec.data).toMatchObject({ rows: 300, correlation: 1 });
    expect(run.spec.training.epochs).toBe(1);
  });

  it('refuses malformed listed cells, naming each', () => {
    const problems = problemsOf;
    expect(problems({ specs: ['a.yaml'], cells: [] })).toEqual([
      '`cells` must be a non-empty list of mappings of override paths to values, e.g. - { data.rows: 8000, training.epochs: 20 }',
    ]);
    expect(
      problems({
        specs: ['a.yaml'],
        matrix: { 'data.correlation': [0.5] },
        cells: [
          { 'data.rows': 10 },
          { 'data.rows': 10 },
          { 'data.correlation': 1 },
          { 'x y': 1 },
          { 'data.rows': [1] },
          {},
        ],
        seedPaths: ['data.rows'],
      }),
    ).toEqual([
      'cells[1] repeats an earlier cell',
      'cells[2]: data.correlation is also a matrix key',
      'cells[2] sets nothing',
      'cells[3]: "x y" is not a spec path',
      'cells[3] sets nothing',
      'cells[4].data.rows must be a number, string or boolean',
      'cells[4] sets nothing',
      'cells[5] sets nothing',
      'data.rows is both a seed path and a matrix key',
    ]);
  });

  it('runs one job in this process', () => {
    const { file } = scratchExperiment(`specs: [paper/mmoe.yaml]\noptions: { jobs: 1 }\n`);
    expect(loadExperiment(file).options.executor).toBe('inline');
    expect(loadExperiment(file, { jobs: 2 }).options.executor).toBe('thread');
  });
});
