// scripts/review/build-review.mjs (the unprivileged pull_request half): what it reviews, and the
// report it writes for the comment workflow, run on a small git repository with a base branch.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { assemble, planReview, unbuildable } from '../../scripts/review/build-review.mjs';

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/review/build-review.mjs');
const CLI = join(ROOT, 'bin/mmoe-compile.js');

describe('planReview', () => {
  const head = ['configs/a.yaml', 'configs/b.yaml', 'configs/new.yaml'];
  const base = ['configs/a.yaml', 'configs/b.yaml', 'configs/gone.yaml'];
  it('reviews the changed specs only, fragments left out', () => {
    expect(planReview(['configs/a.yaml', 'configs/gone.yaml', 'README.md'], head, base)).toMatchObject({
      review: ['configs/a.yaml', 'configs/gone.yaml'],
      present: ['configs/a.yaml'],
      compile: false,
    });
  });
  it('reviews every spec on both sides when an extends fragment changed', () => {
    expect(planReview(['configs/base/ecom-base.yaml'], head, base)).toMatchObject({
      review: ['configs/a.yaml', 'configs/b.yaml', 'configs/gone.yaml', 'configs/new.yaml'],
      compile: false,
    });
  });
  it('checks and compiles every spec when src/, schema/ or the packages changed', () => {
    for (const p of ['src/compiler/lower.ts', 'schema/spec.schema.json', 'package-lock.json']) {
      const plan = planReview([p], head, base);
      expect(plan.compile, p).toBe(true);
      expect(plan.present, p).toEqual(head);
    }
    expect(planReview(['docs/x.md', 'test/src/y.ts'], head, base)).toMatchObject({ review: [], compile: false });
  });
});

describe('Markdown helpers', () => {
  it('assemble keeps whole sections within the budget and names the rest', () => {
    const sections = [
      { file: 'configs/a.yaml', text: 'A'.repeat(300) },
      { file: 'configs/b.yaml', text: 'B'.repeat(300) },
    ];
    const out = assemble('# H', sections, 700);
    expect(out).toContain('A'.repeat(300));
    expect(out).not.toContain('B');
    expect(out).toContain('(1 more spec not shown here: `configs/b.yaml`. The job summary has the full review.)');
  });
});

describe('unbuildable', () => {
  it('names the specs whose CSV data is not a file inside the repository; synthetic data builds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unbuildable-'));
    try {
      mkdirSync(join(dir, 'configs'));
      for (const f of ['census.yaml', 'census-mmoe.yaml', 'mmoe.yaml'])
        copyFileSync(join(ROOT, 'configs', f), join(dir, 'configs', f));
      copyFileSync(join(ROOT, 'configs/base/ecom-base.yaml'), join(dir, 'configs/ecom-base.yaml'));
      writeFileSync(
        join(dir, 'configs/mmoe.yaml'),
        readFileSync(join(dir, 'configs/mmoe.yaml'), 'utf8').replace(
          'extends: base/ecom-base.yaml',
          'extends: ecom-base.yaml',
        ),
      );
      const files = ['census.yaml', 'census-mmoe.yaml', 'mmoe.yaml'].map((f) => join(dir, 'configs', f));
      const got = unbuildable(files, dir);
      expect([...got.keys()]).toEqual(files.slice(0, 2));
      // outside this scratch repository the read rules refuse the data path itself
      expect(got.get(files[0])).toBe('it names a file outside the repository');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('build-review.mjs on a repository', () => {
  it('writes only comment.md and meta.json; repository paths, new, changed and removed specs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-review-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: dir, encoding: 'utf8' });
      mkdirSync(join(dir, 'configs/base'), { recursive: true });
      copyFileSync(join(ROOT, 'configs/base/ecom-base.yaml'), join(dir, 'configs/base/ecom-base.yaml'));
      copyFileSync(join(ROOT, 'configs/mmoe.yaml'), join(dir, 'configs/a.yaml'));
      copyFileSync(join(ROOT, 'configs/moe.yaml'), join(dir, 'configs/gone.yaml'));
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('commit', '-qm', 'base');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      git('checkout', '-qb', 'pr');
      writeFileSync(
        join(dir, 'configs/a.yaml'),
        readFileSync(join(ROOT, 'configs/mmoe.yaml'), 'utf8').replace(/count: 4/, 'count: 6'),
      );
      copyFileSync(join(ROOT, 'configs/shared-bottom.yaml'), join(dir, 'configs/new.yaml'));
      rmSync(join(dir, 'configs/gone.yaml'));
      git('add', '-A');
      git('commit', '-qm', 'pr');

      const out = join(dir, 'out');
      const sha = 'f'.repeat(40);
      const r = spawnSync(
        process.execPath,
        [SCRIPT, '--base', 'main', '--pr', '42', '--head-sha', sha, '--out', out, '--cli', CLI],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '' } },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['comment.md', 'meta.json']);
      expect(JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'))).toEqual({ pr: 42, head_sha: sha });
      const comment = readFileSync(join(out, 'comment.md'), 'utf8');
      expect(comment).not.toContain('.review-base');
      expect(comment).toContain('### `configs/a.yaml` → `configs/a.yaml`: different model');
      expect(comment).toMatch(
        /\| changed \| expert pools \| `experts` \| `count`: `4` → `6` \| `configs\/a\.yaml:\d+:\d+` \| `configs\/a\.yaml:\d+:\d+` \|/,
      );
      expect(comment).toContain('### `configs/gone.yaml`: removed in this pull request');
      expect(comment).toMatch(/### `configs\/new\.yaml`: new spec\n\n```text\nShared-Bottom/);
      expect(comment).toContain('\n- `mmoe-compile check`: 2 specs valid.\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a PR number or base that is not what it claims', () => {
    for (const args of [
      ['--base', 'main', '--pr', '4 2', '--head-sha', 'f'.repeat(40), '--out', 'o'],
      ['--base', '-x', '--pr', '1', '--head-sha', 'f'.repeat(40), '--out', 'o'],
    ]) {
      const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^build-review: --(pr|base) must be/);
    }
  });
});
