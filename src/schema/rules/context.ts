// What a semantic rule sees: the defaults-filled spec, a symbol table of every named thing with
// its spec path, and `report`, which locates a diagnostic by spec path.
import { CATALOGUE, type DiagnosticCode } from '../../util/catalogue.js';
import type { Diagnostic, Related, Severity } from '../../util/diagnostics.js';
import { locate, type LocIndex } from '../source.js';
import type { Spec } from '../spec-schema.js';
import { buildSymbols, type Symbols } from '../symbols.js';
import { buildReaders, type Readers } from './readers.js';

export interface Report {
  /** A code of the catalogue; its default severity applies unless `severity` is given. */
  code: DiagnosticCode;
  /** Spec path (JSON pointer) the diagnostic is about. */
  path: string;
  message: string;
  severity?: Severity;
  /** Point at the key rather than the value (e.g. a duplicate name's `name:`). */
  atKey?: boolean;
  related?: { path: string; message: string }[];
}

export interface RuleContext {
  readonly spec: Spec;
  readonly symbols: Symbols;
  /** Who reads each group, gate, pool, tower and task (resolved references only). */
  readonly readers: Readers;
  readonly file: string;
  /** Whether the spec text (a file, a base, or --set) writes this path: tells a value the user
   * wrote from a default that ajv filled in. */
  written(path: string): boolean;
  report(r: Report): void;
}

export type Rule = (ctx: RuleContext) => void;

export function createContext(spec: Spec, locs: LocIndex, file: string, sink: (d: Diagnostic) => void): RuleContext {
  const where = (path: string, atKey = false) => locate(locs, path, atKey)?.value ?? { file, line: 1, column: 1 };
  let readers: Readers | undefined;
  return {
    spec,
    symbols: buildSymbols(spec),
    // built on first use, inside a rule, so a failure is reported as that rule's internal error
    get readers() {
      return (readers ??= buildReaders(spec));
    },
    file,
    written: (path) => locs.has(path),
    report(r) {
      const related: Related[] | undefined = r.related?.map((x) => ({ ...where(x.path), message: x.message }));
      sink({
        ...where(r.path, r.atKey),
        severity: r.severity ?? CATALOGUE[r.code].severity[0],
        code: r.code,
        message: r.message,
        path: r.path,
        ...(related?.length ? { related } : {}),
      });
    },
  };
}
