// The read policy (src/schema/paths.ts) on its own: how the root is found and where the line
// between inside and outside falls. The hostile corpus (reads.test.ts) runs it through the CLI.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNamedPath, isInside, readPolicyFor, repositoryOf } from '../../src/schema/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmoe-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const codeOf = (r: { path: string } | { code: string }) => ('code' in r ? r.code : 'ok');

describe('the root', () => {
  it('is the nearest folder holding .git, a folder or the file of a git worktree', () => {
    mkdirSync(join(tmp, 'repo/.git'), { recursive: true });
    mkdirSync(join(tmp, 'repo/wt/a/b'), { recursive: true });
    writeFileSync(join(tmp, 'repo/wt/.git'), 'gitdir: ../.git/worktrees/wt\n');
    expect(repositoryOf(join(tmp, 'repo/wt/a/b'))).toBe(join(tmp, 'repo/wt'));
    expect(readPolicyFor(join(tmp, 'repo/wt/a/b/spec.yaml')).rootFrom).toBe('repository');
  });

  it("is the spec's own folder outside any repository", () => {
    mkdirSync(join(tmp, 'loose/sub'), { recursive: true });
    const p = readPolicyFor(join(tmp, 'loose/sub/spec.yaml'));
    expect(p).toMatchObject({ root: join(tmp, 'loose/sub'), rootFrom: 'spec-folder' });
    const r = checkNamedPath(p, join(tmp, 'loose/sub'), '../base.yaml', 'spec');
    expect(r).toEqual({
      code: 'path-outside-root',
      message: `"../base.yaml" leaves the project root (the spec's folder: no repository above it); spec files must be inside the project`,
    });
  });
});

describe('inside or outside', () => {
  it('compares path segments, not string prefixes', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/..c/d')).toBe(true); // a folder named "..c"
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c')).toBe(false);
  });

  it('a path that leaves and comes back is inside; a link to a folder inside stays inside', () => {
    const root = join(tmp, 'repo');
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(join(root, 'data/t.csv'), 'a\n1\n');
    symlinkSync('data', join(root, 'data-link'));
    const p = readPolicyFor(join(root, 'spec.yaml'));
    expect(codeOf(checkNamedPath(p, join(root, 'wt'), '../data/../data/t.csv', 'data'))).toBe('ok');
    expect(codeOf(checkNamedPath(p, root, 'data-link/t.csv', 'data'))).toBe('ok');
    expect(codeOf(checkNamedPath(p, root, 'missing.csv', 'data'))).toBe('ok'); // the reader reports it missing
  });

  it('refuses Windows and UNC absolute paths as absolute, whatever the platform', () => {
    const p = readPolicyFor(join(tmp, 'repo/spec.yaml'));
    expect(codeOf(checkNamedPath(p, join(tmp, 'repo'), 'C:\\Windows\\win.ini', 'data'))).toBe('path-absolute');
    expect(codeOf(checkNamedPath(p, join(tmp, 'repo'), '\\\\server\\share\\x.csv', 'data'))).toBe('path-absolute');
  });

  it('an absolute data path is accepted only under a folder the user allowed, never for extends', () => {
    mkdirSync(join(tmp, 'shared'), { recursive: true });
    writeFileSync(join(tmp, 'shared/d.csv'), 'a\n1\n');
    const p = readPolicyFor(join(tmp, 'repo/spec.yaml'), { allowRead: [join(tmp, 'shared')] });
    expect(codeOf(checkNamedPath(p, join(tmp, 'repo'), join(tmp, 'shared/d.csv'), 'data'))).toBe('ok');
    expect(codeOf(checkNamedPath(p, join(tmp, 'repo'), join(tmp, 'shared/d.csv'), 'spec'))).toBe('path-absolute');
    expect(codeOf(checkNamedPath(p, join(tmp, 'repo'), '../shared/d.csv', 'spec'))).toBe('path-outside-root');
  });
});
