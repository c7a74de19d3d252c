// The published JSON Schemas checked by an independent validator (@hyperjump/json-schema, not
// ajv): every shipped config and base file is valid against the schema its modeline names; a
// spec that extends a base is checked as a partial spec; and on complete (merged) specs the
// published schema accepts exactly what the runtime's ajv schema accepts (samples, configs and
// seeded mutations of them), so the schema an editor reads is the contract `validate` applies.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { registerSchema, validate, type OutputUnit, type Validator } from '@hyperjump/json-schema/draft-07';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaObject } from '../../src/schema/json-schema.js';
import { loadSpec } from '../../src/schema/load.js';
import { validateStructure } from '../../src/schema/structural.js';
import { SAMPLES_DIR } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const SPEC_FILE = resolve('schema/spec.schema.json');
const FRAGMENT_FILE = resolve('schema/spec-fragment.schema.json');
const SPEC_ID = schemaObject('spec').$id as string;
const FRAGMENT_ID = schemaObject('fragment').$id as string;

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []))
    .sort();

/** Failures in hyperjump's BASIC output as "instanceLocation keyword" (the schema keyword that failed). */
function failures(errors: OutputUnit[] | undefined): string[] {
  const combinators = new Set(['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', '$ref', 'properties', 'items']);
  return (errors ?? [])
    .map((e) => `${e.instanceLocation} ${e.absoluteKeywordLocation.split('/').pop()}`)
    .filter((s) => !combinators.has(s.split(' ')[1]));
}

const validators = new Map<string, Validator>();

function check(schemaId: string, value: unknown): { valid: boolean; errors: string[] } {
  const out = validators.get(schemaId)!(value as Json, 'BASIC');
  return { valid: out.valid, errors: out.valid ? [] : failures(out.errors) };
}

beforeAll(async () => {
  // the committed files (a test elsewhere keeps them equal to the generator); hyperjump checks
  // each against the draft-07 meta-schema when it compiles it
  for (const file of [SPEC_FILE, FRAGMENT_FILE]) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
    registerSchema(schema);
    validators.set(schema.$id, await validate(schema.$id));
  }
});

describe('published schema, independent validator', () => {
  const configs = walk('configs');

  it('every config and base file is valid against the schema its modeline names', () => {
    expect(configs.length).toBeGreaterThanOrEqual(16);
    const bad: string[] = [];
    for (const f of configs) {
      const text = readFileSync(f, 'utf8');
      const target = resolve(dirname(f), /^# yaml-language-server: \$schema=(\S+)/.exec(text)![1]);
      expect([SPEC_FILE, FRAGMENT_FILE], f).toContain(target);
      const r = check(target === SPEC_FILE ? SPEC_ID : FRAGMENT_ID, parse(text));
      if (!r.valid) bad.push(`${f}: ${r.errors.join('; ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('a spec with extends is partial: nested mappings may be partial or null, list items stay whole', () => {
    const child = (over: object) => ({ specVersion: 1, extends: 'base.yaml', ...over });
    for (const ok of [
      {},
      { training: { epochs: 3 } },
      { training: { earlyStopping: null } },
      { training: { earlyStopping: { patience: 4 } } },
      { data: { rows: 100 } },
      { data: { train: 'other.csv' } },
      { scenarios: { values: ['a'] } },
      { name: null },
    ]) {
      expect(check(SPEC_ID, child(ok)), JSON.stringify(ok)).toEqual({ valid: true, errors: [] });
    }
    const bad = (over: object) => check(SPEC_ID, child(over)).errors;
    expect(bad({ model: { levls: [] } })).toContain('#/model/levls additionalProperties');
    expect(bad({ model: { towers: [{ name: 'ctr' }] } })).toContain('#/model/towers/0 required');
    expect(bad({ features: [{ name: 'f', type: 'numeric', normalization: 'zscore' }] })).toContain(
      '#/features/0/normalization enum',
    );
    expect(bad({ data: { rows: 100, train: 'x.csv' } }).length).toBeGreaterThan(0);
    expect(bad({ extends: null }).length).toBeGreaterThan(0);
    // without extends the spec is complete
    expect(check(SPEC_ID, { specVersion: 1, training: {} }).errors).toContain('# required');
  });

  it('the fragment schema is the partial spec, with or without extends', () => {
    expect(check(FRAGMENT_ID, { specVersion: 1, training: { epochs: 2 } }).valid).toBe(true);
    expect(check(FRAGMENT_ID, { training: {} }).errors).toContain('# required');
    expect(check(FRAGMENT_ID, { specVersion: 1, trainig: {} }).errors).toContain('#/trainig additionalProperties');
  });
});

// ---------------------------------------------------------------------------------------------
// Same verdict as the runtime schema on complete specs
// ---------------------------------------------------------------------------------------------

/** mulberry32 */
function prng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Every (container, key) in a value. */
function places(v: Json, out: [Json[] | { [k: string]: Json }, string | number][] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), places(x, out)));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push([v, k]), places(v[k], out);
  return out;
}

const REPLACEMENTS: Json[] = [null, 0, -1, 1.5, 3, 'relu', 'x-y', '', true, [], ['a'], {}, { name: 'a' }];

/** Delete a key or item, replace a value, or add a key: structural damage the schema must see (or not). */
function mutate(next: (n: number) => number, root: Json): void {
  const all = places(root);
  const [parent, key] = all[next(all.length)];
  const op = next(3);
  if (op === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (op === 1) (parent as Record<string | number, Json>)[key] = REPLACEMENTS[next(REPLACEMENTS.length)];
  else if (!Array.isArray(parent)) parent[`${String(key)}x`] = 1;
}

/** The merged value of a spec file, as the runtime validates it (extends resolved). */
function merged(file: string): unknown {
  const l = loadSpec(file);
  return l.diagnostics.length === 0 ? l.value : undefined;
}

describe('published schema = runtime schema on complete specs', () => {
  it('samples and configs: hyperjump valid exactly when ajv finds no structural error', () => {
    const files = [
      ...walk('configs').filter((f) => !f.includes('/base/')),
      ...readdirSync(SAMPLES_DIR).map((s) => join(SAMPLES_DIR, s, 'spec.yaml')),
    ];
    let compared = 0;
    let invalid = 0;
    for (const f of files) {
      const value = merged(f);
      if (value === undefined || typeof value !== 'object') continue;
      const runtime = validateStructure(value, new Map(), f).diagnostics.length === 0;
      const published = check(SPEC_ID, value);
      expect(published.valid, `${f}: ${published.errors.join('; ')}`).toBe(runtime);
      compared++;
      if (!runtime) invalid++;
    }
    expect(compared).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThanOrEqual(10);
  });

  it('1000 seeded mutations of the configs: the same verdict', () => {
    const bases = walk('configs')
      .filter((f) => !f.includes('/base/'))
      .map((f) => merged(f) as Json);
    const next = prng(20_261_130);
    const differ: string[] = [];
    let invalid = 0;
    for (let c = 0; c < 1000; c++) {
      const value = structuredClone(bases[next(bases.length)]);
      for (let m = 1 + next(2); m > 0; m--) mutate(next, value);
      const runtime = validateStructure(value, new Map(), 'x.yaml').diagnostics.length === 0;
      const published = check(SPEC_ID, value).valid;
      if (published !== runtime) differ.push(JSON.stringify(value).slice(0, 300));
      if (!runtime) invalid++;
    }
    expect(differ).toEqual([]);
    // the mutations do break specs (the comparison is not between two "valid"s)
    expect(invalid).toBeGreaterThan(400);
  });
});
