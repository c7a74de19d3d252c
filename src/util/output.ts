// Rendering diagnostics and results for the terminal, JSON consumers and GitHub Actions.
import { formatGithub, formatText, sortDiagnostics, toJSON, type Diagnostic, type SourceTexts } from './diagnostics.js';

export type Format = 'text' | 'json' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'github'];

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
};

export function renderDiagnostics(ds: readonly Diagnostic[], format: Format, sources?: SourceTexts): string {
  const sorted = sortDiagnostics(ds);
  if (format === 'json') return JSON.stringify(sorted.map(toJSON), null, 2);
  if (format === 'github') return sorted.map(formatGithub).join('\n');
  return sorted.map((d) => formatText(d, sources)).join('\n\n');
}

export function countLine(ds: readonly Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === 'error').length;
  const w = ds.length - e;
  const plural = (n: number, s: string) => `${n} ${s}${n === 1 ? '' : 's'}`;
  return `${plural(e, 'error')}, ${plural(w, 'warning')}`;
}
