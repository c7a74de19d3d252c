// pipeline.ts and labels.ts run in the browser bundle (serving): nothing they import, directly
// or through other files, may be Node-only or pull in the CSV parser.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src/data');

function importsOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[1];
    if (spec.startsWith('.')) importsOf(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('browser-safe modules', () => {
  it.each(['pipeline.ts', 'labels.ts'])('%s imports nothing Node-only', (entry) => {
    const all = [...importsOf(join(SRC, entry))];
    const external = all.filter((s) => !s.startsWith('/'));
    expect(external.filter((s) => s.startsWith('node:') || s === 'papaparse' || s.startsWith('@tensorflow'))).toEqual([]);
    expect(all.some((s) => s.endsWith('csv.ts') || s.endsWith('vocabulary-file.ts'))).toBe(false);
  });

  it('no data file imports tfjs', () => {
    for (const entry of ['csv.ts', 'synthetic-ecom.ts', 'synthetic-mmoe.ts', 'vocabulary-file.ts', 'pipeline.ts']) {
      expect([...importsOf(join(SRC, entry))].filter((s) => s.startsWith('@tensorflow'))).toEqual([]);
    }
  });
});
