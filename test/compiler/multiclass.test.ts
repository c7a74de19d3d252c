// A multi-class task in `explain` and `diff`: explain names the softmax head and its classes, and
// the parameter count includes the K-unit head; changing K is a task change in diff with the
// head's parameter and FLOP deltas, computed here from the tower width.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { HAVE_ADULT } from '../train/helpers.js';
import { captureIo, ROOT, tempDir, writeTree } from './helpers.js';

const TOWER = 6;

function spec(classes: string[]): string {
  return `specVersion: 1
name: mc
data: { source: synthetic, generator: ecom, rows: 1000 }
features:
  - { name: user_age, type: numeric }
  - { name: item_price, type: numeric }
featureGroups: { all: [user_age, item_price] }
model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom, units: [${TOWER}] }
    - { name: city, input: bottom, units: [${TOWER}] }
tasks:
  - { name: ctr, label: click }
  - { name: city, type: multiclass, label: user_city, classes: [${classes.join(', ')}], topK: 2 }
training: {}
`;
}

async function run(...args: string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out$, err: io.err$ };
}

describe('multi-class tasks in explain and diff', () => {
  const dir = writeTree(tempDir(), {
    'k3.yaml': spec(['city0', 'city1', 'city2']),
    'k5.yaml': spec(['city0', 'city1', 'city2', 'city3', 'city4']),
  });

  it('explain names the softmax head, its classes and top-k', async () => {
    const r = await run('explain', join(dir, 'k5.yaml'), '--root', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out.replace(/\s+/g, ' ')).toContain(
      'multi-class softmax head city (label user_city, 5 classes (city0, city1, city2, ..., city4), top-2 accuracy)',
    );
    expect(r.out).toMatch(new RegExp(`head/city\\s+head\\s+${(TOWER + 1) * 5}\\s+${(2 * TOWER + 2) * 5}`));
  });

  it('diff reports the classes and the head parameter and FLOP deltas', async () => {
    const r = await run('diff', join(dir, 'k3.yaml'), join(dir, 'k5.yaml'), '--root', dir);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('classes: [city0, city1, city2] -> [city0, city1, city2, city3, city4]');
    const params = (k: number) => (TOWER + 1) * k;
    const flops = (k: number) => (2 * TOWER + 2) * k;
    expect(r.out).toMatch(
      new RegExp(
        `head/city\\s+${params(3)} -> ${params(5)} \\(\\+${params(5) - params(3)}\\)\\s+${flops(3)} -> ${flops(5)} \\(\\+${flops(5) - flops(3)}\\)`,
      ),
    );
  });
});

describe.skipIf(!HAVE_ADULT)('the census multi-class specs', () => {
  it('validate, and explain the occupation head (14 classes) in both', async () => {
    for (const spec of ['configs/census-multiclass.yaml', 'configs/census-single-occupation.yaml']) {
      const v = await run('validate', join(ROOT, spec));
      expect(v.code, v.out + v.err).toBe(0);
      const e = await run('explain', join(ROOT, spec));
      expect(e.out.replace(/\s+/g, ' ')).toContain(
        'multi-class softmax head occupation (label occupation, 14 classes (Prof-specialty, Craft-repair, Exec-managerial, ..., Armed-Forces), top-3 accuracy)',
      );
      // the 14-unit head over a 16-wide tower
      expect(e.out).toMatch(new RegExp(`head/occupation\\s+head\\s+${17 * 14}\\s`));
    }
  });
});
