// YAML text -> SourceDoc: the plain value plus the position of every node, keyed by JSON pointer.
// We walk the YAML AST ourselves instead of `toJS()` so that (a) every value and every key keeps
// its position, (b) alias expansion is bounded (alias bombs) and unresolved or cyclic aliases are
// located errors, and (c) keys such as `__proto__` never reach an object's prototype.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Parser,
  visit,
  type Alias,
  type CST,
  type Document,
  type Node,
} from 'yaml';
import type { DiagnosticCode } from '../util/catalogue.js';
import type { Diagnostic, Location } from '../util/diagnostics.js';

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
  /** Nodes the walk visited (alias copies included): a deterministic measure of the work done, linear in the text. */
  visits: number;
}

// Real specs are a few kilobytes; the YAML parser is slow on megabytes of flow lists.
export const MAX_SPEC_BYTES = 1024 * 1024;
export const MAX_EXPANDED_NODES = 100_000;
/** Nesting limit for mappings and lists: a spec needs about 8; yaml itself overflows the stack near 800. */
export const MAX_DEPTH = 64;
const tooDeepMessage = `the YAML nests mappings and lists more than ${MAX_DEPTH} levels deep; a spec needs fewer than 10 (unbalanced brackets?)`;
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

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
    // The prefix may end inside an incomplete multi-byte sequence (tolerated by `stream`): the
    // bad sequence starts at its lead byte, the last point where the prefix decodes completely.
    const complete = (n: number) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n));
        return true;
      } catch {
        return false;
      }
    };
    for (let back = 0; back <= 3 && lo - back >= 0; back++) {
      if (complete(lo - back)) {
        lo -= back;
        break;
      }
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
  const docOut: SourceDoc = { file, text, value: undefined, locs, visits: 0 };
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
  const err = (loc: Location, code: DiagnosticCode, message: string) =>
    out.push({ ...loc, severity: 'error', code, message });

  if (text.trim() === '') {
    err(
      { file, line: 1, column: 1 },
      'empty-spec',
      'the spec is empty; it needs at least specVersion, data, features, featureGroups, model, tasks and training',
    );
    return docOut;
  }

  let doc: Document.Parsed;
  try {
    // uniqueKeys: false because yaml checks each key against every earlier key of its mapping
    // (quadratic in the mapping's size); the walk below finds duplicates with a Map instead.
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  } catch (e) {
    err({ file, line: 1, column: 1 }, 'yaml-syntax', `YAML could not be parsed: ${(e as Error).message}`);
    return docOut;
  }
  if (doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) {
    // yaml's composer recursed until the stack ran out (thousands of nested brackets): report the
    // first collection past our depth limit, found on the (iterative) CST, not yaml's position,
    // which depends on the stack size.
    const offset = firstTooDeep(text, MAX_DEPTH) ?? doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION')!.pos[0];
    err(at(offset), 'too-deep', tooDeepMessage);
    return docOut;
  }
  for (const e of doc.errors) {
    const msg =
      e.code === 'MULTIPLE_DOCS'
        ? 'a spec file holds one YAML document; remove this `---` and what follows (or move it to its own file)'
        : e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    err(at(e.pos[0], e.pos[1]), 'yaml-syntax', msg);
  }
  if (doc.errors.length > 0) return docOut;
  if (doc.contents === null) {
    err({ file, line: 1, column: 1 }, 'empty-spec', 'the spec has no content (only comments?)');
    return docOut;
  }

  let expanded = 0;
  let bombReported = false;
  const expanding = new Set<Node>();
  const aliases: Alias[] = [];

  let deepReported = false;

  // yaml's Alias.resolve scans the document for its anchor on every call: quadratic in the
  // number of aliases. One pass in document order maps every alias to the last anchor of its
  // name written before it (yaml's rule), on the first alias met.
  let aliasTargets: Map<Alias, Node> | undefined;
  const resolveAlias = (alias: Alias): Node | undefined => {
    if (!aliasTargets) {
      const targets = new Map<Alias, Node>();
      const anchors = new Map<string, Node>();
      visit(doc, {
        Node: (_key, node) => {
          if (isAlias(node)) {
            const t = anchors.get(node.source);
            if (t) targets.set(node, t);
          } else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      aliasTargets = targets;
    }
    return aliasTargets.get(alias);
  };

  const walk = (node: unknown, path: string, keyLoc: Location | undefined, inAlias: boolean, depth = 1): unknown => {
    docOut.visits++;
    if (deepReported) return undefined;
    if ((isMap(node) || isSeq(node)) && depth > MAX_DEPTH) {
      deepReported = true;
      err(node.range ? at(node.range[0]) : { file, line: 1, column: 1 }, 'too-deep', tooDeepMessage);
      return undefined;
    }
    // Only copies made by aliases count: the file's own nodes are bounded by its size.
    if (inAlias && ++expanded > MAX_EXPANDED_NODES) {
      if (!bombReported) {
        bombReported = true;
        // Point at the outermost alias being expanded: that is where the document explodes.
        const outer = aliases[0];
        const r = outer?.range ?? (node as Node | null)?.range;
        err(
          r ? at(r[0], outer ? r[1] : undefined) : { file, line: 1, column: 1 },
          'alias-expansion',
          `${outer ? `alias *${outer.source} expands` : 'aliases expand'} the document to more than ${MAX_EXPANDED_NODES} nodes (an alias bomb?); write the values out instead`,
        );
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
      const target = resolveAlias(n);
      if (!target) {
        err(
          at(n.range![0], n.range![1]),
          'unresolved-alias',
          `alias *${n.source} refers to no anchor &${n.source} defined before it`,
        );
        return undefined;
      }
      if (expanding.has(target)) {
        err(at(n.range![0], n.range![1]), 'cyclic-alias', `alias *${n.source} refers to a node that contains it`);
        return undefined;
      }
      expanding.add(target);
      aliases.push(n);
      const v = walk(target, path, keyLoc, true, depth);
      aliases.pop();
      expanding.delete(target);
      return v;
    }
    if (isScalar(n)) return n.value;
    if (isSeq(n)) return n.items.map((item, i) => walk(item, pointer(path, i), undefined, inAlias, depth + 1));
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      const firstAt = new Map<string, Location>();
      for (const pair of n.items) {
        docOut.visits++;
        if (!isPair(pair)) continue;
        const k = pair.key as Node | null;
        const kRange = k?.range;
        const kLoc = kRange ? at(kRange[0], kRange[1]) : (locs.get(path)?.value ?? { file, line: 1, column: 1 });
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
        const first = firstAt.get(key);
        if (first) {
          // An aliased mapping repeats its own keys' positions: report it where it is written, once.
          if (!inAlias)
            out.push({
              ...kLoc,
              severity: 'error',
              code: 'duplicate-key',
              message: `duplicate key "${key}": it is already set at line ${first.line}; each key may appear once in a mapping (merge the two)`,
              related: [
                { file: first.file, line: first.line, column: first.column, message: `"${key}" first set here` },
              ],
            });
          continue;
        }
        firstAt.set(key, kLoc);
        const v = walk(pair.value, pointer(path, key), kLoc, inAlias, depth + 1);
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

/** Offset of the first collection nested deeper than `max`, walking yaml's CST without recursion. */
function firstTooDeep(text: string, max: number): number | undefined {
  const stack: [CST.Token, number][] = [];
  for (const tok of new Parser().parse(text)) if (tok.type === 'document' && tok.value) stack.push([tok.value, 1]);
  let first: number | undefined;
  while (stack.length) {
    const [tok, depth] = stack.pop()!;
    if (tok.type !== 'block-map' && tok.type !== 'block-seq' && tok.type !== 'flow-collection') continue;
    if (depth > max) {
      first = first === undefined ? tok.offset : Math.min(first, tok.offset);
      continue;
    }
    for (const item of tok.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return first;
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
