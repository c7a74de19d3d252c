// Sample folders (Svelte's tests/compiler-errors/samples): each `samples/<name>/` holds a
// spec.yaml (plus any file it extends, and options.json for --set / --max-params), and the
// expected diagnostics: expected.json ({code, line, column, file?}, exact) and expected.txt
// (the rendered messages, for review). Regenerate with UPDATE_SAMPLES=1 and review the diff.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesTemplate } from '../../src/util/catalogue.js';
import { expectedOf, runSample, SAMPLES_DIR, textOf } from './helpers.js';

const UPDATE = process.env.UPDATE_SAMPLES === '1';
const samples = readdirSync(SAMPLES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('spec samples', () => {
  it('has samples', () => expect(samples.length).toBeGreaterThan(40));

  for (const name of samples) {
    it(name, () => {
      const dir = join(SAMPLES_DIR, name);
      const r = runSample(dir);
      const got = expectedOf(r.diagnostics);
      const text = textOf(r);
      if (UPDATE) {
        writeFileSync(join(dir, 'expected.json'), JSON.stringify(got, null, 2) + '\n');
        writeFileSync(join(dir, 'expected.txt'), text);
        return;
      }
      expect(got).toEqual(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')));
      expect(text).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
      // No sample may hit a bug in a rule, and every diagnostic has a place.
      for (const d of r.diagnostics) {
        expect(d.code).not.toBe('internal-error');
        // the catalogue documents this message (src/util/catalogue.ts)
        expect(matchesTemplate(d.code, d.message), `${name}: "${d.message}" matches no template of ${d.code}`).toBe(
          true,
        );
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(r.sources.has(d.file) || d.file === 'spec.yaml', `${name}: ${d.file}`).toBe(true);
      }
    });
  }
});
