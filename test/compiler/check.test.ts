// `check`: path, directory and glob expansion (base/ fragments skipped), diagnostics with
// file:line:col in every format, GitHub annotation escaping, the Markdown summary and --compile.
import { readdirSync } from 'node:fs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { expandSpecPaths, runCheck, type CompileHook } from '../../src/cli/commands/check.js';
import { escapeGithubProperty, formatGithub } from '../../src/util/diagnostics.js';
import type { DiagnosticCode } from '../../src/util/catalogue.js';
import { captureIo, readConfig, tempDir, writeTree } from './helpers.js';

// Tests must never write into a real job summary when they run inside GitHub Actions.
let savedSummary: string | undefined;
beforeAll(() => {
  savedSummary = process.env.GITHUB_STEP_SUMMARY;
  delete process.env.GITHUB_STEP_SUMMARY;
});
afterAll(() => {
  if (savedSummary !== undefined) process.env.GITHUB_STEP_SUMMARY = savedSummary;
});

const BROKEN = readConfig('mmoe.yaml').replace(
  '{ name: ctr_gate, pools: [experts] }',
  '{ name: ctr_gate, pools: [expertz] }',
);
/** Where the broken reference is written: line and column of "expertz". */
const BROKEN_LINE = BROKEN.split('\n').findIndex((l) => l.includes('expertz')) + 1;
const BROKEN_COL = BROKEN.split('\n')[BROKEN_LINE - 1].indexOf('expertz') + 1;

function specTree(dir: string): string {
  return writeTree(dir, {
    'good.yaml': readConfig('mmoe.yaml'),
    'broken.yaml': BROKEN,
    'base/ecom-base.yaml': readConfig('base/ecom-base.yaml'),
    'nested/esmm.yml': readConfig('esmm.yaml').replace(
      'extends: base/ecom-base.yaml',
      'extends: ../base/ecom-base.yaml',
    ),
    'notes.txt': 'not a spec',
    // a repository: its root holds base/ (outside any repository the root is the spec's own folder)
    '.git/HEAD': '',
  });
}

async function check(args: string[]) {
  const io = captureIo();
  const code = await main(['check', ...args], io);
  return { code, out: io.out$, err: io.err$ };
}

describe('finding spec files', () => {
  it('directories and globs skip base/ folders; a named file is always checked', () => {
    // configs/ grows as specs are added: list it independently (every .yaml not under a base/ folder)
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? e.name === 'base'
            ? []
            : walk(`${d}/${e.name}`)
          : e.name.endsWith('.yaml')
            ? [`${d}/${e.name}`]
            : [],
      );
    const all = walk('configs').sort();
    expect(all).toEqual(
      expect.arrayContaining([
        'configs/cgc.yaml',
        'configs/ecom.yaml',
        'configs/esmm.yaml',
        'configs/mmoe.yaml',
        'configs/moe.yaml',
        'configs/multi-scenario.yaml',
        'configs/ple.yaml',
        'configs/shared-bottom.yaml',
      ]),
    );
    expect(expandSpecPaths(['configs'])).toEqual({ files: all, unmatched: [] });
    expect(expandSpecPaths(['configs/**/*.yaml'])).toEqual({ files: all, unmatched: [] });
    expect(expandSpecPaths(['configs/m*.yaml', 'configs/mmoe.yaml']).files).toEqual([
      'configs/mmoe.yaml',
      'configs/moe.yaml',
      'configs/multi-scenario.yaml',
    ]);
    expect(expandSpecPaths(['configs/base/ecom-base.yaml']).files).toEqual(['configs/base/ecom-base.yaml']);
    expect(expandSpecPaths(['configs/base']).files).toContain('configs/base/ecom-base.yaml');
    expect(expandSpecPaths(['configs/*.json'])).toEqual({ files: [], unmatched: ['configs/*.json'] });
  });

  it('finds .yml and nested files in a temp tree', () => {
    const dir = specTree(tempDir());
    expect(expandSpecPaths([dir]).files).toEqual([
      join(dir, 'broken.yaml'),
      join(dir, 'good.yaml'),
      join(dir, 'nested/esmm.yml'),
    ]);
    expect(expandSpecPaths([`${dir}/**/*.yml`]).files).toEqual([join(dir, 'nested/esmm.yml')]);
  });
});

describe('check over a folder with one broken spec', () => {
  let dir: string;
  beforeAll(() => {
    dir = specTree(tempDir());
  });

  it('text: exits 1 and reports the broken spec at file:line:col; the others are ok', async () => {
    const r = await check([dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${join(dir, 'broken.yaml')}:${BROKEN_LINE}:${BROKEN_COL}: error`);
    expect(r.out).toContain('expertz');
    expect(r.out).toMatch(new RegExp(`${join(dir, 'good.yaml')}: ok \\(MMoE, [\\d,]+ parameters`));
    expect(r.out).toMatch(/3 specs checked, 1 invalid; [1-9]\d* errors?/);
  });

  it('json: lists every spec and the diagnostics', async () => {
    const r = await check([dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.specs.map((s: { valid: boolean }) => s.valid)).toEqual([false, true, true]);
    expect(j.diagnostics[0]).toMatchObject({
      file: join(dir, 'broken.yaml'),
      line: BROKEN_LINE,
      column: BROKEN_COL,
      severity: 'error',
    });
  });

  it('github: one annotation per diagnostic, located', async () => {
    const r = await check([dir, '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`::error file=${join(dir, 'broken.yaml')},line=${BROKEN_LINE},col=${BROKEN_COL},`);
  });

  it('--summary writes a Markdown report with a table and a Mermaid graph per valid spec', async () => {
    const out = join(tempDir(), 'summary.md');
    writeFileSync(out, 'stale content\n');
    // an existing file is replaced only with --force (test/hostile/outputs.test.ts: refused without)
    const r = await check([dir, '--summary', out, '--force']);
    expect(r.code).toBe(1);
    const md = readFileSync(out, 'utf8');
    expect(md).not.toContain('stale content');
    expect(md).toMatch(/^## Spec check: 1 of 3 specs failed/);
    expect(md).toContain('| Spec | Status | Family | Parameters | FLOPs / example | Tasks |');
    expect(md).toContain(`### \`${join(dir, 'good.yaml')}\`: MMoE`);
    expect(md.match(/```mermaid/g)).toHaveLength(2);
    expect(md).toContain(`${join(dir, 'broken.yaml')}:${BROKEN_LINE}:${BROKEN_COL}: error`);
  });

  it('appends to $GITHUB_STEP_SUMMARY when --summary is not given', async () => {
    const out = join(tempDir(), 'step-summary.md');
    writeFileSync(out, '# earlier step\n');
    const code = await runCheck([join(dir, 'good.yaml')], { format: 'text' }, captureIo(), {
      env: { GITHUB_STEP_SUMMARY: out },
    });
    expect(code).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md.startsWith('# earlier step\n## Spec check: 1 spec valid')).toBe(true);
  });

  it('writes no summary without --summary or the variable', async () => {
    const io = captureIo();
    expect(await runCheck([join(dir, 'good.yaml')], { format: 'text' }, io, { env: {} })).toBe(0);
    expect(existsSync(join(dir, 'summary.md'))).toBe(false);
  });

  it('a missing file exits 2; a glob that matches nothing exits 2', async () => {
    expect((await check([join(dir, 'missing.yaml')])).code).toBe(2);
    const r = await check([`${dir}/*.json`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no spec files');
  });
});

describe('--compile', () => {
  it('without a build step wired in: a clear message and exit 2', async () => {
    const io = captureIo();
    const code = await runCheck(['configs/mmoe.yaml'], { format: 'text', compile: true }, io, { env: {} });
    expect(code).toBe(2);
    expect(io.err$).toContain('--compile (also build each valid spec) is not available in this version yet');
  });

  it('calls the injected build for each valid spec', async () => {
    const seen: string[] = [];
    const compile: CompileHook = async (spec) => {
      seen.push(spec.loaded.file);
      return { ok: spec.name !== 'moe', message: spec.name === 'moe' ? 'failed on purpose' : 'model.json written' };
    };
    const io = captureIo();
    const code = await runCheck(['configs/mmoe.yaml', 'configs/moe.yaml'], { format: 'text', compile: true }, io, {
      env: {},
      compile,
    });
    expect(seen).toEqual(['configs/mmoe.yaml', 'configs/moe.yaml']);
    expect(code).toBe(1);
    expect(io.out$).toContain('configs/mmoe.yaml: built: model.json written');
    expect(io.out$).toContain('configs/moe.yaml: build failed: failed on purpose');
  });
});

describe('GitHub annotation escaping', () => {
  it('escapes %, CR and LF in the message and also : and , in properties', () => {
    const line = formatGithub({
      file: 'dir:a,b%/x.yaml',
      line: 3,
      column: 5,
      severity: 'error',
      code: 'bad:code,x' as DiagnosticCode,
      message: '100% wrong\r\nsecond: line, more',
    });
    expect(line).toBe(
      '::error file=dir%3Aa%2Cb%25/x.yaml,line=3,col=5,title=bad%3Acode%2Cx::100%25 wrong%0D%0Asecond: line, more',
    );
    expect(escapeGithubProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
  });

  it('check --format github escapes a path with ":", "," and "%"', async () => {
    const dir = writeTree(join(tempDir(), 'we:ird,dir%'), {
      'broken.yaml': BROKEN,
      'base/ecom-base.yaml': readConfig('base/ecom-base.yaml'),
    });
    const r = await check([join(dir, 'broken.yaml'), '--format', 'github']);
    expect(r.code).toBe(1);
    const annotation = r.out.split('\n').find((l) => l.startsWith('::error'))!;
    expect(annotation).toContain(
      `file=${escapeGithubProperty(join(dir, 'broken.yaml'))},line=${BROKEN_LINE},col=${BROKEN_COL},`,
    );
    expect(annotation).toContain('we%3Aird%2Cdir%25');
    expect(annotation).not.toContain('we:ird,dir%');
  });
});
