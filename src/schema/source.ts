// YAML text -> SourceDoc: the plain value plus the position of every node, keyed by JSON pointer.
// We walk the YAML AST ourselves instead of `toJS()` so that (a) every value and every key keeps
// its position, (b) alias expansion is bounded (alias bombs) and unresolved or cyclic aliases are
// located errors, and (c) keys such as `__proto__` never reach an object's prototype.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, Location } from './diagnostics.js';

export interface NodeLoc {
  value: Location;
  /** For a map entry: where its key is written (unknown-key errors point here). */
  key?: Location;
}

/** JSON pointer ("/model/levels/0") -> where that value (and its key) is written. */
export type LocIndex = Map<string, NodeLoc>;

export interface SourceDoc {
  /** The file name as shown in diagnostics (relative to the working directory when possible). */
  file: string;
  text: string;
  value: unknown;
  locs: LocIndex;
}

export const MAX_SPEC_BYTES = 2 * 1024 * 1024;
export const MAX_EXPANDED_NODES = 100_000;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function pointerSegments(p: string): string[] {
  if (p === '' || p === '/') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Decode bytes as strict UTF-8; on failure report the line and column of the first bad byte. */
export function decodeUtf8(file: string, bytes: Uint8Array): { text?: string; diagnostic?: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    let lo = 0;
    let hi = bytes.length;
    // Binary search for the longest valid prefix (decoding is monotone in the prefix length,
    // except for a truncated multi-byte tail, which we tolerate with `stream: true`).
    const dec = (n: number) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (dec(mid)) lo = mid;
      else hi = mid - 1;
    }
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, lo));
    const lines = prefix.split('\n');
    return {
      diagnostic: {
        file,
        line: lines.length,
        column: lines[lines.length - 1].length + 1,
        severity: 'error',
        code: 'invalid-utf8',
        message: `the file is not valid UTF-8 (byte 0x${(bytes[lo] ?? 0).toString(16).padStart(2, '0')} at offset ${lo}); save it as UTF-8`,
      },
    };
  }
}

/** Parse YAML text into a SourceDoc. Problems are appended to `out`; `value` is undefined when unusable. */
export function parseSource(file: string, text: string, out: Diagnostic[]): SourceDoc {
  const lineCounter = new LineCounter();
  const locs: LocIndex = new Map();
  const docOut: SourceDoc = { file, text, value: undefined, locs };
  const at = (offset: number, end?: number): Location => {
    const p = lineCounter.linePos(offset);
    const loc: Location = { file, line: p.line, column: p.col };
    if (end !== undefined && end > offset) {
      const e = lineCounter.linePos(end);
      loc.endLine = e.line;
      loc.endColumn = e.col;
    }
    return loc;
  };
  const err = (loc: Location, code: string, message: string) => out.push({ ...loc, severity: 'error', code, message });

  if (text.trim() === '') {
    err({ file, line: 1, column: 1 }, 'empty-spec', 'the spec is empty; it needs at least specVersion, data, features, featureGroups, model, tasks and training');
    return docOut;
  }

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    err({ file, line: 1, column: 1 }, 'yaml-syntax', `YAML could not be parsed: ${(e as Error).message}`);
    return docOut;
  }
  for (const e of doc.errors) {
    const code = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    err(at(e.pos[0], e.pos[1]), code, code === 'duplicate-key' ? `${msg}; each key may appear once in a mapping` : msg);
  }
  if (doc.errors.length > 0) return docOut;
  if (doc.contents === null) {
    err({ file, line: 1, column: 1 }, 'empty-spec', 'the spec has no content (only comments?)');
    return docOut;
  }

  let expanded = 0;
  let bombReported = false;
  const expanding = new Set<Node>();

  const walk = (node: unknown, path: string, keyLoc: Location | undefined, inAlias: boolean): unknown => {
    if (++expanded > MAX_EXPANDED_NODES) {
      if (!bombReported) {
        bombReported = true;
        const r = (node as Node | null)?.range;
        err(r ? at(r[0]) : { file, line: 1, column: 1 }, 'alias-expansion', `the document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases (an alias bomb?)`);
      }
      return undefined;
    }
    if (node === null || node === undefined) return null;
    const n = node as Node;
    // Inside an alias expansion the aliased node's own position is reported: that is where it is written.
    if (!inAlias || !locs.has(path)) {
      if (n.range) locs.set(path, { value: at(n.range[0], n.range[1]), ...(keyLoc ? { key: keyLoc } : {}) });
    }
    if (isAlias(n)) {
      const target = n.resolve(doc) as Node | undefined;
      if (!target) {
        err(at(n.range![0], n.range![1]), 'unresolved-alias', `alias *${n.source} refers to no anchor &${n.source} defined before it`);
        return undefined;
      }
      if (expanding.has(target)) {
        err(at(n.range![0], n.range![1]), 'cyclic-alias', `alias *${n.source} refers to a node that contains it`);
        return undefined;
      }
      expanding.add(target);
      const v = walk(target, path, keyLoc, true);
      expanding.delete(target);
      return v;
    }
    if (isScalar(n)) return n.value;
    if (isSeq(n)) return n.items.map((item, i) => walk(item, pointer(path, i), undefined, inAlias));
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as Node | null;
        const kRange = k?.range;
        const kLoc = kRange ? at(kRange[0], kRange[1]) : locs.get(path)?.value ?? { file, line: 1, column: 1 };
        let key: string;
        if (k && isScalar(k)) key = String(k.value);
        else if (k === null) key = '';
        else {
          err(kLoc, 'complex-key', 'mapping keys must be plain scalars');
          continue;
        }
        if (key === '<<') {
          err(kLoc, 'merge-key', 'YAML merge keys (<<) are not supported; use `extends:` or repeat the values');
          continue;
        }
        if (RESERVED_KEYS.has(key)) {
          err(kLoc, 'reserved-key', `the key "${key}" is reserved and not allowed in a spec`);
          continue;
        }
        const v = walk(pair.value, pointer(path, key), kLoc, inAlias);
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return obj;
    }
    return undefined;
  };

  const before = out.length;
  const value = walk(doc.contents, '', undefined, false);
  if (out.length === before) docOut.value = value;
  return docOut;
}

/** The best location for a pointer: its own, else the nearest ancestor's. */
export function locate(locs: LocIndex, path: string, preferKey = false): NodeLoc | undefined {
  let p = path;
  for (;;) {
    const l = locs.get(p);
    if (l) return preferKey && l.key ? { value: l.key, key: l.key } : l;
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
