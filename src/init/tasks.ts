// `mmoe-compile init`, the tasks: `--task click --task conversion:click` (conversion counted only
// where click is positive: a sample space) and the positive value of each binary label, either
// given (`--positive income=>50K`) or detected from the sampled values (0/1, true/false, yes/no,
// y/n, any case). A label with other values is refused with the values seen, never guessed.
import { parseNumberCell } from '../data/cells.js';
import type { StringColumn } from '../data/table.js';

export class InitError extends Error {}

export interface TaskArg {
  /** The label column. */
  label: string;
  /** Sample space: the task counts only rows where this column is positive. */
  given?: string;
}

export interface InitTask {
  name: string;
  label: string;
  positive: string | number;
  /** The values that count as 0 (the trainer refuses any other): a list, or 'other' for every value but the positive. */
  negative?: (string | number)[] | 'other';
  /** The positive value as written in the sample (for the comment). */
  values: string[];
  sampleSpace?: { column: string; equals: string | number };
}

export function parseTaskArg(arg: string): TaskArg {
  const parts = arg.split(':');
  if (parts.length > 2 || parts.some((p) => p === ''))
    throw new InitError(
      `--task ${JSON.stringify(arg)}: expected <label column> or <label column>:<sample-space column>`,
    );
  return parts.length === 2 ? { label: parts[0], given: parts[1] } : { label: parts[0] };
}

/** `--positive income=>50K` (split at the first '='); keys are label columns. */
export function parsePositiveArgs(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0)
      throw new InitError(`--positive ${JSON.stringify(a)}: expected <label column>=<value>, e.g. income='>50K'`);
    out.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return out;
}

/** A spec name (task, feature) for a column: letters, digits and '_', starting with a letter. */
export function specName(column: string): string {
  const s = column.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(s) ? s : `c_${s}`;
}

const PAIRS: readonly [string, string][] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
];

/** The positive value of a binary label column from its sampled values. */
export interface LabelValues {
  positive: string | number;
  /** Unset when the trainer's default negatives (0, "0", false) cover the other value. */
  negative?: (string | number)[] | 'other';
  values: string[];
}

export function detectPositive(column: string, col: StringColumn, given: string | undefined): LabelValues {
  const seen = new Set<string>();
  for (let i = 0; i < col.values.length; i++) if (!col.missing[i]) seen.add(col.values[i]);
  const values = [...seen].sort();
  const shown =
    values
      .slice(0, 6)
      .map((v) => JSON.stringify(v))
      .join(', ') + (values.length > 6 ? ', ...' : '');
  if (values.length === 0) throw new InitError(`label column "${column}" has no value in the sampled rows`);
  if (given !== undefined) {
    if (!seen.has(given))
      throw new InitError(
        `--positive ${column}=${given}: "${given}" does not occur in column "${column}" (values seen: ${shown})`,
      );
    const rest = values.filter((v) => v !== given);
    // two values: the other one is the negative; more: every value but the positive counts as 0
    return { positive: numericOrText(given), negative: rest.length === 1 ? [numericOrText(rest[0])] : 'other', values };
  }
  if (values.every((v) => parseNumberCell(v) === 0 || parseNumberCell(v) === 1)) return { positive: 1, values };
  const lower = values.map((v) => v.toLowerCase());
  for (const [yes, no] of PAIRS) {
    if (lower.every((v) => v === yes || v === no)) {
      const spelled = values.find((v) => v.toLowerCase() === yes);
      const negatives = values.filter((v) => v.toLowerCase() === no);
      if (spelled !== undefined)
        return { positive: spelled, ...(negatives.length ? { negative: negatives } : {}), values };
    }
  }
  const what =
    values.length > 2 ? `${values.length} values (${shown})` : `values ${shown}, not 0/1, true/false or yes/no`;
  throw new InitError(
    `label column "${column}" has ${what}: name the positive one with --positive ${column}=<value> (every other value counts as 0)`,
  );
}

function numericOrText(v: string): string | number {
  const n = parseNumberCell(v);
  return n === n && String(n) === v ? n : v;
}

/** Whether a present cell equals the positive value (as the trainer compares them). */
export function isPositive(cell: string, positive: string | number): boolean {
  return typeof positive === 'number' ? parseNumberCell(cell) === positive : cell === positive;
}
