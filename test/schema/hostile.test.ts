// Hostile input that does not fit a sample folder (generated, large, or checked beyond its
// diagnostics): each is refused with a clear, located error, quickly, and leaves no trace.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Alias } from 'yaml';
import { CASES, type HostileCase } from '../../bench/lib/hostile.mjs';
import { checkSpec } from '../../src/compiler/front.js';
import { loadSpec, MAX_EXTENDS_DEPTH, SpecIoError } from '../../src/schema/load.js';
import { MAX_EXPANDED_NODES, MAX_SPEC_BYTES } from '../../src/schema/source.js';
import { MAX_DIAGNOSTICS, validateSpec } from '../../src/schema/validate.js';
import { runSample, SAMPLES_DIR } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmoe-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const codes = (path: string) => validateSpec(path).diagnostics.map((d) => d.code);

describe('size limit', () => {
  it('refuses a 50 MB spec by its size, before reading or parsing it', () => {
    const big = write('big.yaml', Buffer.alloc(50 * 1024 * 1024, 'a: [1]\n'));
    const t0 = performance.now();
    let err: unknown;
    try {
      checkSpec(big);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecIoError);
    expect((err as SpecIoError).code).toBe('file-too-large');
    expect((err as SpecIoError).message).toMatch(/52\.4 MB; specs are limited to 1 MiB/);
    // stat only: parsing 50 MB of YAML would take seconds
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('refuses an oversized extends base at the `extends` line of the spec that names it', () => {
    write('huge-base.yaml', Buffer.alloc(MAX_SPEC_BYTES + 1, '#'));
    const spec = write('uses-huge.yaml', 'specVersion: 1\nextends: huge-base.yaml\n');
    const d = validateSpec(spec).diagnostics;
    expect(d.map((x) => [x.code, x.line, x.column])).toEqual([['extends-unreadable', 2, 10]]);
    expect(d[0].message).toMatch(/specs are limited to 1 MiB/);
  });
});

describe('prototype pollution', () => {
  it('reserved keys in the file and in --set never reach Object.prototype', () => {
    for (const s of ['hostile-proto-keys', 'set-errors']) runSample(join(SAMPLES_DIR, s));
    const spec = write(
      'proto.yaml',
      '__proto__: { polluted: 1 }\nconstructor: { prototype: { polluted: 1 } }\na: { b: { __proto__: { polluted: 1 } } }\n',
    );
    loadSpec(spec, ['x.__proto__.polluted=1', 'y={__proto__: {polluted: 1}}', 'constructor.prototype.polluted=1']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('reports every reserved key, at every depth', () => {
    const spec = write(
      'proto-depths.yaml',
      'specVersion: 1\n__proto__: 1\nmodel:\n  constructor: 1\n  levels:\n    - pools:\n        - { prototype: 1 }\n',
    );
    const d = validateSpec(spec).diagnostics.filter((x) => x.code === 'reserved-key');
    expect(d.map((x) => [x.line, x.column])).toEqual([
      [2, 1],
      [4, 3],
      [7, 13],
    ]);
  });
});

describe('nesting', () => {
  // Each must end in one located too-deep error, never a RangeError out of the parser or a rule.
  const cases: [string, string][] = [
    ['flow lists', 'a: ' + '['.repeat(10_000) + ']'.repeat(10_000)],
    ['flow maps', 'a: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['block lists', 'a:\n  ' + '- '.repeat(10_000) + 'x'],
    ['unbalanced brackets', 'a: ' + '['.repeat(10_000)],
    [
      'block maps (1,000 levels: 1 MB of indentation)',
      Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' 1\n',
    ],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      const p = write(`deep-${name.replace(/\W+/g, '-')}.yaml`, text);
      const d = validateSpec(p).diagnostics;
      expect(d.map((x) => x.code)).toEqual(['too-deep']);
      for (const x of d) {
        expect(x.line).toBeGreaterThanOrEqual(1);
        expect(x.column).toBeGreaterThanOrEqual(1);
        expect(x.message).not.toMatch(/Maximum call stack/);
      }
    });
  }
});

describe('aliases', () => {
  it('a billion-laughs bomb is refused after a bounded amount of work', () => {
    expect(runSample(join(SAMPLES_DIR, 'hostile-alias-bomb')).diagnostics.map((d) => d.code)).toEqual([
      'alias-expansion',
    ]);
    // counted, not timed (speed belongs to the benchmarks): the walk stops at the expansion limit
    const work = loadSpec(join(SAMPLES_DIR, 'hostile-alias-bomb', 'spec.yaml')).work;
    expect(work).toBeGreaterThan(MAX_EXPANDED_NODES);
    expect(work).toBeLessThan(MAX_EXPANDED_NODES + 1000);
  });

  it('a long file without aliases is not mistaken for a bomb', () => {
    const vocab = Array.from({ length: 90_000 }, (_, i) => `v${i}`).join(', ');
    const p = write(
      'big-vocab.yaml',
      `specVersion: 1\ndescription: x\nfeatures:\n  - { name: f, type: categorical, vocabulary: [${vocab}] }\n`,
    );
    expect(codes(p)).not.toContain('alias-expansion');
  });
});

describe('many errors', () => {
  it('100,000 bad list items: 200 diagnostics and one summary, no stack overflow', () => {
    const p = write('many-errors.yaml', `specVersion: 1\nfeatures: [${Array(100_000).fill('1').join(', ')}]\n`);
    const d = validateSpec(p).diagnostics;
    expect(d).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(d[MAX_DIAGNOSTICS]).toMatchObject({ code: 'too-many-diagnostics', severity: 'error' });
    expect(d[MAX_DIAGNOSTICS].message).toMatch(/^\d+ more problems are not shown/);
  });
});

describe('many bad references', () => {
  it('5,000 unknown features against 5,000 defined ones: no quadratic "did you mean" (runs in seconds)', () => {
    const n = 5000;
    const features = Array.from({ length: n }, (_, i) => `  - { name: feature_${i}, type: numeric }`).join('\n');
    const members = Array.from({ length: n }, (_, i) => `featur_${i}`).join(', ');
    const spec = readFileSync(join(SAMPLES_DIR, 'valid', 'spec.yaml'), 'utf8')
      .replace('  - { name: user_age, type: numeric }\n', `  - { name: user_age, type: numeric }\n${features}\n`)
      .replace('  item: [item_id]', `  item: [item_id]\n  many: [${members}]`);
    const t0 = performance.now();
    const d = validateSpec(write('many-unknown.yaml', spec)).diagnostics;
    expect(d.filter((x) => x.code === 'unknown-reference')).toHaveLength(MAX_DIAGNOSTICS);
    expect(
      d.filter((x) => x.code === 'unknown-reference' && x.message.includes('Did you mean')).length,
    ).toBeGreaterThan(50);
    expect(d.at(-1)?.code ?? '').toBe('too-many-diagnostics');
    expect(performance.now() - t0).toBeLessThan(60_000);
  });
});

describe('resource limits', () => {
  it('estimates absurd sizes as finite numbers and passes under a raised limit', () => {
    const refused = runSample(join(SAMPLES_DIR, 'hostile-absurd-sizes'));
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['resource-limit']);
    expect(refused.diagnostics[0].message).toMatch(/about 1\.00e\+19 parameters/);
    const allowed = runSample(join(SAMPLES_DIR, 'hostile-absurd-sizes-allowed'));
    expect(allowed.diagnostics).toEqual([]);
    const params = allowed.checked!.cost!.params;
    // 1e9 experts x (9 inputs x 1e9 + 1e9 biases) = 1e19, plus small change
    expect(Number.isFinite(params)).toBe(true);
    expect(params / 1e19).toBeGreaterThan(0.99);
    expect(params / 1e19).toBeLessThan(1.01);
  });
});

describe('files that are not spec files', () => {
  it('a directory and a missing file are I/O errors (SpecIoError), not diagnostics', () => {
    mkdirSync(join(tmp, 'a-dir.yaml'));
    expect(() => checkSpec(join(tmp, 'a-dir.yaml'))).toThrow(expect.objectContaining({ code: 'not-a-file' }));
    expect(() => checkSpec(join(tmp, 'nope.yaml'))).toThrow(expect.objectContaining({ code: 'file-not-found' }));
  });

  it('binary garbage is an invalid-utf8 error at the first bad byte', () => {
    const p = write('garbage.yaml', Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0xff, 0xfe, 0x00]));
    const d = validateSpec(p).diagnostics;
    expect(d.map((x) => [x.code, x.line, x.column])).toEqual([['invalid-utf8', 2, 1]]);
    expect(d[0].message).toMatch(/byte 0xff at offset 5/);
  });

  it('a UTF-8 byte-order mark is accepted', () => {
    const p = write('bom.yaml', '\uFEFFspecVersion: 1\n');
    expect(codes(p)).not.toContain('yaml-syntax');
  });
});

// Issue #11, item 3: every spec under the size limit is handled in time linear in its size. Speed
// is measured in `npm run bench` (bench/sections/12-hostile.mjs, numbers in bench/RESULTS.md);
// here the work is counted (LoadedSpec.work: nodes walked and locations copied), which is
// deterministic, and doubling the input must no more than double it.
describe('bounded work (the quadratic cases)', () => {
  let k = 0;
  const writeCase = (c: HostileCase) => {
    const dir = join(tmp, `case-${k++}`);
    mkdirSync(dir);
    for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text);
    return join(dir, c.spec);
  };
  const workOf = (c: HostileCase) => loadSpec(writeCase(c)).work;
  const linear = (name: keyof typeof CASES, n: number) => {
    const w1 = workOf(CASES[name](n));
    const w2 = workOf(CASES[name](2 * n));
    expect(w1).toBeGreaterThan(n);
    // w = a n + b: twice the input is at most twice the work, and not much less
    expect(w2).toBeLessThanOrEqual(2 * w1);
    expect(w2).toBeGreaterThanOrEqual(1.9 * w1);
  };

  it("aliases are resolved from one pass over the document, never by yaml's per-alias scan", () => {
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    try {
      linear('aliases', 5000);
      expect(resolve).not.toHaveBeenCalled();
    } finally {
      resolve.mockRestore();
    }
  });

  it('150,000 aliases (under the size limit) are refused as an alias expansion at the outer alias', () => {
    const c = CASES.aliases(150_000);
    expect(Buffer.byteLength(c.files['spec.yaml'])).toBeLessThan(MAX_SPEC_BYTES);
    const d = validateSpec(writeCase(c)).diagnostics;
    expect(d.map((x) => [x.code, x.line])).toEqual([['alias-expansion', 3]]);
  }, 60_000);

  it("an alias to an anchor redefined later resolves to the anchor written before it (yaml's rule)", () => {
    const p = writeCase({ spec: 's.yaml', files: { 's.yaml': 'a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: &y [*x]\n' } });
    expect(loadSpec(p).value).toEqual({ a: 1, b: 1, c: 2, d: 2, e: [2] });
  });

  it('a mapping of many keys', () => linear('keys', 5000));

  it('many duplicate keys: each reported at its key with the first one, found with a map', () => {
    linear('duplicateKeys', 5000);
    const d = loadSpec(writeCase(CASES.duplicateKeys(1000))).diagnostics;
    expect(d).toHaveLength(999);
    expect(d.every((x) => x.code === 'duplicate-key')).toBe(true);
    expect(d.slice(0, 2).map((x) => [x.line, x.column, x.endColumn, x.related?.[0].line])).toEqual([
      [4, 3, 4, 3],
      [5, 3, 4, 3],
    ]);
  });

  it('extends: merging two large mappings copies each location once', () => {
    linear('extendsMerge', 5000);
    const loaded = loadSpec(writeCase(CASES.extendsMerge(3)));
    expect(Object.keys((loaded.value as { data: { columns: object } }).data.columns)).toEqual([
      'b0',
      'b1',
      'b2',
      's0',
      's1',
      's2',
    ]);
    // each key keeps the file and line it is written on
    expect(
      [...loaded.locs]
        .filter(([k]) => k.startsWith('/data/columns/'))
        .map(([k, l]) => `${k} ${l.value.file.split('/').pop()}:${l.value.line}`),
    ).toEqual([
      '/data/columns/b0 base.yaml:4',
      '/data/columns/b1 base.yaml:5',
      '/data/columns/b2 base.yaml:6',
      '/data/columns/s0 spec.yaml:5',
      '/data/columns/s1 spec.yaml:6',
      '/data/columns/s2 spec.yaml:7',
    ]);
  });

  it('a chain of 1,000 extends files stops at the depth limit, located at the extends that goes too deep', () => {
    const dir = join(tmp, 'chain');
    mkdirSync(dir);
    for (let i = 0; i < 1000; i++)
      writeFileSync(join(dir, `s${i}.yaml`), `specVersion: 1\nextends: s${i + 1}.yaml\nx${i}: 1\n`);
    const loaded = loadSpec(join(dir, 's0.yaml'));
    expect(loaded.diagnostics.map((d) => [d.code, d.file.split('/').pop(), d.line, d.column])).toEqual([
      ['extends-too-deep', `s${MAX_EXTENDS_DEPTH}.yaml`, 2, 10],
    ]);
    expect(loaded.files).toEqual([]);
  });

  it('thousands of gates, towers and tasks validate (names are looked up, not searched)', () => {
    const r = checkSpec(writeCase(CASES.towers(3000)));
    expect(r.diagnostics).toEqual([]);
    expect(r.ir?.towers).toHaveLength(3000);
    expect(r.ir?.towers[0].input.name).toBe('q2999');
  }, 60_000);
});
