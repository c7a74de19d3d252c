// Target attention (DIN) on the PyTorch target: configs/ecom-din.yaml built by the CLI (raw
// weights, and softmax weights through --set), exported, and the generated module's forward pass
// equal to tfjs's to 1e-5 on random rows (row 0's history all padding, others partly padded).
// (torch-configs.test.ts also trains every shipped config, ecom-din included, under torchrun.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserializeModel } from '../../src/compiler/build/save.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { exportTorchPackage } from '../../src/export/torch/write.js';
import { maxAbsDiff, predictByTask, randomBatch } from '../build/fixtures.js';
import { cli } from '../train/helpers.js';
import { torch } from './python.js';

let tf: Tf;
let root: string;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
  root = mkdtempSync(join(tmpdir(), 'mmoe-torch-din-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!torch.python)('target attention on the PyTorch target', () => {
  for (const softmax of [false, true]) {
    it(`forward pass equals tfjs to 1e-5 (softmax ${softmax})`, async () => {
      const model = join(root, `model-${softmax}`);
      const built = await cli(
        'configs/ecom-din.yaml',
        '-o',
        model,
        '--backend',
        'cpu',
        '--set',
        `features.user_history.attention.softmax=${softmax}`,
      );
      expect(built.code, built.err.join('\n')).toBe(0);
      const dir = join(root, `torch-${softmax}`);
      exportTorchPackage(model, dir);
      expect(readFileSync(join(dir, 'model.py'), 'utf8')).toContain(
        `TargetAttention(8, [32, 16], activation="sigmoid", softmax=${softmax ? 'True' : 'False'})`,
      );
      const ir = JSON.parse(readFileSync(join(model, 'ir.json'), 'utf8')) as ModelIR;
      const batch = randomBatch(ir, 32, 7);
      expect(batch.user_history[0].every((id) => id === 0)).toBe(true);
      const m = await deserializeModel(tf, {
        modelJson: readFileSync(join(model, 'model.json'), 'utf8'),
        weightsBin: new Uint8Array(readFileSync(join(model, 'weights.bin'))),
      });
      const want = predictByTask(tf, m, batch);
      m.dispose();
      writeFileSync(join(dir, 'batch.json'), JSON.stringify(batch));
      const list = [{ dir, batch: join(dir, 'batch.json'), out: join(dir, 'forward.json') }];
      writeFileSync(join(root, `forward-${softmax}.json`), JSON.stringify(list));
      const r = spawnSync(
        torch.python!,
        [join(import.meta.dirname, 'torch_forward.py'), join(root, `forward-${softmax}.json`)],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(maxAbsDiff(want, JSON.parse(readFileSync(join(dir, 'forward.json'), 'utf8')))).toBeLessThan(1e-5);
    }, 120_000);
  }
});
