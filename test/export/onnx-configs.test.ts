// Every shipped config, compiled and served on all three engines: the same raw records (with
// unknown categories, unknown scenarios, short and empty sequences, missing values, and a few bad
// records) give the same per-record errors, and ONNX Runtime's scores (onnxruntime-node and
// onnxruntime-web, on the graph `export --format onnx` writes) equal tfjs's to 1e-5.
// The census configs read ../shared/data/adult; without it they are skipped, saying so.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/driver/compile.js';
import { runTraining } from '../../src/driver/train.js';
import { loadSpecData } from '../../src/data/spec-data.js';
import { exportOnnx } from '../../src/export/onnx/export.js';
import { readExportInput } from '../../src/export/onnx/node.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { readModelFolder } from '../../src/train/score.js';
import { ROOT, SMALL_DATA, tableRecords, tempDir } from '../serve/helpers.js';
import { compareScores, hardRecords } from './records.js';

const CENSUS_DATA = join(ROOT, '../shared/data/adult/adult.train.csv');
const CONFIGS = [
  ...readdirSync(join(ROOT, 'configs')).filter((f) => f.endsWith('.yaml')),
  ...readdirSync(join(ROOT, 'configs/paper'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `paper/${f}`),
].map((f) => f.replace(/\.yaml$/, ''));
const ROWS = 300;
const TOLERANCE = 1e-5;

/** Score the folder's perturbed test records on tfjs, onnxruntime and onnxruntime-web: same errors, scores within TOLERANCE. */
async function expectEnginesAgree(outDir: string, config: string): Promise<void> {
  // The exporter reads the folder as the CLI does; ONNX Runtime loads what it writes.
  const exported = exportOnnx(readExportInput(outDir));
  const table = (await loadSpecData(readModelFolder(outDir).spec, join(ROOT, 'configs', `${config}.yaml`))).test;
  const tfjs = await loadServableFromDir(outDir, { backend: 'cpu' });
  const records = hardRecords(tfjs, tableRecords(table, ROWS));
  const reference = await tfjs.score(records);
  tfjs.dispose();
  for (const engine of ['onnxruntime', 'onnxruntime-web'] as const) {
    const servable = await loadServableFromDir(outDir, { engine });
    expect(servable.engine).toBe(engine);
    expect(servable.tasks.map((t) => t.name)).toEqual(exported.outputs);
    const { scored, maxDiff } = compareScores(reference, await servable.score(records));
    servable.dispose();
    expect(scored).toBeGreaterThanOrEqual(256);
    expect(maxDiff, `${config} on ${engine}`).toBeLessThanOrEqual(TOLERANCE);
    console.log(`onnx parity ${config} ${engine}: ${scored} records, max |diff| ${maxDiff.toExponential(2)}`);
  }
  expect(reference.errors.filter((e) => e.index >= ROWS).length).toBeGreaterThanOrEqual(3);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(dirname(d), { recursive: true, force: true });
});

describe('ONNX Runtime serves every shipped config like tfjs', () => {
  for (const config of CONFIGS) {
    const census = config.startsWith('census');
    const runIt = census && !existsSync(CENSUS_DATA) ? it.skip : it;
    runIt(
      `${config}${census && !existsSync(CENSUS_DATA) ? ` (skipped: ${CENSUS_DATA} is missing)` : ''}`,
      async () => {
        const outDir = join(tempDir('mmoe-onnx-test-'), config.replace('/', '-'));
        dirs.push(outDir);
        const r = await compileSpec(join(ROOT, 'configs', `${config}.yaml`), {
          outDir,
          backend: 'cpu',
          sets: census ? [] : [...SMALL_DATA],
        });
        if (!r.ok)
          throw new Error(`configs/${config}.yaml did not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
        await expectEnginesAgree(outDir, config);
      },
      120_000,
    );
  }

  // Trained weights (moving batch-norm statistics, gates that learned something): the census MMoE after one epoch.
  const runTrained = existsSync(CENSUS_DATA) ? it : it.skip;
  runTrained(
    `census trained for one epoch${existsSync(CENSUS_DATA) ? '' : ` (skipped: ${CENSUS_DATA} is missing)`}`,
    async () => {
      const outDir = join(tempDir('mmoe-onnx-test-'), 'census-trained');
      dirs.push(outDir);
      const r = await runTraining(join(ROOT, 'configs/census.yaml'), {
        sets: ['training.epochs=1'],
        outDir,
        backend: 'wasm',
      });
      if (!r.ok)
        throw new Error(
          `configs/census.yaml did not train: ${r.message ?? r.diagnostics.map((d) => d.message).join('; ')}`,
        );
      await expectEnginesAgree(outDir, 'census');
    },
    180_000,
  );
});
