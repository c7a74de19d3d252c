// The package as users get it: `npm pack` the project, unpack the tarball into an empty ESM
// project's node_modules (its dependencies linked from this checkout's node_modules: the test
// must not need the registry), and there import every entry point by the package name, validate
// and compile a shipped config, score a raw record from the compiled folder, read the schema,
// and type-check an importing TypeScript file against the shipped declarations. Every package
// that dist/ imports must be a declared dependency (what `npm install mmoe-compile` would fetch).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let app: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'mmoe-pack-'));
  // dist/ is already built (npm test builds first); --ignore-scripts skips the `prepare` rebuild.
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const pkgDir = join(app, 'node_modules', 'mmoe-compile');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', pkgDir, '--strip-components=1']);
  for (const dep of Object.keys(manifest().dependencies)) {
    const link = join(app, 'node_modules', dep);
    mkdirSync(resolve(link, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), link, 'dir');
  }
}, 120_000);

function manifest(): { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/** Bare package names imported by the JavaScript files under dir (static and dynamic imports). */
function importedPackages(dir: string): Set<string> {
  const out = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    // The demo-page server bundles web/ with the devDependency esbuild: a repository tool, not
    // reachable from the package's entry points.
    if (join(entry.parentPath, entry.name).endsWith(join('serve', 'site.js'))) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8')
      .split('\n')
      .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
      .join('\n');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
      const spec = m[1];
      // node built-ins, and the engine name picked at run time (import(`...${engine}`)) are not packages
      if (spec.startsWith('node:') || /[\s$]/.test(spec)) continue;
      out.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return out;
}

describe('the packed package', () => {
  it('declares every package its code imports', () => {
    const m = manifest();
    const declared = new Set([...Object.keys(m.dependencies), ...Object.keys(m.optionalDependencies ?? {})]);
    const used = importedPackages(join(app, 'node_modules', 'mmoe-compile', 'dist'));
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((p) => !declared.has(p))).toEqual([]);
  });

  it('imports every entry point by name, compiles a config and scores a record', () => {
    writeFileSync(
      join(app, 'use.mjs'),
      `import { validateSpec, compileSpec, checkSpec } from 'mmoe-compile';
import { loadServable } from 'mmoe-compile/serve';
import { loadServableFromDir } from 'mmoe-compile/serve/node';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const schema = require('mmoe-compile/schema');
const cfg = require.resolve('mmoe-compile/package.json').replace(/package\\.json$/, 'configs/mmoe.yaml');
const v = validateSpec(cfg);
const out = new URL('./model/', import.meta.url).pathname;
const c = await compileSpec(cfg, { outDir: out, backend: 'cpu' });
const s = await loadServableFromDir(out, { backend: 'cpu' });
const r = await s.score([{ user_id: 'u1', user_age: 31, user_gender: 'f', user_city: 'paris', user_history: 'toys|books', item_id: 'i9', item_category: 'toys', item_price: 12.5, context_hour: 20, scene: 'home' }]);
console.log(JSON.stringify({ valid: v.diagnostics.filter((d) => d.severity === 'error').length === 0, ok: c.ok, family: checkSpec(cfg).ir?.family.label, schema: schema.title ?? Object.keys(schema.properties ?? {}).length, loadServable: typeof loadServable, scores: r.scores, errors: r.errors }));
`,
    );
    const r = spawnSync('node', ['use.mjs'], { cwd: app, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(got.valid).toBe(true);
    expect(got.ok).toBe(true);
    expect(got.family).toBe('MMoE');
    expect(got.loadServable).toBe('function');
    expect(got.errors).toEqual([]);
    for (const task of ['ctr', 'cvr']) {
      const p = got.scores[0][task];
      expect(p > 0 && p < 1, `${task} = ${p}`).toBe(true);
    }
  }, 120_000);

  it('ships type declarations that a TypeScript consumer compiles against', () => {
    writeFileSync(
      join(app, 'use.ts'),
      `import { validateSpec, type Diagnostic } from 'mmoe-compile';
import { loadServable, type ScoreResult } from 'mmoe-compile/serve';
import { loadServableFromDir } from 'mmoe-compile/serve/node';
const d: Diagnostic[] = validateSpec('x.yaml').diagnostics;
const f: typeof loadServable = loadServable;
const g: (dir: string) => Promise<{ score: (r: Record<string, unknown>[]) => Promise<ScoreResult> }> = (dir) => loadServableFromDir(dir);
export { d, f, g };
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 120_000);
});
