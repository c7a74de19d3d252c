// Loading a spec: read files (bounded, strict UTF-8), parse with positions, resolve `extends`
// (deep merge: maps merged key by key, lists and scalars replaced, `null` removes a key), apply
// `--set path=value` overrides. The result is a merged plain value plus, for every pointer, the
// file and position it came from, so later phases can locate any error in the right file.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DiagnosticCode } from '../util/catalogue.js';
import type { Diagnostic, Location } from '../util/diagnostics.js';
import {
  checkNamedPath,
  checkRootFile,
  ReadPolicyError,
  readPolicyFor,
  type ReadOptions,
  type ReadPolicy,
} from './paths.js';
import {
  decodeUtf8,
  locate,
  MAX_SPEC_BYTES,
  parseSource,
  pointer,
  RESERVED_KEYS,
  type LocIndex,
  type NodeLoc,
} from './source.js';

export interface LoadedSpec {
  /** Root spec file as shown in diagnostics. */
  file: string;
  absPath: string;
  /** The merged value (before structural validation and defaults). */
  value: unknown;
  locs: LocIndex;
  /** Text of every file involved (and of the --set overrides), for code frames. */
  sources: Map<string, string>;
  /** Files merged, base first. */
  files: string[];
  diagnostics: Diagnostic[];
  /** Which files the spec may name (root, allowance): the data layer reads through it too. */
  policy: ReadPolicy;
  /** Work done (nodes walked, locations copied): linear in the size of the files. */
  work: number;
}

export const SET_SOURCE = '<--set>';
/** Longest `extends` chain: real specs use two or three levels. */
export const MAX_EXTENDS_DEPTH = 16;

export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** An I/O problem with the root file: exit code 2, not a spec error. */
export class SpecIoError extends Error {
  constructor(
    message: string,
    readonly code: DiagnosticCode,
  ) {
    super(message);
  }
}

function readSpecFile(
  abs: string,
  shown: string,
): { text?: string; problem?: { code: DiagnosticCode; message: string }; utf8?: Diagnostic } {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return { problem: { code: 'file-not-found', message: `cannot read ${shown}: no such file` } };
  }
  if (st.isDirectory())
    return { problem: { code: 'not-a-file', message: `cannot read ${shown}: it is a directory, not a spec file` } };
  if (!st.isFile()) return { problem: { code: 'not-a-file', message: `cannot read ${shown}: not a regular file` } };
  if (st.size > MAX_SPEC_BYTES) {
    return {
      problem: {
        code: 'file-too-large',
        message: `${shown} is ${(st.size / 1e6).toFixed(1)} MB; specs are limited to ${MAX_SPEC_BYTES / 1024 / 1024} MiB`,
      },
    };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    return {
      problem: {
        code: 'file-unreadable',
        message: `cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      },
    };
  }
  const d = decodeUtf8(shown, bytes);
  if (d.diagnostic) return { utf8: d.diagnostic };
  return { text: d.text!.replace(/^\uFEFF/, '') };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function defineKey(obj: Record<string, unknown>, key: string, v: unknown) {
  Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
}

function dropUnder(locs: LocIndex, path: string) {
  for (const k of [...locs.keys()]) if (k === path || k.startsWith(path + '/')) locs.delete(k);
}

/** Copy the locations of `value` (written at `path`) and of everything under it, walking the value, not the whole index. */
function copyLocsOf(value: unknown, from: LocIndex, to: LocIndex, path: string, work: { steps: number }) {
  work.steps++;
  const l = from.get(path);
  if (l) to.set(path, l);
  if (Array.isArray(value)) value.forEach((x, i) => copyLocsOf(x, from, to, pointer(path, i), work));
  else if (isPlainObject(value))
    for (const k of Object.keys(value)) copyLocsOf(value[k], from, to, pointer(path, k), work);
}

/**
 * Deep merge `over` onto `base` (both plain JSON-like values), keeping locations: maps merge,
 * anything else replaces, and a `null` in `over` removes the key. Linear in the size of both
 * values: the locations are rebuilt by walking the merged value once.
 */
export function mergeWithLocs(
  base: unknown,
  baseLocs: LocIndex,
  over: unknown,
  overLocs: LocIndex,
  path = '',
): { value: unknown; locs: LocIndex; steps: number } {
  const locs: LocIndex = new Map();
  const work = { steps: 0 };
  const merge = (b: unknown, o: unknown, p: string): unknown => {
    work.steps++;
    if (isPlainObject(b) && isPlainObject(o)) {
      const out: Record<string, unknown> = {};
      const own = overLocs.get(p);
      const baseOwn = baseLocs.get(p);
      if (own) locs.set(p, { value: own.value, key: baseOwn?.key ?? own.key });
      else if (baseOwn) locs.set(p, baseOwn);
      for (const k of Object.keys(b)) {
        defineKey(out, k, b[k]);
        if (!Object.hasOwn(o, k)) copyLocsOf(b[k], baseLocs, locs, pointer(p, k), work);
      }
      for (const k of Object.keys(o)) {
        const kp = pointer(p, k);
        if (o[k] === null) delete out[k];
        else if (Object.hasOwn(b, k)) defineKey(out, k, merge(b[k], o[k], kp));
        else {
          defineKey(out, k, o[k]);
          copyLocsOf(o[k], overLocs, locs, kp, work);
        }
      }
      return out;
    }
    copyLocsOf(o, overLocs, locs, p, work);
    return o;
  };
  // Locations outside `path` are the base's (a caller may merge a subtree).
  if (path !== '') for (const [k, v] of baseLocs) if (!(k === path || k.startsWith(path + '/'))) locs.set(k, v);
  const value = merge(base, over, path);
  return { value, locs, steps: work.steps };
}

interface LoadState {
  sources: Map<string, string>;
  files: string[];
  diagnostics: Diagnostic[];
  policy: ReadPolicy;
  work: number;
}

function loadFile(
  abs: string,
  stack: string[],
  state: LoadState,
  extendsAt?: NodeLoc,
): { value: unknown; locs: LocIndex } | undefined {
  const shown = displayPath(abs);
  const r = readSpecFile(abs, shown);
  if (r.problem) {
    if (!extendsAt) throw new SpecIoError(r.problem.message, r.problem.code);
    state.diagnostics.push({
      ...extendsAt.value,
      severity: 'error',
      code: 'extends-unreadable',
      message: r.problem.message,
    });
    return undefined;
  }
  if (r.utf8) {
    state.diagnostics.push(r.utf8);
    return undefined;
  }
  state.sources.set(shown, r.text!);
  const doc = parseSource(shown, r.text!, state.diagnostics);
  state.work += doc.visits;
  if (doc.value === undefined) return undefined;
  if (!isPlainObject(doc.value)) {
    const l = doc.locs.get('') ?? { value: { file: shown, line: 1, column: 1 } };
    state.diagnostics.push({
      ...l.value,
      severity: 'error',
      code: 'not-a-mapping',
      message: 'a spec must be a YAML mapping (key: value pairs) at the top level',
    });
    return undefined;
  }
  const ext = doc.value.extends;
  if (ext === undefined) {
    state.files.push(shown);
    return { value: doc.value, locs: doc.locs };
  }
  const extLoc = doc.locs.get('/extends')!;
  if (typeof ext !== 'string' || ext === '') {
    state.diagnostics.push({
      ...extLoc.value,
      severity: 'error',
      code: 'schema-type',
      path: '/extends',
      message: '`extends` must be a file path (string)',
    });
    return undefined;
  }
  const named = checkNamedPath(state.policy, dirname(abs), ext, 'spec');
  if ('code' in named) {
    // Refused before opening: nothing of the named file is read, so nothing of it can be shown.
    state.diagnostics.push({
      ...extLoc.value,
      severity: 'error',
      code: named.code,
      path: '/extends',
      message: `\`extends\`: ${named.message}`,
    });
    return undefined;
  }
  const baseAbs = named.path;
  if (stack.includes(baseAbs)) {
    const cycle = [...stack.slice(stack.indexOf(baseAbs)), baseAbs].map((f) => displayPath(f)).join(' -> ');
    state.diagnostics.push({
      ...extLoc.value,
      severity: 'error',
      code: 'extends-cycle',
      path: '/extends',
      message: `\`extends\` forms a cycle: ${cycle}`,
    });
    return undefined;
  }
  if (stack.length > MAX_EXTENDS_DEPTH) {
    // Each level merges everything below it: a chain of thousands of files would be quadratic (and recursive).
    state.diagnostics.push({
      ...extLoc.value,
      severity: 'error',
      code: 'extends-too-deep',
      path: '/extends',
      message: `\`extends\` chains more than ${MAX_EXTENDS_DEPTH} files; a spec needs two or three`,
    });
    return undefined;
  }
  const base = loadFile(baseAbs, [...stack, baseAbs], state, extLoc);
  if (!base) return undefined;
  state.files.push(shown);
  const over: Record<string, unknown> = {};
  for (const k of Object.keys(doc.value)) if (k !== 'extends') defineKey(over, k, doc.value[k]);
  const overLocs = new Map([...doc.locs].filter(([k]) => k !== '/extends' && !k.startsWith('/extends/')));
  const merged = mergeWithLocs(base.value, base.locs, over, overLocs);
  state.work += merged.steps;
  return merged;
}

// ---------------------------------------------------------------------------------------------
// --set path=value
// ---------------------------------------------------------------------------------------------

/** Split "model.levels[0].pools.shared.count" into segments: "model", 0, "levels", ... */
export function parseSetPath(path: string): (string | number)[] | undefined {
  const segs: (string | number)[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\.(?=[A-Za-z_\d])/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) segs.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    else if (m[2] !== undefined) segs.push(Number(m[2]));
    pos = re.lastIndex;
  }
  // a bare numeric segment after a dot ("levels.0") is an index
  return segs.length ? segs : undefined;
}

/** The first reserved key (`__proto__`, ...) anywhere in a parsed --set value: yaml's toJS keeps them as own keys. */
function reservedKeyIn(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = reservedKeyIn(x);
      if (r !== undefined) return r;
    }
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      if (RESERVED_KEYS.has(k)) return k;
      const r = reservedKeyIn(v[k]);
      if (r !== undefined) return r;
    }
  }
  return undefined;
}

function applySet(
  value: Record<string, unknown>,
  locs: LocIndex,
  arg: string,
  index: number,
  sources: Map<string, string>,
  diags: Diagnostic[],
) {
  const line = index + 1;
  const eq = arg.indexOf('=');
  const here = (column: number): Location => ({ file: SET_SOURCE, line, column });
  const fail = (column: number, code: DiagnosticCode, message: string) =>
    diags.push({ ...here(column), severity: 'error', code, message });
  if (eq <= 0) return fail(1, 'bad-set', `--set takes path=value (e.g. training.epochs=3), got "${arg}"`);
  const rawPath = arg.slice(0, eq);
  const rawValue = arg.slice(eq + 1);
  const segs = parseSetPath(rawPath.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]'));
  if (!segs)
    return fail(
      1,
      'bad-set',
      `cannot read the path "${rawPath}" (use dots and [index], e.g. model.levels[0].pools[0].count)`,
    );
  let parsed: unknown;
  try {
    parsed = rawValue === '' ? '' : parseYaml(rawValue, { strict: true, maxAliasCount: 0 });
  } catch (e) {
    return fail(
      eq + 2,
      'bad-set',
      `cannot read the value "${rawValue}": ${(e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const reserved = reservedKeyIn(parsed);
  if (reserved !== undefined)
    return fail(eq + 2, 'reserved-key', `the key "${reserved}" is reserved and not allowed in a spec`);
  let cur: unknown = value;
  let p = '';
  for (let i = 0; i < segs.length; i++) {
    let seg = segs[i];
    const last = i === segs.length - 1;
    if (Array.isArray(cur) && typeof seg === 'string') {
      // a list of named items may be addressed by name: tasks.ctr.weight
      const idx = cur.findIndex((x) => isPlainObject(x) && x.name === seg);
      if (idx < 0) return fail(1, 'bad-set', `--set ${rawPath}: no item named "${seg}" in ${p || '/'}`);
      seg = idx;
    }
    if (typeof seg === 'string' && RESERVED_KEYS.has(seg))
      return fail(1, 'reserved-key', `the key "${seg}" is reserved and not allowed in a spec`);
    const np = pointer(p, seg);
    if (last) {
      if (Array.isArray(cur) && typeof seg === 'number') {
        if (seg > cur.length)
          return fail(1, 'bad-set', `--set ${rawPath}: index ${seg} is past the end of a list of ${cur.length}`);
        cur[seg] = parsed;
      } else if (isPlainObject(cur)) defineKey(cur, String(seg), parsed);
      else return fail(1, 'bad-set', `--set ${rawPath}: ${p || '/'} is not a mapping or list`);
      dropUnder(locs, np);
      const loc = {
        value: { ...here(eq + 2), endLine: line, endColumn: arg.length + 1 },
        key: { ...here(1), endLine: line, endColumn: eq + 1 },
      };
      const mark = (v: unknown, vp: string) => {
        locs.set(vp, vp === np ? loc : { value: loc.value });
        if (Array.isArray(v)) v.forEach((x, j) => mark(x, pointer(vp, j)));
        else if (isPlainObject(v)) for (const k of Object.keys(v)) mark(v[k], pointer(vp, k));
      };
      mark(parsed, np);
      return;
    }
    let next: unknown = Array.isArray(cur) ? cur[seg as number] : isPlainObject(cur) ? cur[String(seg)] : undefined;
    if (next === undefined || next === null) {
      if (!isPlainObject(cur)) return fail(1, 'bad-set', `--set ${rawPath}: ${np} does not exist`);
      next = typeof segs[i + 1] === 'number' ? [] : {};
      defineKey(cur, String(seg), next);
    }
    cur = next;
    p = np;
  }
  void sources;
}

/** Load a spec file with its `extends` chain and `--set` overrides. Throws SpecIoError for an unreadable root file. */
export function loadSpec(path: string, sets: readonly string[] = [], read: ReadOptions = {}): LoadedSpec {
  const absPath = resolve(path);
  let policy: ReadPolicy;
  try {
    policy = readPolicyFor(absPath, read);
  } catch (e) {
    if (e instanceof ReadPolicyError) throw new SpecIoError(e.message, 'read-option');
    throw e;
  }
  const outside = checkRootFile(policy, absPath);
  if (outside) throw new SpecIoError(`cannot read ${displayPath(absPath)}: ${outside}`, 'spec-outside-root');
  const state: LoadState = { sources: new Map(), files: [], diagnostics: [], policy, work: 0 };
  const merged = loadFile(absPath, [absPath], state);
  const out: LoadedSpec = {
    file: displayPath(absPath),
    absPath,
    value: merged?.value,
    locs: merged?.locs ?? new Map(),
    sources: state.sources,
    files: state.files,
    diagnostics: state.diagnostics,
    policy,
    work: state.work,
  };
  if (sets.length) out.sources.set(SET_SOURCE, sets.join('\n'));
  if (merged && isPlainObject(merged.value)) {
    sets.forEach((s, i) =>
      applySet(merged.value as Record<string, unknown>, out.locs, s, i, out.sources, out.diagnostics),
    );
  }
  return out;
}

export { locate };
