// Diagnostics: typed, located, collected (never thrown one at a time), rendered as text with a
// code frame, as JSON, or as GitHub workflow annotations.
import { githubData, githubProperty } from '../util/escape.js';

import type { DiagnosticCode } from './catalogue.js';

export type Severity = 'error' | 'warning';

/** A point in a source file; line and column are 1-based. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Related extends Location {
  message: string;
}

export interface Diagnostic extends Location {
  /** A code of the catalogue (src/util/catalogue.ts). */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** JSON-pointer-like path into the merged spec ("/model/levels/0/pools/1/units"), when known. */
  path?: string;
  /** Other places the diagnostic is about (the first definition of a duplicate, ...). */
  related?: Related[];
}

/** Raised for conditions that end a command before diagnostics make sense (I/O, usage). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** Source text per file name, for code frames. */
export type SourceTexts = ReadonlyMap<string, string>;

export function codeFrame(text: string, d: Location): string {
  const lines = text.split(/\r?\n/);
  const line = lines[d.line - 1];
  if (line === undefined) return '';
  const gutter = String(d.line).length;
  const shown = line.length > 160 ? line.slice(0, 160) + '…' : line;
  const width =
    d.endLine === d.line && d.endColumn && d.endColumn > d.column ? Math.min(d.endColumn - d.column, 80) : 1;
  const caretPad = ' '.repeat(Math.max(0, Math.min(d.column - 1, 160)));
  return `  ${' '.repeat(gutter)} |\n  ${d.line} | ${shown}\n  ${' '.repeat(gutter)} | ${caretPad}${'^'.repeat(width)}`;
}

export function formatText(d: Diagnostic, sources?: SourceTexts, frame = true): string {
  let out = `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
  const text = sources?.get(d.file);
  if (frame && text !== undefined) {
    const f = codeFrame(text, d);
    if (f) out += '\n' + f;
  }
  for (const r of d.related ?? []) out += `\n  ${r.file}:${r.line}:${r.column}: note: ${r.message}`;
  return out;
}

/** GitHub workflow-command escaping (src/util/escape.ts): data escapes %, CR, LF; properties also ':' and ','. */
export { githubData as escapeGithubData, githubProperty as escapeGithubProperty } from '../util/escape.js';

export function formatGithub(d: Diagnostic): string {
  const props = [`file=${githubProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`];
  if (d.endLine) props.push(`endLine=${d.endLine}`);
  if (d.endColumn && d.endLine === d.line) props.push(`endColumn=${d.endColumn}`);
  props.push(`title=${githubProperty(d.code)}`);
  const cmd = d.severity === 'error' ? 'error' : 'warning';
  return `::${cmd} ${props.join(',')}::${githubData(d.message)}`;
}

export function toJSON(d: Diagnostic): Diagnostic {
  const o: Diagnostic = {
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
  if (d.endLine !== undefined) o.endLine = d.endLine;
  if (d.endColumn !== undefined) o.endColumn = d.endColumn;
  if (d.path !== undefined) o.path = d.path;
  if (d.related?.length) o.related = d.related;
  return o;
}

// ---------------------------------------------------------------------------------------------
// "Did you mean"
// ---------------------------------------------------------------------------------------------

function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[n];
}

/** The closest candidates to `input` (GraphQL-js didYouMean): within ~40% edits, best first. */
export function suggest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const threshold = Math.floor(input.length * 0.4) + 1;
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(input, c) }))
    .filter((x) => x.d <= threshold && x.c !== input)
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1))
    .slice(0, max)
    .map((x) => x.c);
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const s = suggest(input, candidates);
  if (s.length === 0) return '';
  if (s.length === 1) return ` Did you mean "${s[0]}"?`;
  return ` Did you mean ${s
    .slice(0, -1)
    .map((x) => `"${x}"`)
    .join(', ')} or "${s[s.length - 1]}"?`;
}
