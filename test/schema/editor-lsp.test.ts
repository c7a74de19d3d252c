// The published schema as an editor sees it: yaml-language-server (the engine of the VS Code
// YAML extension and of most editors' YAML support), driven over its LSP protocol on stdio, with
// the `# yaml-language-server: $schema=` modeline each config carries. One server for the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from './helpers.js';
import { YamlLsp, type LspDiagnostic } from './yaml-lsp.js';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []))
    .sort();

const uriOf = (file: string) => pathToFileURL(resolve(file)).href;
const at = (d: LspDiagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1}`;

// Sample specs whose errors are structural (what a JSON Schema can express); each expected.json
// lists the line and column `validate` reports.
const HOSTILE = [
  'schema-enum',
  'schema-feature-type',
  'schema-missing-key',
  'schema-name-pattern',
  'schema-range',
  'schema-spec-version',
  'schema-unknown-key',
  'schema-unknown-top-level-key',
  'schema-wrong-type',
  'hostile-proto-keys',
  'hostile-proto-names',
  'yaml-duplicate-key',
];

let lsp: YamlLsp;

beforeAll(async () => {
  lsp = new YamlLsp();
  // the samples have no modeline: associate the schema with them as an editor setting would
  await lsp.start(process.cwd(), { [uriOf('schema/spec.schema.json')]: ['**/test/schema/samples/**/*.yaml'] });
});
afterAll(async () => {
  await lsp?.stop();
});

describe('yaml-language-server with the published schema', () => {
  it('every config and base file in configs/: 0 diagnostics', async () => {
    const files = walk('configs');
    expect(files.length).toBeGreaterThanOrEqual(16);
    const got = await Promise.all(
      files.map(async (f) => [f, await lsp.open(uriOf(f), readFileSync(f, 'utf8'))] as const),
    );
    expect(
      got.filter(([, d]) => d.length).map(([f, d]) => `${f}: ${d.map((x) => `${at(x)} ${x.message}`).join('; ')}`),
    ).toEqual([]);
  });

  it('the modeline schema is in force: an edit of a config is reported at its line and column', async () => {
    // mmoe.yaml extends a base (partial schema), ecom.yaml is complete; same folder, so the
    // relative modeline resolves as for the real file
    const mmoe = readFileSync('configs/mmoe.yaml', 'utf8').replace(
      'count: 4, units: [64, 32]',
      'count: 4, unit: [64, 32]',
    );
    const ecom = readFileSync('configs/ecom.yaml', 'utf8').replace('activation: leaky_relu', 'activation: leaky_relus');
    const lineOf = (text: string, s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    const [dm, de] = await Promise.all([
      lsp.open(uriOf('configs/zz-edited-mmoe.yaml'), mmoe),
      lsp.open(uriOf('configs/zz-edited-ecom.yaml'), ecom),
    ]);
    const col = (text: string, s: string) => text.split('\n')[lineOf(text, s) - 1].indexOf(s) + 1;
    // a list item is replaced whole by `extends`, so the pool also misses `units`
    const pool = lineOf(mmoe, 'unit: [');
    expect(dm.map((d) => `${at(d)} ${d.message}`).sort()).toEqual([
      `${pool}:${col(mmoe, '{ name: experts')} Missing property "units".`,
      `${pool}:${col(mmoe, 'unit: [')} Property unit is not allowed.`,
    ]);
    expect(de.map(at)).toEqual([`${lineOf(ecom, 'leaky_relus')}:${col(ecom, 'leaky_relus')}`]);
    expect(de[0].message).toMatch(/^Value is not accepted\. Valid values: "relu", "leaky_relu"/);
  });

  it(`${HOSTILE.length} hostile samples: a diagnostic at each line and column validate reports, none elsewhere`, async () => {
    const got = await Promise.all(
      HOSTILE.map(async (name) => {
        const file = join(SAMPLES_DIR, name, 'spec.yaml');
        const expected = (
          JSON.parse(readFileSync(join(SAMPLES_DIR, name, 'expected.json'), 'utf8')) as {
            line: number;
            column: number;
          }[]
        ).map((e) => `${e.line}:${e.column}`);
        const diagnostics = await lsp.open(uriOf(file), readFileSync(file, 'utf8'));
        return { name, expected: [...new Set(expected)].sort(), got: [...new Set(diagnostics.map(at))].sort() };
      }),
    );
    for (const g of got) expect(g.expected.length, g.name).toBeGreaterThan(0);
    expect(got.map((g) => ({ name: g.name, at: g.got }))).toEqual(got.map((g) => ({ name: g.name, at: g.expected })));
  });

  it('completion inside model: offers its keys, for a complete spec and for one that extends a base', async () => {
    const modeline = '# yaml-language-server: $schema=../schema/spec.schema.json\n';
    const complete = `${modeline}specVersion: 1\nmodel:\n  \n`;
    const extending = `${modeline}specVersion: 1\nextends: base/ecom-base.yaml\nmodel:\n  \n`;
    const pool = `${modeline}specVersion: 1\nextends: base/ecom-base.yaml\nmodel:\n  levels:\n    - pools:\n        - name: experts\n          \n`;
    const labels = async (name: string, text: string, line: number, character: number) => {
      await lsp.open(uriOf(`configs/zz-${name}.yaml`), text);
      return (await lsp.completion(uriOf(`configs/zz-${name}.yaml`), line, character)).map((c) => c.label);
    };
    const [a, b, c] = await Promise.all([
      labels('complete', complete, 3, 2),
      labels('extending', extending, 4, 2),
      labels('pool', pool, 7, 10),
    ]);
    for (const got of [a, b]) expect(got).toEqual(expect.arrayContaining(['levels', 'towers', 'lowering']));
    expect(c).toEqual(expect.arrayContaining(['count', 'units', 'activation', 'batchNorm', 'dropout', 'l2', 'inputs']));
    expect(c).not.toContain('name'); // already there
  });
});
