// Rewrites relative imports after modules moved between layers (see MOVES). Only imports that
// no longer resolve are touched, so it is safe to run again, and it fixes branches written
// against the old paths: `node scripts/fix-moved-imports.mjs` from the repository root.
// It reads src/, test/, bench/, web/ and scripts/ (.ts, .mjs, .js), including `dist(root, 'x.js')`
// lookups in bench/. Delete it once no branch uses the old paths.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const MOVES = {
  'src/compiler/compile.ts': 'src/driver/compile.ts',
  'src/train/run.ts': 'src/driver/train.ts',
  'src/train/prepare.ts': 'src/driver/prepare.ts',
  'src/train/report.ts': 'src/driver/train-report.ts',
  'src/compiler/stable-json.ts': 'src/util/stable-json.ts',
  'src/compiler/artifacts.ts': 'src/util/atomic-write.ts',
  'src/cli/output.ts': 'src/util/output.ts',
  'src/schema/diagnostics.ts': 'src/util/diagnostics.ts',
  'src/engine/wasm-kernels.ts': 'src/engine/wasm/index.ts',
  // tests, to mirror src/
  'test/build/backend.test.ts': 'test/engine/backend.test.ts',
  'test/build/fused-adam.test.ts': 'test/engine/fused-adam.test.ts',
  'test/build/wasm-kernels.test.ts': 'test/engine/wasm-kernels.test.ts',
  'test/cli/artifacts.test.ts': 'test/util/atomic-write.test.ts',
  'test/train/prepare.test.ts': 'test/driver/prepare.test.ts',
};

const ROOT = process.cwd();
const moves = new Map(Object.entries(MOVES).map(([a, b]) => [resolve(ROOT, a), resolve(ROOT, b)]));
const movedFrom = new Map([...moves].map(([a, b]) => [b, a]));

const asTs = (p) => p.replace(/\.js$/, '.ts');
const exists = (p) => existsSync(asTs(p)) || existsSync(p);

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

function specFor(fromFile, target, wasJs) {
  let s = relative(dirname(fromFile), target);
  if (!s.startsWith('.')) s = './' + s;
  return wasJs ? s.replace(/\.ts$/, '.js') : s;
}

/** The new specifier for `spec` imported by `file`, or undefined when it still resolves. */
function fixSpec(file, spec) {
  if (!spec.startsWith('.')) return undefined;
  const here = resolve(dirname(file), spec);
  if (exists(here)) return undefined;
  const wasJs = spec.endsWith('.js');
  const candidates = [asTs(here)];
  const old = movedFrom.get(file);
  if (old) candidates.push(asTs(resolve(dirname(old), spec)));
  for (const c of candidates) {
    const target = moves.get(c) ?? c;
    if (existsSync(target)) return specFor(file, target, wasJs);
  }
  return undefined;
}

const IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\bvi\.mock\(\s*)(['"])(\.[^'"]+)\2/g;
const DIST = /(\bdist\(\s*root\s*,\s*)(['"])([^'"]+)\2/g;
let changed = 0;
for (const file of ['src', 'test', 'bench', 'web', 'scripts'].flatMap((d) => walk(join(ROOT, d)))) {
  const text = readFileSync(file, 'utf8');
  let next = text.replace(IMPORT, (m, pre, q, spec) => {
    const fixed = fixSpec(file, spec);
    return fixed ? `${pre}${q}${fixed}${q}` : m;
  });
  next = next.replace(DIST, (m, pre, q, path) => {
    const src = resolve(ROOT, 'src', asTs(path));
    const target = moves.get(src);
    return target ? `${pre}${q}${relative(join(ROOT, 'src'), target).replace(/\.ts$/, '.js')}${q}` : m;
  });
  if (next !== text) {
    writeFileSync(file, next);
    changed++;
    console.log(`fixed ${relative(ROOT, file)}`);
  }
}
console.log(`${changed} file(s) changed`);
