// Issue #11, item 3: specs under the size limit whose naive handling is quadratic (aliases,
// large mappings, duplicate keys, extends merges, thousands of towers). Each is validated in
// this process (validateSpec from dist/) and compared with the yaml library parsing the same
// text (parseDocument with uniqueKeys: false: yaml's own duplicate-key check compares every key
// with every earlier key of its mapping and is itself quadratic). Interleaved rounds, medians.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { dist, median } from '../lib/common.mjs';
import { CASES } from '../lib/hostile.mjs';

export const title = 'hostile specs under the size limit: validate vs the yaml parse of the same text';
export const note =
  'validate = `validateSpec` in process (read, parse, walk, extends, schema, rules, lowering); yaml = `parseDocument(text, { uniqueKeys: false })` ' +
  'over every file of the case. Goal: validate within about 2x yaml at every size (linear). Before the fix, 20,000 aliases took 34 s and 40,000 keys ' +
  'in one mapping about 100 s (yaml with uniqueKeys: true); 3 rounds, median.';

const SIZES = {
  aliases: [75_000, 150_000],
  keys: [40_000, 80_000],
  duplicateKeys: [70_000, 140_000],
  extendsMerge: [20_000, 40_000],
  towers: [4_500, 9_000],
};

export async function run({ root }) {
  const { validateSpec } = await dist(root, 'schema/validate.js');
  const tmp = mkdtempSync(join(tmpdir(), 'mmoe-bench-hostile-'));
  const rows = [];
  try {
    for (const [name, sizes] of Object.entries(SIZES)) {
      for (const n of sizes) {
        const c = CASES[name](n);
        const dir = join(tmp, `${name}-${n}`);
        mkdirSync(dir);
        for (const [f, text] of Object.entries(c.files)) writeFileSync(join(dir, f), text);
        const bytes = Object.values(c.files).reduce((s, t) => s + Buffer.byteLength(t), 0);
        const y = [];
        const v = [];
        let outcome = '';
        for (let round = 0; round < 3; round++) {
          let t0 = performance.now();
          for (const text of Object.values(c.files)) parseDocument(text, { uniqueKeys: false });
          y.push(performance.now() - t0);
          t0 = performance.now();
          const r = validateSpec(join(dir, c.spec));
          v.push(performance.now() - t0);
          const codes = [...new Set(r.diagnostics.map((d) => d.code))];
          outcome = codes.length ? `${r.diagnostics.length} diagnostics (${codes.slice(0, 3).join(', ')})` : 'valid';
        }
        const ratios = y.map((t, i) => v[i] / t);
        rows.push({
          case: name,
          n,
          KiB: Math.round(bytes / 1024),
          yaml_ms: median(y),
          validate_ms: median(v),
          ratio: median(ratios),
          outcome,
        });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
