// Reads stay inside the project (issue #11, item 2): the hostile corpus in reads/project names
// files outside the project (absolute paths, `..`, symbolic links, a FIFO, a folder, a device,
// /proc/self/environ) as `extends`, data and vocabulary files. Through the real CLI every one is
// refused with its code at the position of the value, and no output contains a secret: neither
// the files next to the project nor the environment of the process.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/util/output.js';
import { HAVE_ADULT } from '../train/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/mmoe-compile.js');
const CORPUS = join(import.meta.dirname, 'reads');
const EXPECTED = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Record<
  string,
  { code: string; line: number; column: number }
>;
const SECRETS = [
  's3cr3t-outside-file',
  's3cr3t-outside-yaml',
  's3cr3t-outside-csv',
  's3cr3t-environment',
  's3cr3t-git-token',
];

const tmp = mkdtempSync(join(tmpdir(), 'mmoe-reads-'));
const project = join(tmp, 'project');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  cpSync(join(CORPUS, 'project'), project, { recursive: true });
  mkdirSync(join(project, '.git')); // the project is a repository: its root
  writeFileSync(join(project, '.git/config'), '[http]\n\textraheader = AUTHORIZATION: basic s3cr3t-git-token\n');
  mkdirSync(join(tmp, 'outside'));
  writeFileSync(join(tmp, 'outside/secret.txt'), 'TOKEN=s3cr3t-outside-file\n');
  writeFileSync(join(tmp, 'outside/secret.yaml'), 'secret_key: s3cr3t-outside-yaml\n');
  writeFileSync(join(tmp, 'outside/secret.csv'), 'user_age,item_id,click,conversion\n1,s3cr3t-outside-csv,1,1\n');
  symlinkSync('../../outside/secret.yaml', join(project, 'specs/link-to-secret.yaml'));
  symlinkSync('../../outside', join(project, 'specs/outside-dir'));
  symlinkSync('../../outside/secret.csv', join(project, 'data/link-to-secret.csv'));
  symlinkSync('/dev/zero', join(project, 'data/zero.csv'));
  execFileSync('mkfifo', [join(project, 'specs/fifo.yaml'), join(project, 'data/fifo.csv')]);
});

const hostile = Object.keys(EXPECTED).filter((f) => f !== 'link-to-secret.yaml');

/** The real CLI, in its own process, from the project folder, with a secret in its environment. */
function cli(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, MMOE_TOKEN: 's3cr3t-environment' },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

/** The CLI entry in this process (same parsing and rendering), for the per-spec loops. */
async function inProcess(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const io: Io = { out: (s) => lines.push(s), err: (s) => lines.push(s) };
  const code = await main(args, io);
  return { code, out: lines.join('\n') };
}

const noSecret = (out: string) => {
  for (const s of SECRETS) expect(out).not.toContain(s);
  expect(out).not.toMatch(/root:x:0:0|PATH=\//);
};

describe('the hostile corpus through the real CLI', () => {
  it('covers every spec in the corpus', () => {
    const specs = readdirSync(join(CORPUS, 'project/specs')).sort();
    expect(specs).toEqual([...hostile, 'inside-ok.yaml'].sort());
  });

  it('validate --format json: each spec refused with its code at the value, the link itself refused, nothing quoted', () => {
    const r = cli(
      'validate',
      '--format',
      'json',
      ...hostile.map((f) => `specs/${f}`),
      'specs/link-to-secret.yaml',
      'specs/inside-ok.yaml',
    );
    expect(r.code).toBe(2); // the linked spec is an I/O refusal
    noSecret(r.out);
    const report = JSON.parse(r.out.slice(0, r.out.lastIndexOf('}') + 1)) as {
      diagnostics: { file: string; code: string; line: number; column: number }[];
      specs: { file: string; valid: boolean }[];
    };
    const got = Object.fromEntries(
      report.diagnostics.map((d) => [d.file.replace(/^specs\//, ''), { code: d.code, line: d.line, column: d.column }]),
    );
    expect(got).toEqual(
      Object.fromEntries(
        Object.entries(EXPECTED).map(([f, e]) => [f, { code: e.code, line: e.line, column: e.column }]),
      ),
    );
    expect(report.specs.find((s) => s.file === 'specs/inside-ok.yaml')?.valid).toBe(true);
  });

  it('validate (text and github): the same refusals, no secret', () => {
    const text = cli('validate', ...hostile.map((f) => `specs/${f}`));
    expect(text.code).toBe(1);
    noSecret(text.out);
    for (const [f, e] of Object.entries(EXPECTED))
      if (f !== 'link-to-secret.yaml')
        expect(text.out).toContain(`specs/${f}:${e.line}:${e.column}: error ${e.code}: `);
    const gh = cli('validate', '--format', 'github', ...hostile.map((f) => `specs/${f}`));
    noSecret(gh.out);
    expect(gh.out).toContain(
      `::error file=specs/extends-proc-environ.yaml,line=3,col=10,endLine=3,endColumn=28,title=path-absolute::`,
    );
  });

  it('explain and diff --format markdown in the real CLI: /proc/self/environ and ../ are refused, never printed', () => {
    const e = cli('explain', 'specs/extends-proc-environ.yaml');
    expect(e.code).toBe(1);
    expect(e.out).toContain(
      'specs/extends-proc-environ.yaml:3:10: error path-absolute: `extends`: "/proc/self/environ" is an absolute path',
    );
    noSecret(e.out);
    const d = cli('diff', '--format', 'markdown', 'specs/extends-etc-passwd.yaml', 'specs/vocabulary-proc.yaml');
    expect(d.code).toBe(2);
    expect(d.out).toContain('specs/extends-etc-passwd.yaml:3:10: error path-outside-root');
    expect(d.out).toContain('specs/vocabulary-proc.yaml:8:57: error path-absolute');
    noSecret(d.out);
  });

  it('explain and diff --format markdown refuse every hostile spec at its value', async () => {
    for (const f of hostile) {
      const spec = join(project, 'specs', f);
      const e = EXPECTED[f];
      const ex = await inProcess('explain', spec);
      expect(ex.code, f).toBe(1);
      expect(ex.out, f).toMatch(new RegExp(`${f.replace(/\./g, '\\.')}:${e.line}:${e.column}: error ${e.code}: `));
      noSecret(ex.out);
      const df = await inProcess('diff', '--format', 'markdown', join(project, 'specs/inside-ok.yaml'), spec);
      expect(df.code, f).toBe(2);
      expect(df.out, f).toMatch(new RegExp(`^### Could not compare: .*${f.replace(/\./g, '\\.')}`));
      expect(df.out, f).toContain(`:${e.line}:${e.column}: error ${e.code}: `);
      noSecret(df.out);
    }
  });

  it('check --compile on the folder: builds only the legitimate spec; no artifact holds a secret', () => {
    const summary = join(tmp, 'summary.md');
    const r = cli('check', 'specs', '--compile', '--summary', summary);
    expect(r.code).toBe(2); // the linked spec
    noSecret(r.out);
    noSecret(readFileSync(summary, 'utf8'));
    expect(r.out).toMatch(/specs\/inside-ok\.yaml: built: out\/inside_ok\//);
    expect(existsSync(join(project, 'out'))).toBe(true);
    expect(readdirSync(join(project, 'out'))).toEqual(['inside_ok']);
    for (const f of readdirSync(join(project, 'out/inside_ok')))
      noSecret(readFileSync(join(project, 'out/inside_ok', f), 'latin1'));
    // the vocabulary file inside the project was read: a, b, c
    expect(readFileSync(join(project, 'out/inside_ok/pipeline.json'), 'utf8')).toMatch(/"a",\s*"b",\s*"c"/);
  });
});

describe('experiment files', () => {
  it('the specs an experiment names stay inside the project: refused at their line, nothing read', () => {
    const r = cli('experiment', 'experiments/outside.yaml', '--dry-run');
    expect(r.code).toBe(1);
    noSecret(r.out);
    expect(r.out).toContain('experiments/outside.yaml: 2 problems:');
    expect(r.out).toContain(
      '- 4:5: error path-outside-root: specs[0]: "../../outside/secret.yaml" leaves the project root',
    );
    expect(r.out).toContain('- 5:13: error path-absolute: specs[1]: "/proc/self/environ" is an absolute path');
  });
});

describe("the allowance is the user's, not the spec's", () => {
  it('--allow-read DIR lets a spec read data there (and only data: extends still stays inside)', async () => {
    const outside = join(tmp, 'outside');
    const data = await inProcess(
      'validate',
      join(project, 'specs/data-dotdot.yaml'),
      join(project, 'specs/vocabulary-dotdot.yaml'),
      '--allow-read',
      outside,
    );
    expect(data.code, data.out).toBe(0);
    const ext = await inProcess('validate', join(project, 'specs/extends-dotdot.yaml'), '--allow-read', outside);
    expect(ext.code).toBe(1);
    expect(ext.out).toContain('error path-outside-root');
    noSecret(ext.out);
  });

  it('allowRead in mmoe-compile.config.json at the root does the same; a setting file below the root is ignored', async () => {
    const nested = join(project, 'specs/mmoe-compile.config.json');
    writeFileSync(nested, JSON.stringify({ allowRead: ['../../outside'] }));
    const before = await inProcess('validate', join(project, 'specs/data-dotdot.yaml'));
    expect(before.code).toBe(1);
    rmSync(nested);
    writeFileSync(join(project, 'mmoe-compile.config.json'), JSON.stringify({ allowRead: ['../outside'] }));
    try {
      expect((await inProcess('validate', join(project, 'specs/data-dotdot.yaml'))).code).toBe(0);
      // a device stays refused whatever the allowance
      writeFileSync(join(project, 'mmoe-compile.config.json'), JSON.stringify({ allowRead: ['/dev'] }));
      const dev = await inProcess('validate', join(project, 'specs/data-device.yaml'));
      expect(dev.out).toContain('data-device.yaml:5:10: error path-not-a-file');
      // --config names the settings to use instead (e.g. the base branch's copy in a review); none: no settings
      const cfg = join(tmp, 'base-settings.json');
      writeFileSync(cfg, JSON.stringify({ allowRead: [] }));
      expect((await inProcess('validate', join(project, 'specs/data-dotdot.yaml'), '--config', cfg)).code).toBe(1);
      writeFileSync(join(project, 'mmoe-compile.config.json'), JSON.stringify({ allowRead: ['../outside'] }));
      expect((await inProcess('validate', join(project, 'specs/data-dotdot.yaml'), '--config', 'none')).code).toBe(1);
      expect((await inProcess('validate', join(project, 'specs/data-dotdot.yaml'))).code).toBe(0);
      // a settings file that links out of the project is not read (nor quoted by a JSON error)
      rmSync(join(project, 'mmoe-compile.config.json'));
      symlinkSync('../outside/secret.txt', join(project, 'mmoe-compile.config.json'));
      const linked = await inProcess('validate', join(project, 'specs/inside-ok.yaml'));
      expect(linked.code).toBe(2);
      expect(linked.out).toContain('mmoe-compile.config.json: not a regular file inside the root');
      noSecret(linked.out);
      rmSync(join(project, 'mmoe-compile.config.json'));
      writeFileSync(join(project, 'mmoe-compile.config.json'), '{"allowRead": "../outside"}');
      const bad = await inProcess('validate', join(project, 'specs/inside-ok.yaml'));
      expect(bad.code).toBe(2);
      expect(bad.out).toContain(
        'mmoe-compile.config.json: allowRead must be a list of folder paths (relative to the root)',
      );
    } finally {
      rmSync(join(project, 'mmoe-compile.config.json'));
    }
  });

  it('--root DIR replaces the repository: a spec outside it is refused, a wider root lets `..` through', async () => {
    const narrow = await inProcess('validate', join(project, 'specs/inside-ok.yaml'), '--root', join(project, 'data'));
    expect(narrow.code).toBe(2);
    expect(narrow.out).toContain(
      `error spec-outside-root: cannot read ${join(project, 'specs/inside-ok.yaml')}: it is outside --root ${join(project, 'data')}`,
    );
    const wide = await inProcess('validate', join(project, 'specs/extends-dotdot.yaml'), '--root', tmp);
    // read now (the user widened the root): the secret base is merged and judged as a spec
    expect(wide.out).not.toContain('path-outside-root');
    const missing = await inProcess('validate', join(project, 'specs/inside-ok.yaml'), '--root', join(tmp, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.out).toContain(`--root ${join(tmp, 'nope')}: no such folder`);
  });
});

describe.skipIf(!HAVE_ADULT)('the repository ships its allowance (needs ../shared/data)', () => {
  it('the census specs read ../shared/data through mmoe-compile.config.json, from the repository root', async () => {
    const cfg = JSON.parse(readFileSync(join(ROOT, 'mmoe-compile.config.json'), 'utf8')) as { allowRead: string[] };
    expect(cfg.allowRead).toEqual(['../shared/data']);
    const r = await inProcess('validate', join(ROOT, 'configs/census.yaml'), join(ROOT, 'configs/census-mmoe.yaml'));
    expect(r.out).not.toContain('path-');
  });
});
