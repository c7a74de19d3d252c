// Fits the id spaces of the categorical and sequence features on the training table.
//
// Features naming the same `sharedEmbedding` get one id space (one embedding table), so a
// value has the same id in all of them (e.g. item_category and the categories in
// user_history): their encoding settings must agree, and a learned vocabulary counts the
// values of all of them together. If any of them is a sequence, the whole space is offset by
// one so that id 0 stays the padding id for the sequence (it is then unused by the others).
import { settingText, tableDifferences } from '../schema/embedding-table.js';
import type { CategoricalFeatureSpec, SequenceFeatureSpec } from '../schema/spec-schema.js';
import { cellToken } from './cells.js';
import { sequenceTokens } from './encode-ids.js';
import { DataError } from './errors.js';
import { learnVocabulary, type IdSpaceManifest } from './id-space.js';
import { getColumn, type Table } from './table.js';

export type IdFeatureSpec = CategoricalFeatureSpec | SequenceFeatureSpec;

export interface IdSpaceOptions {
  /** Contents of vocabulary files, keyed by `vocabularyFile` exactly as the spec writes it. */
  vocabularyFiles?: ReadonlyMap<string, readonly string[]>;
}

/** The id-space key of a feature: its shared table, else its own. */
export function idSpaceKey(f: IdFeatureSpec): string {
  return f.sharedEmbedding !== undefined ? `shared:${f.sharedEmbedding}` : `feature:${f.name}`;
}

export function fitIdSpaces(
  features: readonly IdFeatureSpec[],
  table: Table,
  options: IdSpaceOptions = {},
): Map<string, IdSpaceManifest> {
  const groups = new Map<string, IdFeatureSpec[]>();
  for (const f of features) {
    const key = idSpaceKey(f);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [f]);
    else members.push(f);
  }
  const spaces = new Map<string, IdSpaceManifest>();
  for (const [key, members] of groups) spaces.set(key, fitGroup(members, table, options));
  return spaces;
}

function fitGroup(members: readonly IdFeatureSpec[], table: Table, options: IdSpaceOptions): IdSpaceManifest {
  const first = members[0];
  for (const other of members.slice(1)) {
    // validate reports this at the spec line (shared-embedding); kept for specs built in code
    const [setting] = tableDifferences(first, other);
    if (setting !== undefined) {
      throw new DataError(
        `features "${first.name}" and "${other.name}" share embedding "${first.sharedEmbedding}" but differ in ${setting} (${settingText(first, setting)} vs ${settingText(other, setting)})`,
      );
    }
  }
  const who = members.length === 1 ? `feature "${first.name}"` : `shared embedding "${first.sharedEmbedding}"`;
  const offset = members.some((f) => f.type === 'sequence') ? 1 : 0;
  const encoding = first.encoding ?? 'vocabulary';

  if (encoding === 'hash') {
    if (first.hashBuckets === undefined) throw new DataError(`${who}: encoding hash needs hashBuckets`);
    return { encoding, offset, hashBuckets: first.hashBuckets };
  }
  if (encoding === 'identity') {
    if (first.numIds === undefined) throw new DataError(`${who}: encoding identity needs numIds`);
    return { encoding, offset, numIds: first.numIds };
  }
  if (first.vocabulary !== undefined && first.vocabularyFile !== undefined) {
    throw new DataError(`${who}: give vocabulary or vocabularyFile, not both`);
  }
  const oovBuckets = first.oovBuckets ?? 1;
  let values: string[];
  if (first.vocabulary !== undefined) {
    values = checkUnique(who, 'vocabulary', first.vocabulary);
  } else if (first.vocabularyFile !== undefined) {
    const loaded = options.vocabularyFiles?.get(first.vocabularyFile);
    if (loaded === undefined) {
      throw new DataError(
        `${who}: vocabularyFile "${first.vocabularyFile}" was not loaded (load it with loadVocabularyFiles and pass it to fitPipeline)`,
      );
    }
    values = checkUnique(who, `vocabularyFile "${first.vocabularyFile}"`, loaded);
  } else {
    values = learnVocabulary(countTokens(members, table), first.minCount ?? 1, first.topK);
  }
  return { encoding: 'vocabulary', offset, oovBuckets, values };
}

function countTokens(members: readonly IdFeatureSpec[], table: Table): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (token: string) => counts.set(token, (counts.get(token) ?? 0) + 1);
  for (const f of members) {
    const col = getColumn(table, f.column ?? f.name, `feature "${f.name}"`);
    for (let i = 0; i < table.rowCount; i++) {
      if (col.missing[i]) continue;
      if (f.type === 'sequence') {
        for (const token of sequenceTokens(col, i, f.separator ?? '|', f.maxLength ?? 20)) add(token);
      } else {
        add(cellToken(col, i));
      }
    }
  }
  return counts;
}

function checkUnique(who: string, what: string, values: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new DataError(`${who}: ${what} lists ${JSON.stringify(v)} twice`);
    seen.add(v);
  }
  return [...values];
}
