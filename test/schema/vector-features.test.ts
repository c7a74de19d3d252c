// Vector features are expanded in place into numeric features named like their columns; what
// comes after keeps pointing at the lines where it is written; the paper specs give the same IR
// as the 100 features written out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/compiler/front.js';

const dir = mkdtempSync(join(tmpdir(), 'vector-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const spec = (features: string, group: string) => `specVersion: 1
name: m
data: { source: synthetic, generator: mmoe-synthetic, params: { d: 4 } }
features:
${features}
featureGroups:
  x: [${group}]
model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: y1, input: bottom }
tasks:
  - { name: y1, type: regression, label: y1 }
training: {}
`;

describe('vector features', () => {
  it('expand in place, in column order, in the features and in the groups', () => {
    const r = checkSpec(
      write(
        'a.yaml',
        spec(
          '  - { name: first, type: numeric, column: x3 }\n  - { name: v, type: vector, columns: [x2, x0], normalization: minmax }\n  - { name: w, type: vector, columns: [x1], missing: { policy: error } }',
          'first, v, w',
        ),
      ),
      { read: { root: dir } },
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.spec?.features.map((f) => [f.name, f.type, f.type === 'numeric' ? f.normalization : ''])).toEqual([
      ['first', 'numeric', 'standard'],
      ['x2', 'numeric', 'minmax'],
      ['x0', 'numeric', 'minmax'],
      ['x1', 'numeric', 'standard'],
    ]);
    expect(r.spec?.features[3]).toMatchObject({ missing: { policy: 'error' } });
    expect(r.spec?.featureGroups.x).toEqual(['first', 'x2', 'x0', 'x1']);
  });

  it('a warning about a component points into the vector, and later features keep their lines', () => {
    // w's components x0, x1 are in no group: unused warnings point at w's prefix; "late" at its own name
    const r = checkSpec(
      write(
        'b.yaml',
        spec(
          '  - { name: v, type: vector, columns: [x2, x3] }\n  - { name: w, type: vector, prefix: x, count: 2 }\n  - { name: late, type: numeric, column: x1 }',
          'v',
        ),
      ),
      { read: { root: dir } },
    );
    const unused = r.diagnostics.filter((d) => d.code === 'unused').map((d) => [d.line, d.column, d.message]);
    expect(unused.map(([l, c]) => `${l}:${c}`)).toEqual(['6:38', '6:38', '7:13']);
    expect(unused[2][2]).toContain('"late"');
    expect(unused[0][2]).toContain('"x0"');
  });

  it('the paper specs compile to the IR of the 100 features written out', () => {
    const written = Array.from({ length: 100 }, (_, k) => `  - { name: x${k}, type: numeric, normalization: none }`);
    const names = Array.from({ length: 100 }, (_, k) => `x${k}`).join(', ');
    const a = checkSpec(write('c.yaml', spec(written.join('\n'), names).replace('d: 4', 'd: 100')), {
      read: { root: dir },
    });
    const b = checkSpec(
      write(
        'd.yaml',
        spec('  - { name: x, type: vector, prefix: x, count: 100, normalization: none }', 'x').replace(
          'd: 4',
          'd: 100',
        ),
      ),
      { read: { root: dir } },
    );
    expect(b.ir).toBeDefined();
    expect(JSON.stringify(b.ir)).toBe(JSON.stringify(a.ir));
    expect(b.spec).toEqual(a.spec);
  });
});
