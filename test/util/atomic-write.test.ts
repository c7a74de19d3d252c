import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeArtifactsAtomic } from '../../src/util/atomic-write.js';
import { stableJson } from '../../src/util/stable-json.js';

describe('writeArtifactsAtomic', () => {
  it('replaces the whole folder and leaves no temporary folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'mmoe-art-'));
    const out = join(root, 'out', 'model');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'stale.txt'), 'old');
    writeArtifactsAtomic(out, new Map<string, string | Uint8Array>([['a.json', '{}\n'], ['sub/b.bin', new Uint8Array([1, 2, 3])]]));
    expect(readdirSync(out).sort()).toEqual(['a.json', 'sub']);
    expect([...readFileSync(join(out, 'sub/b.bin'))]).toEqual([1, 2, 3]);
    expect(readdirSync(join(root, 'out'))).toEqual(['model']);
  });
  it('keeps the old output when writing fails', () => {
    const root = mkdtempSync(join(tmpdir(), 'mmoe-art-'));
    const out = join(root, 'model');
    writeArtifactsAtomic(out, new Map([['keep.txt', 'v1']]));
    // a path that cannot be a file name makes the write fail half-way
    expect(() => writeArtifactsAtomic(out, new Map([['ok.txt', 'x'], ['bad\0name', 'y']]))).toThrow();
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('v1');
    expect(readdirSync(root)).toEqual(['model']);
    expect(existsSync(join(out, 'ok.txt'))).toBe(false);
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 0 } })).toBe('{\n  "a": {\n    "c": 0,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });
});
