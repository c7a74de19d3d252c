// explain and diff on DCN-v2 cross layers: the words, and the parameter and FLOP deltas equal
// the closed form computed here (d = 45, the ecom groups' width).
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { explain } from '../../src/compiler/explain.js';
import { captureIo, compiled } from './helpers.js';

describe('cross layers in explain and diff', () => {
  it('explain says which experts cross their input, and the rank', () => {
    const s = compiled('configs/ecom-cross.yaml');
    expect(explain(s.ir, s.cost).text).toContain(
      'MMoE: 4 shared experts [64, 32] (ReLU, each after 2 DCN-v2 cross layers), one softmax gate per task',
    );
    const r = compiled('configs/ecom-cross.yaml', ['model.levels[0].pools[0].cross.rank=8']);
    expect(explain(r.ir, r.cost).text).toContain('(ReLU, each after 2 DCN-v2 cross layers of rank 8)');
  });

  it('diff reports the cross change with the parameter and FLOP deltas of 4 experts', async () => {
    const io = captureIo();
    const code = await main(['diff', 'configs/mmoe.yaml', 'configs/ecom-cross.yaml'], io);
    expect(code).toBe(1);
    const d = 23 + 17 + 5;
    const params = 4 * 2 * (d * d + d);
    const flops = 4 * 2 * (2 * d * d + 3 * d);
    const text = io.out$;
    expect(text).toContain('cross: none -> {"layers":2,"rank":null}');
    expect(text).toContain(`(+${params.toLocaleString('en-US')})`);
    expect(text).toContain(`(+${flops.toLocaleString('en-US')})`);
  });
});
