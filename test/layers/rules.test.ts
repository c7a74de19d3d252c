// The layer rules in .dependency-cruiser.cjs (run over src/ by `npm run lint:layers`) catch what
// they claim to: a tiny fake tree with forbidden imports, cruised with the same
// rule set, must give exactly these violations, and a tree that keeps the rules none.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as {
  forbidden: object[];
  options: object;
};

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmoe-layers-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  return dir;
}

async function violations(dir: string): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const r = await cruise(['src'], {
      validate: true,
      ruleSet: { forbidden: config.forbidden } as never,
      tsPreCompilationDeps: true,
      baseDir: dir,
      doNotFollow: { path: 'node_modules' },
    });
    const out = r.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  } finally {
    process.chdir(cwd);
  }
}

const OK = {
  'src/util/a.ts': 'export const a = 1;\n',
  'src/schema/s.ts': "import { a } from '../util/a.js';\nexport const s = a;\n",
  'src/compiler/c.ts': "import { s } from '../schema/s.js';\nexport const c = s;\n",
  'src/train/t.ts': "import { c } from '../compiler/c.js';\nexport const t = c;\n",
  'src/driver/d.ts': "import { t } from '../train/t.js';\nexport const d = t;\n",
  'src/cli/commands/validate.ts': "import { c } from '../../compiler/c.js';\nexport const v = c;\n",
};

describe('layer rules', () => {
  it('a tree that imports only downwards passes', async () => {
    expect(await violations(tree(OK))).toEqual([]);
  }, 60_000);

  it('an upward import, an import from util into a higher layer and a cycle are each caught', async () => {
    const dir = tree({
      ...OK,
      // train imports the driver above it (and so closes a cycle driver -> train -> driver)
      'src/train/t.ts': "import { c } from '../compiler/c.js';\nimport '../driver/d.js';\nexport const t = c;\n",
      // util imports schema: util may import nothing in src/
      'src/util/b.ts': "import { s } from '../schema/s.js';\nexport const b = s;\n",
    });
    expect(await violations(dir)).toEqual([
      'layer-train: src/train/t.ts -> src/driver/d.ts',
      'layer-util: src/util/b.ts -> src/schema/s.ts',
      'no-circular: src/driver/d.ts -> src/train/t.ts',
    ]);
  }, 60_000);
});
