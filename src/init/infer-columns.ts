// `mmoe-compile init`, step 1: profile each column of a CSV sample and decide what feature it
// becomes, with the evidence kept as a one-line reason (written next to the feature as a YAML
// comment). Pure: no I/O, no tfjs. The rules, in order (docs/init.md repeats them):
//
//   label        a task column is never a feature
//   constant     one distinct value: nothing to learn
//   leak         a column that predicts a label on > 99% of sampled rows from <= 20 distinct
//                values (a near-duplicate of the label, e.g. a recoded copy) is left out
//                (a weaker one that still removes >= 40% of the majority-guess errors gets a
//                `# note:` to check it is known at prediction time)
//   numeric      >= 98% of present cells parse as numbers and the others are at most 3
//                spellings (added to data.naValues, or training would stop at them); but
//                integers with <= 20 distinct values are categorical (codes and small
//                ordinals); normalization `log` when the values are >= 0 and
//                max > 50 x max(median, 1) (long tail), else standard
//   sequence     >= 20% of present cells hold the separator ('|' or ';'): a list per cell
//   row id       every sampled value distinct (and not numeric): a row id, left out
//   categorical  everything else: a learned vocabulary (minCount) up to 1,000 distinct sampled
//                values, above that hash encoding with 2 x distinct buckets (power of two)
//   embedding    width round(6 x n^0.25) clamped to [2, 64], n = vocabulary size + 1 or buckets
import { parseNumberCell } from '../data/cells.js';
import type { StringColumn } from '../data/table.js';

export const NUMERIC_SHARE = 0.98;
/** At most this many non-numeric spellings in a numeric column (they become naValues). */
export const MAX_NUMERIC_NA_SPELLINGS = 3;
export const SMALL_INTEGER_CARDINALITY = 20;
export const LEAK_PURITY = 0.99;
export const LEAK_MAX_DISTINCT = 20;
/** Share of the majority-guess errors a column's value removes, from which it gets a note. */
export const NOTE_ERROR_REDUCTION = 0.4;
export const SEQUENCE_SHARE = 0.2;
export const VOCABULARY_MAX = 1000;
export const SEQUENCE_SEPARATORS = ['|', ';'] as const;
const MAX_SEQUENCE_LENGTH = 50;
const MIN_HASH_BUCKETS = 64;
const MAX_HASH_BUCKETS = 1 << 20;

/** Embedding width for `n` ids: 6 x n^0.25 (a rule of thumb from Google's feature-column
 * guide), rounded, clamped to [2, 64]. */
export function embeddingDim(n: number): number {
  return Math.min(64, Math.max(2, Math.round(6 * Math.pow(n, 0.25))));
}

/** minCount for a learned vocabulary: values seen fewer times go to the out-of-vocabulary id.
 * 5 on samples of >= 1,000 rows (rare values overfit), else 1. */
export function vocabularyMinCount(sampleRows: number): number {
  return sampleRows >= 1000 ? 5 : 1;
}

export function hashBuckets(distinct: number): number {
  let b = MIN_HASH_BUCKETS;
  while (b < 2 * distinct && b < MAX_HASH_BUCKETS) b *= 2;
  return b;
}

export type ColumnDecision =
  | {
      kind: 'numeric';
      column: string;
      normalization: 'standard' | 'log';
      evidence: string;
      note?: string;
      naSpellings: string[];
    }
  | { kind: 'categorical'; column: string; encoding: IdEncoding; evidence: string; note?: string }
  | {
      kind: 'sequence';
      column: string;
      encoding: IdEncoding;
      separator: string;
      maxLength: number;
      evidence: string;
      note?: string;
    }
  | { kind: 'excluded'; column: string; reason: string };

export type IdEncoding =
  | { type: 'vocabulary'; minCount: number; embeddingDim: number }
  | { type: 'hash'; buckets: number; embeddingDim: number };

/** A label as a 0/1 per sampled row (NaN: label missing), for the leak check. */
export interface LabelIndicator {
  column: string;
  values: Float64Array;
}

const pct = (x: number) => `${Math.floor(x * 100)}%`;
const count = (n: number) => n.toLocaleString('en-US');

export function inferColumn(name: string, col: StringColumn, labels: readonly LabelIndicator[]): ColumnDecision {
  const n = col.values.length;
  const present: number[] = [];
  for (let i = 0; i < n; i++) if (!col.missing[i]) present.push(i);
  const distinct = new Map<string, number>();
  let numeric = 0;
  let integers = 0;
  const numbers: number[] = [];
  for (const i of present) {
    const s = col.values[i];
    distinct.set(s, (distinct.get(s) ?? 0) + 1);
    const x = parseNumberCell(s);
    if (x === x) {
      numeric++;
      numbers.push(x);
      if (Number.isInteger(x)) integers++;
    }
  }
  const p = present.length;
  const missingNote = p < n ? `, ${pct((n - p) / n)} missing` : '';
  if (p === 0) return { kind: 'excluded', column: name, reason: `no value in the ${count(n)} sampled rows` };

  if (distinct.size === 1)
    return {
      kind: 'excluded',
      column: name,
      reason: `constant ${JSON.stringify(col.values[present[0]])} in the ${count(n)} sampled rows`,
    };
  const { leak, note } = leakOf(col, present, distinct.size, labels);
  if (leak) return { kind: 'excluded', column: name, reason: leak };
  const withNote = <T extends ColumnDecision>(d: T): T => (note && d.kind !== 'excluded' ? { ...d, note } : d);

  const numericShare = numeric / p;
  const naSpellings =
    numericShare >= NUMERIC_SHARE ? [...distinct.keys()].filter((v) => Number.isNaN(parseNumberCell(v))).sort() : [];
  if (numericShare >= NUMERIC_SHARE && naSpellings.length <= MAX_NUMERIC_NA_SPELLINGS) {
    const allIntegers = integers === numeric;
    if (!(allIntegers && distinct.size <= SMALL_INTEGER_CARDINALITY)) {
      const normalization = longTailed(numbers) ? 'log' : 'standard';
      const tail = normalization === 'log' ? ', >= 0 with a long tail: log' : '';
      const na = naSpellings.length ? `, ${naSpellings.map((v) => JSON.stringify(v)).join(' ')} read as missing` : '';
      return withNote({
        kind: 'numeric',
        column: name,
        normalization,
        naSpellings,
        evidence: `${pct(numericShare)} numeric, ${count(distinct.size)} distinct${tail}${na}${missingNote}`,
      });
    }
    const encoding: IdEncoding = {
      type: 'vocabulary',
      minCount: vocabularyMinCount(n),
      embeddingDim: embeddingDim(distinct.size + 1),
    };
    return withNote({
      kind: 'categorical',
      column: name,
      encoding,
      evidence: `integers with ${distinct.size} distinct values (<= ${SMALL_INTEGER_CARDINALITY}): categorical${missingNote}`,
    });
  }

  const seq = sequenceOf(col, present);
  if (seq) return withNote({ ...seq, column: name, evidence: seq.evidence + missingNote });

  if (distinct.size === p && p >= 100)
    return { kind: 'excluded', column: name, reason: `every sampled value distinct (${count(p)}): a row id` };
  const encoding = idEncoding(distinct.size, n);
  const how =
    encoding.type === 'vocabulary'
      ? `learned vocabulary, minCount ${encoding.minCount}`
      : `> ${count(VOCABULARY_MAX)}: hashed into ${count(encoding.buckets)} buckets`;
  return withNote({
    kind: 'categorical',
    column: name,
    encoding,
    evidence: `text, ${count(distinct.size)} distinct: ${how}${missingNote}`,
  });
}

function idEncoding(distinct: number, sampleRows: number): IdEncoding {
  if (distinct <= VOCABULARY_MAX)
    return { type: 'vocabulary', minCount: vocabularyMinCount(sampleRows), embeddingDim: embeddingDim(distinct + 1) };
  const buckets = hashBuckets(distinct);
  return { type: 'hash', buckets, embeddingDim: embeddingDim(buckets) };
}

function longTailed(xs: number[]): boolean {
  if (xs.length === 0) return false;
  const sorted = Float64Array.from(xs).sort();
  if (sorted[0] < 0) return false;
  const median = sorted[sorted.length >> 1];
  return sorted[sorted.length - 1] > 50 * Math.max(median, 1);
}

function sequenceOf(
  col: StringColumn,
  present: number[],
): Omit<Extract<ColumnDecision, { kind: 'sequence' }>, 'column'> | undefined {
  for (const separator of SEQUENCE_SEPARATORS) {
    let withSeparator = 0;
    for (const i of present) if (col.values[i].includes(separator)) withSeparator++;
    if (withSeparator / present.length < SEQUENCE_SHARE) continue;
    const items = new Set<string>();
    let maxItems = 0;
    for (const i of present) {
      const parts = col.values[i].split(separator).filter((s) => s !== '');
      maxItems = Math.max(maxItems, parts.length);
      for (const s of parts) items.add(s);
    }
    const encoding = idEncoding(items.size, present.length);
    const maxLength = Math.min(MAX_SEQUENCE_LENGTH, Math.max(1, maxItems));
    const cap = maxItems > MAX_SEQUENCE_LENGTH ? ` (kept: first ${MAX_SEQUENCE_LENGTH})` : '';
    return {
      kind: 'sequence',
      encoding,
      separator,
      maxLength,
      evidence: `'${separator}'-separated lists in ${pct(withSeparator / present.length)} of cells, max ${maxItems} items${cap}, ${count(items.size)} distinct items`,
    };
  }
  return undefined;
}

/** A column with few values whose value fixes a label on > 99% of rows (both present): a leak;
 * one whose value removes >= 40% of the errors of guessing the majority label: a note. */
function leakOf(
  col: StringColumn,
  present: number[],
  distinct: number,
  labels: readonly LabelIndicator[],
): { leak?: string; note?: string } {
  if (distinct > LEAK_MAX_DISTINCT) return {};
  let note: string | undefined;
  for (const label of labels) {
    const byValue = new Map<string, [number, number]>();
    let rows = 0;
    let positives = 0;
    for (const i of present) {
      const y = label.values[i];
      if (y !== y) continue;
      rows++;
      positives += y;
      const c = byValue.get(col.values[i]) ?? [0, 0];
      c[y]++;
      byValue.set(col.values[i], c);
    }
    // a label with one value in the sample is fixed by any column: no evidence of a leak
    if (rows === 0 || positives === 0 || positives === rows) continue;
    let agree = 0;
    for (const [neg, pos] of byValue.values()) agree += Math.max(neg, pos);
    const purity = agree / rows;
    const base = Math.max(positives, rows - positives) / rows;
    const share = (x: number) => `${(x * 100).toFixed(1)}%`;
    if (purity > LEAK_PURITY)
      return { leak: `label leak: its value gives label "${label.column}" on ${share(purity)} of sampled rows` };
    if (note === undefined && (purity - base) / (1 - base) >= NOTE_ERROR_REDUCTION) {
      note = `its value alone gives label "${label.column}" on ${share(purity)} of sampled rows (majority guess: ${share(base)}): check it is known at prediction time and not a consequence of the label`;
    }
  }
  return { note };
}
