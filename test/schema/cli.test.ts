// `mmoe-compile validate` through the CLI entry, with a capturing Io: exit codes (0 valid,
// 1 invalid, 2 usage or I/O), several files, the three output formats, and no stack trace for
// any sample.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SAMPLES_DIR, sampleArgs } from './helpers.js';

const run = runCli;

const sample = (name: string) => relative(process.cwd(), join(SAMPLES_DIR, name, 'spec.yaml'));
const tmp = mkdtempSync(join(tmpdir(), 'mmoe-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('validate exit codes', () => {
  it('0 for a valid spec, with the family and parameter count', async () => {
    const r = await run('validate', 'configs/ecom.yaml');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^configs\/ecom\.yaml: ok \(MMoE, \d{3},\d{3} parameters\)$/);
  });

  it('0 with warnings only', async () => {
    const r = await run('validate', sample('rule-unused'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 errors, 5 warnings$/);
  });

  it('1 for an invalid spec', async () => {
    expect((await run('validate', sample('rule-label-leakage'))).code).toBe(1);
  });

  it('2 for a missing file and for a directory, with one line on stdout each and no stack', async () => {
    const missing = await run('validate', join(tmp, 'nope.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/error file-not-found: cannot read .*nope\.yaml: no such file/);
    const dir = await run('validate', tmp);
    expect(dir.code).toBe(2);
    expect(dir.out).toMatch(/error not-a-file: cannot read .*: it is a directory, not a spec file/);
  });

  it('2 for usage errors: no file, an unknown format, a bad --max-params', async () => {
    expect((await run('validate')).code).toBe(2);
    expect((await run('validate', '--format', 'xml', 'configs/ecom.yaml')).code).toBe(2);
    expect((await run('validate', '--max-params', 'lots', 'configs/ecom.yaml')).code).toBe(2);
  });

  it('several files: every file is reported, and the worst exit code wins', async () => {
    const two = await run('validate', 'configs/mmoe.yaml', sample('rule-esmm-cycle'));
    expect(two.code).toBe(1);
    expect(two.out).toContain('configs/mmoe.yaml: ok (MMoE');
    expect(two.out).toContain('error esmm-cycle');
    const withMissing = await run('validate', 'configs/mmoe.yaml', sample('rule-esmm-cycle'), join(tmp, 'nope.yaml'));
    expect(withMissing.code).toBe(2);
    expect(withMissing.out).toContain('error esmm-cycle');
    expect(withMissing.out).toContain('file-not-found');
  });

  it('--set and --max-params reach the spec', async () => {
    expect((await run('validate', 'configs/mmoe.yaml', '--set', 'model.levels[0].pools[0].count=0')).code).toBe(1);
    expect((await run('validate', sample('hostile-absurd-sizes'))).code).toBe(1);
    const raised = await run('validate', sample('hostile-absurd-sizes'), '--max-params', '1e20');
    expect(raised.code).toBe(0);
    expect(raised.out).toMatch(/: ok \(MMoE, 10,000,000,\d{3},\d{3},\d{3},\d{3} parameters\)$/); // about 1e19
  });
});

describe('output formats, exactly', () => {
  const spec = sample('schema-unknown-key');

  it('text: location, severity, code, message, code frame with a caret under the key, count', async () => {
    const r = await run('validate', spec);
    expect(r.out).toBe(
      [
        `${spec}:5:38: error unknown-key: unknown key "normalisation" in features[0]. Did you mean "normalization"?`,
        '    |',
        '  5 |   - { name: user_age, type: numeric, normalisation: log }',
        '    |                                      ^^^^^^^^^^^^^',
        '1 error, 0 warnings',
      ].join('\n'),
    );
  });

  it('json: {valid, specs, diagnostics}', async () => {
    const r = await run('validate', '--format', 'json', spec, 'configs/moe.yaml');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      valid: false,
      specs: [
        { file: spec, valid: false },
        { file: 'configs/moe.yaml', valid: true, family: 'MoE (one gate)', params: expect.any(Number) },
      ],
      diagnostics: [
        {
          file: spec,
          line: 5,
          column: 38,
          endLine: 5,
          endColumn: 51,
          severity: 'error',
          code: 'unknown-key',
          message: 'unknown key "normalisation" in features[0]. Did you mean "normalization"?',
          path: '/features/0/normalisation',
        },
      ],
    });
  });

  it('json: related places of a duplicate', async () => {
    const r = await run('validate', '--format', 'json', sample('rule-duplicate-name'));
    const [d] = JSON.parse(r.out).diagnostics;
    expect(d).toMatchObject({
      code: 'duplicate-name',
      line: 6,
      column: 13,
      related: [{ line: 5, column: 13, message: '"user_age" first defined here' }],
    });
  });

  it('github: workflow annotations with escaped properties', async () => {
    const r = await run('validate', '--format', 'github', spec);
    expect(r.out).toBe(
      `::error file=${spec},line=5,col=38,endLine=5,endColumn=51,title=unknown-key::unknown key "normalisation" in features[0]. Did you mean "normalization"?`,
    );
  });
});

describe('every sample through the CLI', () => {
  const names = readdirSync(SAMPLES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  for (const format of ['text', 'json', 'github']) {
    it(`no stack trace and a defined exit code (${format})`, async () => {
      for (const name of names) {
        const r = await run('validate', '--format', format, sample(name), ...sampleArgs(join(SAMPLES_DIR, name)));
        expect([0, 1, 2], name).toContain(r.code);
        const all = r.out + '\n' + r.err;
        expect(all, name).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        expect(all, name).not.toMatch(/internal error|internal-error|RangeError|TypeError/);
        if (format === 'json') expect(() => JSON.parse(r.out), name).not.toThrow();
      }
    });
  }
});
