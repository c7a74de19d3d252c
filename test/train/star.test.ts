// configs/star.yaml end to end on data with the generator's scene-specific effect: it trains
// (wasm), the trained STAR weights have moved away from their initial values differently per
// scenario, `evaluate` reads the folder, and the trained model scores the same records alike on
// tfjs and ONNX Runtime (the export folds the trained shared x scenario kernels).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../src/compiler/build/index.js';
import { runTraining } from '../../src/driver/train.js';
import { initBackend } from '../../src/engine/backend.js';
import { loadSpecData } from '../../src/data/spec-data.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { readModelFolder } from '../../src/train/score.js';
import { tableRecords } from '../serve/helpers.js';
import { cli, ROOT, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SETS = ['data.rows=3000', 'data.testRows=400', 'training.epochs=2', 'data.params.scenarioEffect=1'];

describe('configs/star.yaml', () => {
  const out = join(dir, 'star');
  it('trains, with scenario weights that moved apart', async () => {
    const r = await runTraining(join(ROOT, 'configs/star.yaml'), { sets: SETS, outDir: out, backend: 'wasm' });
    if (!r.ok) throw new Error(`training failed: ${r.message ?? r.diagnostics.map((d) => d.message).join('; ')}`);
    expect(r.report.family).toBe('STAR multi-scenario MMoE');
    expect(r.report.test.map((t) => t.task).sort()).toEqual(['ctr', 'cvr']);
    for (const t of r.report.test) {
      expect(Number.isFinite(t.metrics.auc)).toBe(true);
      expect(Object.keys(t.byScenario ?? {}).sort()).toEqual(['detail', 'home', 'search']);
    }

    const { tf } = await initBackend('cpu');
    const model = await loadModelDir(tf, out);
    const [, , scenarioKernel] = model.getLayer('tower_ctr_dense0').getWeights();
    const k = scenarioKernel.arraySync() as number[][][]; // [S, in, units], initialised to ones
    model.dispose();
    expect(k.length).toBe(3);
    const moved = k.map((s) => Math.max(...s.flat().map((v) => Math.abs(v - 1))));
    for (const m of moved) expect(m).toBeGreaterThan(1e-3);
    expect(k[0].flat()).not.toEqual(k[1].flat());
  }, 240_000);

  it('evaluates, and scores alike on tfjs and ONNX Runtime', async () => {
    // evaluate takes no --set: the spec's own test split (the default data)
    const e = await cli('evaluate', join(ROOT, 'configs/star.yaml'), '-m', out, '--backend', 'cpu');
    expect(e.code, e.err.join('\n')).toBe(0);
    expect(e.out).toMatch(/^ctr: 5000 rows; auc 0\.\d+/m);
    const table = (await loadSpecData(readModelFolder(out).spec, join(ROOT, 'configs/star.yaml'))).test;
    const records = tableRecords(table, 200);
    const tfjs = await loadServableFromDir(out, { backend: 'cpu' });
    const want = await tfjs.score(records);
    tfjs.dispose();
    const onnx = await loadServableFromDir(out, { engine: 'onnxruntime' });
    const got = await onnx.score(records);
    onnx.dispose();
    let worst = 0;
    want.scores.forEach((s, i) => {
      for (const task of ['ctr', 'cvr'])
        worst = Math.max(worst, Math.abs((s?.[task] ?? NaN) - (got.scores[i]?.[task] ?? NaN)));
    });
    expect(worst).toBeLessThan(1e-5);
  }, 120_000);
});
