// The catalogue of diagnostics is the one list: every code reported anywhere in src/ is a row of
// it, every row is reported somewhere, docs/diagnostics.md is generated from it, and
// `validate --explain CODE` prints a row.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, CODES, isDiagnosticCode, matchesTemplate, templatePattern } from '../../src/util/catalogue.js';
import { renderCatalogueMarkdown } from '../../src/schema/catalogue-render.js';
import { runCli, SAMPLES_DIR } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// Where a code is written as a literal: `code: 'x'`, `code = 'x'`, `code: DiagnosticCode = 'x'`,
// or as the code argument of a reporting helper (`err(loc, 'x', ...)`, `fail(1, 'x', ...)`).
// (The types check this too; the test names the file and line of a code missing from the table.)
const CODE_LITERAL =
  /\bcode(?:: DiagnosticCode)?\s*[:=]\s*'([a-z][a-z0-9-]*)'|\b(?:err|fail)\((?:\{[^}]*\}|[^,()]*(?:\([^()]*\))?[^,()]*),\s*'([a-z][a-z0-9-]*)'/g;

function reportedCodes(): { code: string; where: string }[] {
  const out: { code: string; where: string }[] = [];
  for (const f of tsFiles(SRC)) {
    if (f.endsWith('catalogue.ts')) continue;
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(CODE_LITERAL)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ code: m[1] ?? m[2], where: `${relative(ROOT, f)}:${line}` });
    }
  }
  return out;
}

describe('the diagnostic catalogue', () => {
  it('has every code that src/ reports', () => {
    const found = reportedCodes();
    expect(found.length).toBeGreaterThan(40);
    const missing = found
      .filter((x) => !isDiagnosticCode(x.code))
      .map(
        (x) =>
          `code "${x.code}" (${x.where}) is not in src/util/catalogue.ts: add a row for it, then npm run docs:diagnostics`,
      );
    expect(missing).toEqual([]);
  });

  it('has no row that nothing reports', () => {
    // loosely: the code appears as a string literal somewhere in src/ (ternaries, multi-line calls)
    const text = tsFiles(SRC)
      .filter((f) => !f.endsWith('catalogue.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const used = new Set(CODES.filter((c) => text.includes(`'${c}'`)));
    const stale = CODES.filter((c) => !used.has(c)).map(
      (c) => `"${c}" is in the catalogue but no code in src/ reports it`,
    );
    expect(stale).toEqual([]);
  });

  it('has every code the sample folders expect', () => {
    for (const name of readdirSync(SAMPLES_DIR)) {
      const expected = JSON.parse(readFileSync(join(SAMPLES_DIR, name, 'expected.json'), 'utf8')) as { code: string }[];
      for (const d of expected) expect(isDiagnosticCode(d.code), `${name}: ${d.code}`).toBe(true);
    }
  });

  it('every entry is complete: a title, templates, help and an example', () => {
    for (const c of CODES) {
      const e = CATALOGUE[c];
      expect(e.title.length, c).toBeGreaterThan(5);
      expect(e.help.length, c).toBeGreaterThan(10);
      expect(e.example.length, c).toBeGreaterThan(3);
      expect(e.messages.length, c).toBeGreaterThan(0);
    }
  });

  it('templates match the messages they stand for, and only those', () => {
    expect(templatePattern('feature "{name}" is in no group.').test('feature "user_city" is in no group.')).toBe(true);
    expect(templatePattern('feature "{name}" is in no group.').test('feature "user_city" is in a group.')).toBe(false);
    expect(templatePattern('a (b) [c] {x}?').test('a (b) [c] anything?')).toBe(true);
    expect(
      matchesTemplate(
        'gate-topk',
        'gate "g" keeps the top 3 of 2 experts, more than it has. Use a topK below 2, or remove topK.',
      ),
    ).toBe(true);
    expect(matchesTemplate('gate-topk', 'gate "g" keeps nothing')).toBe(false);
  });

  it('docs/diagnostics.md is generated from it (npm run docs:diagnostics)', () => {
    const committed = readFileSync(join(ROOT, 'docs/diagnostics.md'), 'utf8');
    const fresh = renderCatalogueMarkdown();
    // name the first code whose section differs, so the failure says what to regenerate
    if (committed !== fresh) {
      const differing = CODES.find((c) => !committed.includes(`### ${c}\n`)) ?? 'a changed entry';
      expect.fail(`docs/diagnostics.md is out of date (${differing}): run npm run docs:diagnostics`);
    }
    for (const c of CODES) expect(fresh).toContain(`### ${c}\n`);
  });
});

describe('validate --explain', () => {
  it('prints the entry of a code', async () => {
    const r = await runCli('validate', '--explain', 'early-stopping');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('early-stopping (error): Early stopping cannot watch what it names');
    expect(r.out).toContain('early stopping watches {metric} on task "{task}", but the task computes only {metrics}.');
    expect(r.out).toContain('earlyStopping: { task: ctr, metric: mse }');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('docs/diagnostics.md#early-stopping');
  });

  it('an unknown code exits 2 with did-you-mean, and no spec file is a usage error', async () => {
    const r = await runCli('validate', '--explain', 'early-stoping');
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe('mmoe-compile: unknown diagnostic code "early-stoping". Did you mean "early-stopping"?');
    const none = await runCli('validate', '--explain', 'zzzzzzzz');
    expect(none.err).toBe(
      'mmoe-compile: unknown diagnostic code "zzzzzzzz". The codes are listed in docs/diagnostics.md.',
    );
    expect((await runCli('validate')).code).toBe(2);
  });
});
