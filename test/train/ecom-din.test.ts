// configs/ecom-din.yaml (DIN target attention over user_history against item_category) trained
// end to end on the wasm engine, then evaluated, predicted and served: the attention weights
// move during training, and the trained folder scores the same on tfjs (Node) and ONNX Runtime
// (node and web) to 1e-5, with short, empty and unknown-category histories among the records.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserializeModel } from '../../src/compiler/build/save.js';
import { layerName } from '../../src/compiler/build/names.js';
import { compileSpec } from '../../src/driver/compile.js';
import { runTraining, type TrainOutcome } from '../../src/driver/train.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { compareScores, hardRecords } from '../export/records.js';
import { SMALL_DATA, tableRecords, testTable } from '../serve/helpers.js';
import { cli, ROOT, tempDir } from './helpers.js';

const SPEC = join(ROOT, 'configs/ecom-din.yaml');
let tf: Tf;
let root: string;
let trained: Extract<TrainOutcome, { ok: true }>;
let initial: string;

async function attentionWeights(dir: string): Promise<number[]> {
  const m = await deserializeModel(tf, {
    modelJson: readFileSync(join(dir, 'model.json'), 'utf8'),
    weightsBin: new Uint8Array(readFileSync(join(dir, 'weights.bin'))),
  });
  const w = [
    ...m.getLayer(layerName.attention('user_history', 'dense', 0)).getWeights(),
    ...m.getLayer(layerName.attentionScore('user_history')).getWeights(),
  ].flatMap((t) => Array.from(t.dataSync()));
  m.dispose();
  return w;
}

beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
  root = tempDir('mmoe-din-');
  initial = join(root, 'built');
  const built = await compileSpec(SPEC, { outDir: initial, backend: 'cpu', sets: [...SMALL_DATA] });
  if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
  const r = await runTraining(SPEC, {
    sets: [...SMALL_DATA, 'training.epochs=2', 'training.batchSize=128'],
    outDir: join(root, 'trained'),
    backend: 'wasm',
  });
  if (!r.ok) throw new Error(r.message ?? r.diagnostics.map((d) => d.message).join('; '));
  trained = r;
}, 240_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('configs/ecom-din.yaml end to end', () => {
  it('trains: finite losses, and the attention MLP and score weights moved', async () => {
    expect(trained.report.epochs.length).toBeGreaterThanOrEqual(1);
    for (const e of trained.report.epochs) expect(Number.isFinite(e.loss)).toBe(true);
    const before = await attentionWeights(initial);
    const after = await attentionWeights(trained.outDir);
    expect(after.length).toBe(before.length);
    const moved = after.reduce((m, v, i) => Math.max(m, Math.abs(v - before[i])), 0);
    expect(moved).toBeGreaterThan(1e-3);
  });

  it('evaluate and predict read the trained folder', async () => {
    // evaluate reads the spec's own test split (5000 rows)
    const ev = await cli('evaluate', SPEC, '-m', trained.outDir, '--backend', 'cpu');
    expect(ev.code, ev.err.join('\n')).toBe(0);
    expect(ev.out).toMatch(/ctr: 5000 rows; auc 0\.\d+/);
    const table = await testTable(trained.outDir, 'ecom-din');
    const input = join(root, 'records.jsonl');
    writeFileSync(
      input,
      tableRecords(table, 20)
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const pr = await cli('predict', trained.outDir, '-i', input, '--backend', 'cpu', '-o', join(root, 'scores.csv'));
    expect(pr.code, pr.err.join('\n')).toBe(0);
    const lines = readFileSync(join(root, 'scores.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(21);
  });

  it('serves the same scores on tfjs, onnxruntime and onnxruntime-web', async () => {
    const table = await testTable(trained.outDir, 'ecom-din');
    const tfjs = await loadServableFromDir(trained.outDir, { backend: 'cpu' });
    const records = hardRecords(tfjs, tableRecords(table, 300));
    const reference = await tfjs.score(records);
    tfjs.dispose();
    // Histories of every length, the empty one included.
    const lengths = new Set(
      tableRecords(table, 300).map((r) =>
        String(r.user_history ?? '') === '' ? 0 : String(r.user_history).split('|').length,
      ),
    );
    expect(lengths.has(0)).toBe(true);
    expect(lengths.size).toBeGreaterThan(5);
    for (const engine of ['onnxruntime', 'onnxruntime-web'] as const) {
      const servable = await loadServableFromDir(trained.outDir, { engine });
      const { scored, maxDiff } = compareScores(reference, await servable.score(records));
      servable.dispose();
      expect(scored).toBeGreaterThanOrEqual(256);
      expect(maxDiff, engine).toBeLessThanOrEqual(1e-5);
    }
  });
});
