// Shared by the schema tests: run a sample folder through the front end exactly as `validate`
// does, with file names shown relative to the sample folder.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/util/output.js';
import { checkSpec, type CheckedSpec } from '../../src/compiler/front.js';
import { formatText, sortDiagnostics, type Diagnostic } from '../../src/util/diagnostics.js';
import { SET_SOURCE, SpecIoError } from '../../src/schema/load.js';

export const SAMPLES_DIR = fileURLToPath(new URL('./samples', import.meta.url));

/** Per-sample options (options.json): the CLI's --set and --max-params. */
export interface SampleOptions {
  sets?: string[];
  maxParameters?: number;
}

export interface SampleResult {
  diagnostics: Diagnostic[];
  /** Source text per file name as shown (relative to the sample folder). */
  sources: Map<string, string>;
  checked?: CheckedSpec;
}

export function sampleOptions(dir: string): SampleOptions {
  const p = join(dir, 'options.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as SampleOptions) : {};
}

/** The CLI arguments equivalent to a sample's options. */
export function sampleArgs(dir: string): string[] {
  const o = sampleOptions(dir);
  return [
    ...(o.sets ?? []).flatMap((s) => ['--set', s]),
    ...(o.maxParameters !== undefined ? ['--max-params', String(o.maxParameters)] : []),
  ];
}

export function runSample(dir: string): SampleResult {
  const o = sampleOptions(dir);
  const shown = (f: string) => (f === SET_SOURCE ? f : relative(dir, resolve(f)));
  const spec = join(dir, 'spec.yaml');
  try {
    const checked = checkSpec(spec, { sets: o.sets, maxParameters: o.maxParameters });
    const diagnostics = sortDiagnostics(
      checked.diagnostics.map((d) => ({
        ...d,
        file: shown(d.file),
        related: d.related?.map((r) => ({ ...r, file: shown(r.file) })),
      })),
    );
    const sources = new Map([...checked.loaded.sources].map(([k, v]) => [shown(k), v]));
    return { diagnostics, sources, checked };
  } catch (e) {
    if (!(e instanceof SpecIoError)) throw e;
    return {
      diagnostics: [{ file: 'spec.yaml', line: 1, column: 1, severity: 'error', code: e.code, message: e.message }],
      sources: new Map(),
    };
  }
}

/** expected.json: exactly these fields, `file` only when it is not spec.yaml. */
export function expectedOf(ds: readonly Diagnostic[]): { code: string; line: number; column: number; file?: string }[] {
  return ds.map((d) => ({
    code: d.code,
    line: d.line,
    column: d.column,
    ...(d.file !== 'spec.yaml' ? { file: d.file } : {}),
  }));
}

/** expected.txt: what `validate` prints (severity, message, code frame, notes), for review. */
export function textOf(r: SampleResult): string {
  return r.diagnostics.map((d) => formatText(d, r.sources)).join('\n\n') + '\n';
}

/** Run the CLI entry in process with a capturing Io. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
