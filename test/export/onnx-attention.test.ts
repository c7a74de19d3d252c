// Target attention with softmax weights on ONNX Runtime (the shipped config, raw weights, is
// covered by onnx-configs.test.ts and test/train/ecom-din.test.ts): configs/ecom-din.yaml with
// attention.softmax true and a leaky-ReLU attention MLP, compiled, exported, and scored equal to
// tfjs to 1e-5 on onnxruntime-node, histories empty to full.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServableFromDir } from '../../src/serve/node.js';
import { compileConfig, SMALL_DATA, tableRecords, testTable } from '../serve/helpers.js';
import { compareScores, hardRecords } from './records.js';

let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

describe('target attention with softmax weights on ONNX Runtime', () => {
  it('scores as tfjs does', async () => {
    dir = await compileConfig('ecom-din', [
      ...SMALL_DATA,
      'features.user_history.attention.softmax=true',
      'features.user_history.attention.activation=leaky_relu',
    ]);
    const tfjs = await loadServableFromDir(dir, { backend: 'cpu' });
    const records = hardRecords(tfjs, tableRecords(await testTable(dir, 'ecom-din'), 300));
    const reference = await tfjs.score(records);
    tfjs.dispose();
    const ort = await loadServableFromDir(dir, { engine: 'onnxruntime' });
    const { scored, maxDiff } = compareScores(reference, await ort.score(records));
    ort.dispose();
    expect(scored).toBeGreaterThanOrEqual(256);
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
  }, 120_000);
});
