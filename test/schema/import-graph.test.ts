// `validate` must never load tfjs (STYLE.md: only the build step imports it, so validate, diff
// and explain stay fast). Scan the import graph statically from the validate command through
// relative imports in src/, and list every package it reaches.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

// import x from '...'; export { y } from '...'; import '...'; import('...') with a literal.
const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function scan(entry: string, opts: { dynamic: boolean }): { files: string[]; packages: Map<string, string[]> } {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const queue = [resolve(ROOT, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (m[2] !== undefined && !opts.dynamic) continue;
      if (/^import\s+type\s/.test(m[0].trim())) continue; // erased at compile time
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(target)) queue.push(target);
        else if (!spec.endsWith('.generated.js')) throw new Error(`${relative(ROOT, file)} imports ${spec}, which does not exist`);
      } else {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        packages.set(pkg, [...(packages.get(pkg) ?? []), relative(ROOT, file)]);
      }
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)), packages };
}

describe('import graph', () => {
  it('validate reaches no @tensorflow package, even through lazy imports', () => {
    const { files, packages } = scan('src/cli/commands/validate.ts', { dynamic: true });
    // the scan really walks the graph
    expect(files).toContain('src/schema/rules/index.ts');
    expect(files).toContain('src/compiler/lower.ts');
    expect([...packages.keys()]).toContain('yaml');
    const tf = [...packages].filter(([p]) => p.startsWith('@tensorflow'));
    expect(tf, `imported by ${tf.map(([p, by]) => `${p} <- ${by.join(', ')}`).join('; ')}`).toEqual([]);
  });

  it('the CLI entry loads no @tensorflow package at start-up (commands load it lazily)', () => {
    const { packages } = scan('src/cli/main.ts', { dynamic: false });
    const tf = [...packages].filter(([p]) => p.startsWith('@tensorflow'));
    expect(tf, `imported by ${tf.map(([p, by]) => `${p} <- ${by.join(', ')}`).join('; ')}`).toEqual([]);
  });
});
