// Fuzzing the front end: the valid configs, mutated with a seeded PRNG (delete, duplicate,
// retype, rename and truncate keys, swap list items, point references at other names; cut the
// text at a random offset, drop, repeat or swap lines, insert YAML punctuation), each run through
// checkSpec in-process. Whatever the input, no exception escapes, no rule fails (internal-error),
// and every diagnostic names a file it was given and a line and column inside it.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkSpec } from '../../src/compiler/front.js';
import { SET_SOURCE } from '../../src/schema/load.js';

const CASES = 2000;
// FUZZ_SEED=<n> explores other cases locally; CI runs the fixed seed.
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);

/** mulberry32: small, seeded, good enough to pick mutations. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Slot {
  parent: Json[] | { [k: string]: Json };
  key: string | number;
}

function slots(v: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), slots(x, out)));
  else if (v && typeof v === 'object')
    for (const k of Object.keys(v)) out.push({ parent: v, key: k }), slots(v[k], out);
  return out;
}

function strings(v: Json, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

const typo = (r: Rng, s: string): string => {
  if (s.length === 0) return 'x';
  const i = r.int(s.length);
  switch (r.int(4)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1); // drop a char
    case 1:
      return s.slice(0, i) + r.pick(['_', 'x', 's', '1']) + s.slice(i); // insert one
    case 2:
      return s.slice(0, Math.max(1, i)); // truncate
    default:
      return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s + s; // swap
  }
};

function randomValue(r: Rng, names: string[]): Json {
  return r.pick<() => Json>([
    () => null,
    () => r.pick([0, -1, 1, 2, 3, 1.5, 1e12, -1e-9, 1e308]),
    () => r.pick([true, false]),
    () => '',
    () => r.pick(names),
    () => 'x'.repeat(r.int(80)),
    () => [],
    () => [r.pick(names)],
    () => [1, 2],
    () => ({}),
    () => ({ name: r.pick(names) }),
  ])();
}

/** One structural mutation of the parsed spec, in place. */
function mutateValue(r: Rng, root: Json): void {
  const all = slots(root);
  if (all.length === 0) return;
  const s = r.pick(all);
  const names = strings(root);
  const get = () => (s.parent as Record<string | number, Json>)[s.key];
  const set = (v: Json) => ((s.parent as Record<string | number, Json>)[s.key] = v);
  const op = r.int(8);
  if (Array.isArray(s.parent)) {
    const list = s.parent;
    const i = s.key as number;
    if (op === 0)
      list.splice(i, 1); // delete an item
    else if (op === 1)
      list.splice(i, 0, structuredClone(list[i])); // duplicate it (duplicate names)
    else if (op === 2 && list.length > 1) {
      const j = r.int(list.length); // swap two items
      [list[i], list[j]] = [list[j], list[i]];
    } else if (op === 3 && typeof list[i] === 'string')
      set(r.pick(names)); // another reference
    else if (op === 4 && typeof list[i] === 'string') set(typo(r, list[i] as string));
    else set(randomValue(r, names));
    return;
  }
  const obj = s.parent;
  const k = s.key as string;
  const renamed = (to: string) => {
    const v = obj[k];
    delete obj[k];
    obj[to] = v;
  };
  if (op === 0)
    delete obj[k]; // delete a key
  else if (op === 1)
    renamed(typo(r, k)); // misspell it
  else if (op === 2)
    renamed(k.slice(0, Math.max(1, r.int(k.length)))); // truncate it
  else if (op === 3)
    renamed(
      r.pick(
        Object.keys(
          r.pick(
            slots(root)
              .map((x) => x.parent)
              .filter((p) => !Array.isArray(p)),
          ) ?? {},
        ),
      ) ?? k,
    ); // another key
  else if (op === 4 && typeof get() === 'string')
    set(r.pick(names)); // point a reference elsewhere
  else if (op === 5 && typeof get() === 'string') set(typo(r, get() as string));
  else if (op === 6 && typeof get() === 'number') set(r.pick([0, -1, (get() as number) * 1000, 0.5, 1e9]));
  else set(randomValue(r, names)); // retype
}

/** One mutation that keeps the shape (so the spec usually passes the schema) but not the meaning. */
function mutateMeaning(r: Rng, root: Json): void {
  const all = slots(root);
  const names = [...new Set(strings(root))];
  const s = r.pick(all);
  const list = Array.isArray(s.parent) ? s.parent : undefined;
  const v = (s.parent as Record<string | number, Json>)[s.key];
  const set = (x: Json) => ((s.parent as Record<string | number, Json>)[s.key] = x);
  if (typeof v === 'string')
    set(r.pick(names)); // a reference (or a name) pointing elsewhere
  else if (typeof v === 'number') set(Number.isInteger(v) ? r.pick([1, 2, 3, 8, 16, v + 1]) : r.pick([0, 0.5, 1]));
  else if (typeof v === 'boolean') set(!v);
  else if (list && list.length > 1) {
    const i = s.key as number;
    const op = r.int(3);
    if (op === 0) list.splice(i, 1);
    else if (op === 1) list.splice(i, 0, structuredClone(list[i]));
    else [list[i], list[list.length - 1 - i]] = [list[list.length - 1 - i], list[i]];
  } else if (v && typeof v === 'object' && !Array.isArray(v)) {
    // add a key the schema knows elsewhere: label, product, scenarios, inputs, ...
    const k = r.pick([
      'label',
      'product',
      'scenarios',
      'inputs',
      'tower',
      'sharedEmbedding',
      'topK',
      'scenarioAware',
      'perScenario',
      'weight',
      'sampleSpace',
    ]);
    v[k] = r.pick<() => Json>([
      () => r.pick(names),
      () => [r.pick(names), r.pick(names)],
      () => r.pick([true, 0, 2]),
      () => ({ column: r.pick(names), equals: 1 }),
    ])();
  }
}

/** One textual mutation: YAML that may no longer parse. */
function mutateText(r: Rng, text: string): string {
  const lines = text.split('\n');
  const i = r.int(lines.length);
  switch (r.int(6)) {
    case 0:
      return text.slice(0, r.int(text.length + 1)); // truncate anywhere
    case 1:
      lines.splice(i, 1); // drop a line
      break;
    case 2:
      lines.splice(i, 0, lines[i]); // repeat a line (duplicate keys)
      break;
    case 3: {
      const j = r.int(lines.length); // swap two lines (indentation breaks)
      [lines[i], lines[j]] = [lines[j], lines[i]];
      break;
    }
    default: {
      const at = r.int(text.length + 1); // insert YAML punctuation
      return (
        text.slice(0, at) +
        r.pick([':', '[', ']', '{', '}', '- ', '&a ', '*a', '\t', "'", '"', '#', '\n  ', '<<: ', '!!str ', ', ']) +
        text.slice(at)
      );
    }
  }
  return lines.join('\n');
}

const tmp = mkdtempSync(join(tmpdir(), 'mmoe-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fuzz: mutated configs through checkSpec', () => {
  it(`${CASES} cases: no exception, no internal error, every diagnostic located`, () => {
    // A copy of configs/, so that `extends:` resolves; cases are written next to the originals.
    cpSync('configs', join(tmp, 'configs'), { recursive: true });
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory()
            ? e.name === 'base'
              ? []
              : walk(join(dir, e.name))
            : e.name.endsWith('.yaml')
              ? [join(dir, e.name)]
              : [],
        )
        .sort();
    const roots = walk('configs').map((f) => ({ name: f, dir: join(tmp, dirname(f)), text: readFileSync(f, 'utf8') }));
    const r = prng(SEED);
    const parsed = new Map<string, Json>(); // original text -> value (parsing the YAML is the slow part)
    const failures: string[] = [];
    const codes = new Map<string, number>();
    let valid = 0;
    const t0 = performance.now();

    for (let c = 0; c < CASES; c++) {
      // A root spec, or the base it extends (under the unchanged root).
      const root = r.pick(roots);
      const ext = /^extends:\s*(\S+)\s*$/m.exec(root.text)?.[1];
      const mutateBase = ext !== undefined && r.next() < 0.25;
      const basePath = ext !== undefined ? join(root.dir, ext) : '';
      const original = mutateBase ? readFileSync(basePath, 'utf8') : root.text;
      let text: string;
      const mode = r.pick([
        'meaning',
        'meaning',
        'meaning',
        'meaning',
        'structure',
        'structure',
        'structure+text',
        'text',
        'text',
        'text',
      ]);
      if (mode === 'text') {
        text = mutateText(r, original);
      } else {
        if (!parsed.has(original)) parsed.set(original, parse(original) as Json);
        const value = structuredClone(parsed.get(original)!);
        for (let n = 1 + r.int(3); n > 0; n--) (mode === 'meaning' ? mutateMeaning : mutateValue)(r, value);
        text = stringify(value);
        if (mode === 'structure+text') text = mutateText(r, text);
      }
      const specPath = join(root.dir, `case-${c}.yaml`);
      if (mutateBase) {
        const mutatedBase = join(dirname(basePath), `case-${c}-base.yaml`);
        writeFileSync(mutatedBase, text);
        writeFileSync(specPath, root.text.replace(/^extends:.*$/m, `extends: ${relative(root.dir, mutatedBase)}`));
      } else writeFileSync(specPath, text);

      const where = `case ${c} (${root.name}${mutateBase ? ', base mutated' : ''}):\n${text.slice(0, 2000)}`;
      try {
        const res = checkSpec(specPath);
        if (res.spec) valid++;
        for (const d of res.diagnostics) {
          codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          const source = res.loaded.sources.get(d.file);
          const known = source !== undefined || d.file === SET_SOURCE || d.code === 'invalid-utf8';
          const lines = (source ?? '').split('\n').length;
          if (
            d.code === 'internal-error' ||
            !known ||
            !(d.line >= 1) ||
            !(d.column >= 1) ||
            (source !== undefined && d.line > lines + 1)
          )
            failures.push(`${where}\n=> ${JSON.stringify(d)}`);
        }
      } catch (e) {
        failures.push(`${where}\n=> threw ${(e as Error)?.stack ?? String(e)}`);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `fuzz: ${CASES} cases in ${seconds.toFixed(1)} s, ${valid} still valid, ${codes.size} distinct codes: ${[...codes]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    expect(failures.slice(0, 3).join('\n\n----\n\n')).toBe('');
    // the mutations reach every tier: YAML, structure and meaning
    for (const code of [
      'yaml-syntax',
      'duplicate-key',
      'unknown-key',
      'missing-key',
      'schema-type',
      'unknown-reference',
      'duplicate-name',
      'unused',
    ])
      expect(codes.has(code), code).toBe(true);
    expect(valid).toBeGreaterThan(CASES * 0.05);
  });
});
