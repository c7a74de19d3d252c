// The atomic folder writer (src/util/safe-output.ts through writeArtifactsAtomic): a replaced
// output is the tool's own, the old one survives a failed write, and a kill -9 at any moment
// leaves the old or the new output whole, never a mix.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeArtifactsAtomic } from '../../src/util/atomic-write.js';
import { stableJson } from '../../src/util/stable-json.js';
import { OUTPUT_MARKER, OutputRefused } from '../../src/util/safe-output.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('writeArtifactsAtomic', () => {
  it('replaces its own previous output whole, leaves no temporary folders, and marks the folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'mmoe-art-'));
    const out = join(root, 'out', 'model');
    writeArtifactsAtomic(out, new Map([['stale.txt', 'old']]));
    writeArtifactsAtomic(
      out,
      new Map<string, string | Uint8Array>([
        ['a.json', '{}\n'],
        ['sub/b.bin', new Uint8Array([1, 2, 3])],
      ]),
    );
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'a.json', 'sub']);
    expect([...readFileSync(join(out, 'sub/b.bin'))]).toEqual([1, 2, 3]);
    expect(JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8'))).toEqual({
      tool: 'mmoe-compile',
      kind: 'model',
      files: ['a.json', 'sub/b.bin'],
    });
    expect(readdirSync(join(root, 'out'))).toEqual(['model']);
  });
  it('refuses a folder it did not write and leaves it untouched', () => {
    const root = mkdtempSync(join(tmpdir(), 'mmoe-art-'));
    const out = join(root, 'model');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.txt'), 'old');
    expect(() => writeArtifactsAtomic(out, new Map([['a.json', '{}']]))).toThrow(OutputRefused);
    expect(readdirSync(out)).toEqual(['stale.txt']);
    expect(readdirSync(root)).toEqual(['model']);
  });
  it('keeps the old output when writing fails', () => {
    const root = mkdtempSync(join(tmpdir(), 'mmoe-art-'));
    const out = join(root, 'model');
    writeArtifactsAtomic(out, new Map([['keep.txt', 'v1']]));
    // a path that cannot be a file name makes the write fail half-way
    expect(() =>
      writeArtifactsAtomic(
        out,
        new Map([
          ['ok.txt', 'x'],
          ['bad\0name', 'y'],
        ]),
      ),
    ).toThrow();
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('v1');
    expect(readdirSync(root)).toEqual(['model']);
    expect(existsSync(join(out, 'ok.txt'))).toBe(false);
  });

  // A child process rewrites the folder in a loop, alternating two versions with different file
  // names (1 MB each, so writes take a while); it is killed with SIGKILL at random moments.
  it('kill -9 at random moments leaves the old or the new output whole', async () => {
    const dist = join(ROOT, 'dist/util/safe-output.js');
    expect(existsSync(dist), 'run `npm run build` first (npm test does)').toBe(true);
    const root = mkdtempSync(join(tmpdir(), 'mmoe-art-kill-'));
    const out = join(root, 'model');
    const script = `
      import { writeFolderAtomic } from ${JSON.stringify(dist)};
      const version = (v) => new Map(['1', '2', '3'].map((i) => [v + i + '.txt', v.repeat(1 << 20)]));
      for (let i = 0; ; i++) { writeFolderAtomic(${JSON.stringify(out)}, version(i % 2 ? 'b' : 'a'), 'model'); if (i === 0) process.stdout.write('ready\\n'); }`;
    // deterministic pseudo-random kill delays (ms after the first complete write)
    const delays = [3, 17, 41, 9, 66, 28, 0, 52, 13, 35];
    const seen = new Set<string>();
    for (const delay of delays) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
      await new Promise((ok) => setTimeout(ok, delay));
      child.kill('SIGKILL');
      await new Promise((ok) => child.once('exit', ok));
      // the target, or (killed between its two renames) the one renamed-aside old output, is whole
      const olds = readdirSync(root).filter((n) => n.startsWith('.model.old-'));
      const holder = existsSync(out) ? out : join(root, olds[olds.length - 1]);
      const names = readdirSync(holder)
        .filter((n) => n !== OUTPUT_MARKER)
        .sort();
      const v = names[0][0];
      expect(names).toEqual([`${v}1.txt`, `${v}2.txt`, `${v}3.txt`]);
      for (const n of names) expect(readFileSync(join(holder, n), 'utf8')).toBe(v.repeat(1 << 20));
      seen.add(existsSync(out) ? v : `aside:${v}`);
      // whatever was left, the next write succeeds (leftovers are hidden siblings, not inside)
      if (existsSync(out))
        writeArtifactsAtomic(
          out,
          new Map([
            ['a1.txt', 'a'.repeat(1 << 20)],
            ['a2.txt', 'a'.repeat(1 << 20)],
            ['a3.txt', 'a'.repeat(1 << 20)],
          ]),
        );
    }
    expect(seen.size).toBeGreaterThan(1); // the kills landed in different versions
  }, 60_000);
});

describe('stableJson', () => {
  it('sorts keys at every depth', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 0 } })).toBe(
      '{\n  "a": {\n    "c": 0,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
