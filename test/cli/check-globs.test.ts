// `check` expands globs with a maintained matcher (tinyglobby, picomatch syntax): brace sets,
// character classes and ** work as in a shell; base/ folders, dot-directories and node_modules
// are skipped; every expansion is sorted.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSpecPaths } from '../../src/cli/commands/check.js';

function tree(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmoe-globs-'));
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'name: x\n');
  }
  return dir;
}

describe('check: glob syntax', () => {
  it('a brace set picks exactly the files named (the case that failed before)', () => {
    expect(expandSpecPaths(['configs/{mmoe,moe}.yaml'])).toEqual({
      files: ['configs/mmoe.yaml', 'configs/moe.yaml'],
      unmatched: [],
    });
    expect(expandSpecPaths(['configs/{esmm,nothing}.yaml']).files).toEqual(['configs/esmm.yaml']);
  });

  it('*, ?, [..], ** and braces over a temp tree; base/, dot-directories and node_modules skipped', () => {
    const dir = tree([
      'a.yaml',
      'b.yml',
      'ab.yaml',
      'c.txt',
      'x/deep/d.yaml',
      'x/base/frag.yaml',
      'x/.hidden/h.yaml',
      'node_modules/pkg/n.yaml',
      'y/e.YAML',
    ]);
    const rel = (args: string[]) => expandSpecPaths(args, dir).files;
    expect(rel(['*.yaml'])).toEqual(['a.yaml', 'ab.yaml']);
    expect(rel(['?.y*ml'])).toEqual(['a.yaml', 'b.yml']);
    expect(rel(['[ab].yaml'])).toEqual(['a.yaml']);
    expect(rel(['**/*.yaml'])).toEqual(['a.yaml', 'ab.yaml', 'x/deep/d.yaml']);
    expect(rel(['{a,b}.{yaml,yml}'])).toEqual(['a.yaml', 'b.yml']);
    expect(rel(['x/**'])).toEqual(['x/deep/d.yaml']);
    // a directory: every .yaml / .yml (any case) outside base/, dot-directories and node_modules
    expect(rel(['.'])).toEqual(['a.yaml', 'ab.yaml', 'b.yml', 'x/deep/d.yaml', 'y/e.YAML']);
    expect(expandSpecPaths(['*.json'], dir)).toEqual({ files: [], unmatched: ['*.json'] });
  });

  it('an absolute glob gives absolute paths; a name given twice is listed once', () => {
    const dir = tree(['p/q.yaml', 'p/r.yaml']);
    expect(expandSpecPaths([`${dir}/p/{q,r}.yaml`, join(dir, 'p/q.yaml')]).files).toEqual([
      join(dir, 'p/q.yaml'),
      join(dir, 'p/r.yaml'),
    ]);
  });
});
