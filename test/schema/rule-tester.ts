// A RuleTester in the style of typescript-eslint and graphql-js: one rule, a table of YAML specs it
// accepts and of specs it reports, with the expected code, line and column of every diagnostic.
// Each case is written over a small valid base spec (deep-merged the way `extends` merges: maps
// key by key, lists replaced), so a row holds only what the case is about; lines and columns are
// those of the case text. Every reported message must match one of its code's templates in the
// catalogue, with a severity the catalogue lists. Diagnostics are compared in document order.
import { describe, expect, it } from 'vitest';
import { CATALOGUE, matchesTemplate, type DiagnosticCode } from '../../src/util/catalogue.js';
import { sortDiagnostics, type Diagnostic, type Severity } from '../../src/util/diagnostics.js';
import { mergeWithLocs } from '../../src/schema/load.js';
import { createContext, type Rule } from '../../src/schema/rules/context.js';
import { parseSource } from '../../src/schema/source.js';
import { validateStructure } from '../../src/schema/structural.js';

export const BASE_SPEC = `specVersion: 1
data: { source: synthetic, generator: ecom }
features:
  - { name: user_age, type: numeric }
featureGroups:
  user: [user_age]
model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
tasks:
  - { name: ctr, label: click }
training: {}
`;

export interface ExpectedError {
  code: DiagnosticCode;
  line: number;
  column: number;
  severity?: Severity;
  /** A substring of the message, when the case is about its wording. */
  message?: string;
}

export interface InvalidCase {
  /** What the case is about (the test name); default: the first line of the YAML. */
  name?: string;
  yaml: string;
  errors: ExpectedError[];
}

export interface RuleCases {
  valid: (string | { name: string; yaml: string })[];
  invalid: InvalidCase[];
}

const CASE_FILE = 'case.yaml';

/** Run one rule on the base spec with `yaml` merged over it; every diagnostic it reports. */
export function runRule(rule: Rule, yaml: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const base = parseSource('base.yaml', BASE_SPEC, problems);
  const over = parseSource(CASE_FILE, yaml, problems);
  if (problems.length) throw new Error(`the case does not parse: ${problems.map((d) => d.message).join('; ')}`);
  const merged = mergeWithLocs(base.value, base.locs, over.value, over.locs);
  const structural = validateStructure(merged.value, merged.locs, CASE_FILE);
  if (!structural.spec)
    throw new Error(
      `the case is not structurally valid: ${structural.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`,
    );
  const out: Diagnostic[] = [];
  rule(createContext(structural.spec, merged.locs, CASE_FILE, (d) => out.push(d)));
  return sortDiagnostics(out);
}

const title = (yaml: string) => yaml.trim().split('\n')[0].slice(0, 80);

export function ruleTester(rule: Rule, cases: RuleCases): void {
  describe(`rule ${rule.name}`, () => {
    for (const v of cases.valid) {
      const { name, yaml } = typeof v === 'string' ? { name: title(v), yaml: v } : v;
      it(`valid: ${name}`, () =>
        expect(runRule(rule, yaml).map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`)).toEqual([]));
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name ?? title(c.yaml)}`, () => {
        const got = runRule(rule, c.yaml);
        const shape = (d: Diagnostic | ExpectedError, i: number) => ({
          code: d.code,
          line: d.line,
          column: d.column,
          ...(c.errors[i]?.severity ? { severity: d.severity } : {}),
        });
        expect(got.map(shape)).toEqual(c.errors.map(shape));
        got.forEach((d, i) => {
          expect(d.file, 'diagnostics point into the case').toBe(CASE_FILE);
          if (c.errors[i].message) expect(d.message).toContain(c.errors[i].message);
          expect(
            matchesTemplate(d.code, d.message),
            `"${d.message}" matches no template of ${d.code} in the catalogue`,
          ).toBe(true);
          expect(
            CATALOGUE[d.code].severity as readonly Severity[],
            `${d.code} is not listed with severity ${d.severity}`,
          ).toContain(d.severity);
        });
      });
    }
  });
}
