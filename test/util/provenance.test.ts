// Run records carry the git state of the mmoe-compile checkout: the commit and a dirty flag as
// git itself reports them, and null (not a crash, not a guess) without git or outside a repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitState } from '../../src/util/provenance.js';

const outside = mkdtempSync(join(tmpdir(), 'mmoe-nogit-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('gitState', () => {
  it('this checkout: the commit and dirty flag git reports', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const porcelain = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' });
    expect(gitState()).toEqual({ commit: head, dirty: porcelain.trim() !== '' });
  });

  it('a folder outside any repository: null, null', () => {
    expect(gitState(outside)).toEqual({ commit: null, dirty: null });
  });

  it('a folder inside another repository (an installed package): null, null; its top: the commit', () => {
    const repo = join(outside, 'app');
    mkdirSync(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'x'],
      { cwd: repo },
    );
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    expect(gitState(repo)).toEqual({ commit: head, dirty: false });
    const pkg = join(repo, 'node_modules', 'mmoe-compile');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    expect(gitState(pkg)).toEqual({ commit: null, dirty: null });
    expect(gitState(repo)).toEqual({ commit: head, dirty: true }); // an untracked file counts
  });

  it('no git on PATH: null, null', () => {
    const path = process.env.PATH;
    process.env.PATH = outside;
    try {
      expect(gitState()).toEqual({ commit: null, dirty: null });
    } finally {
      process.env.PATH = path;
    }
  });
});
