// The committed JSON Schemas are generated from src/schema/spec-schema.ts; they must be current.
// Regenerate both: `npm run schema:write`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaJson } from '../../src/schema/json-schema.js';

describe('committed schema', () => {
  it('schema/spec.schema.json is current', () => {
    expect(readFileSync('schema/spec.schema.json', 'utf8')).toBe(schemaJson('spec'));
  });
  it('schema/spec-fragment.schema.json is current', () => {
    expect(readFileSync('schema/spec-fragment.schema.json', 'utf8')).toBe(schemaJson('fragment'));
  });
  it('every spec in configs/ starts with a yaml-language-server modeline that resolves', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
      );
    const files = walk('configs');
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const first = readFileSync(f, 'utf8').split('\n')[0];
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, f).not.toBeNull();
      const target = join(f, '..', m![1]);
      expect(() => readFileSync(target), `${f} -> ${target}`).not.toThrow();
    }
  });
});
