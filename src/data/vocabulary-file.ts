// Reads the `vocabularyFile`s of the features (Node only; the pipeline itself stays
// browser-safe and receives the contents). One value per line, exactly as written (a trailing
// '\r' is removed); blank lines are ignored; a repeated value is an error with both lines.
// Files are named in messages as the spec writes them, relative to the spec, never absolute.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkNamedPath, readPolicyFor, type ReadPolicy } from '../schema/paths.js';
import type { Feature } from '../schema/spec-schema.js';
import { DataError } from './errors.js';

/**
 * The file a spec names as data (relative to `baseDir`, the root spec's folder), checked by the
 * read policy before it is opened: validation reports the same refusal with its position, this
 * is the last line for callers that skipped it. Default policy: the root holding `baseDir`.
 */
export function dataFilePath(
  written: string,
  baseDir: string,
  policy: ReadPolicy = readPolicyFor(resolve(baseDir, 'spec')),
): string {
  const r = checkNamedPath(policy, baseDir, written, 'data');
  if ('code' in r) throw new DataError(`${written}: error ${r.code}: ${r.message}`);
  return r.path;
}

/** path as written in the spec -> values, for every feature that names a vocabularyFile. */
export async function loadVocabularyFiles(
  features: readonly Feature[],
  baseDir: string,
  policy?: ReadPolicy,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const f of features) {
    if (f.type === 'numeric' || f.type === 'cross' || f.vocabularyFile === undefined || out.has(f.vocabularyFile))
      continue;
    out.set(
      f.vocabularyFile,
      await readVocabularyFile(dataFilePath(f.vocabularyFile, baseDir, policy), f.vocabularyFile),
    );
  }
  return out;
}

export async function readVocabularyFile(path: string, displayName: string = path): Promise<string[]> {
  let text: string;
  try {
    if ((await stat(path)).isDirectory())
      throw new DataError(`${displayName}: is a directory, expected a vocabulary file`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof DataError) throw err;
    const code = (err as { code?: string }).code;
    throw new DataError(
      `${displayName}: ${code === 'ENOENT' ? 'vocabulary file not found' : `cannot read (${(err as Error).message})`}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const values: string[] = [];
  const firstLine = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const value = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (value.trim() === '') return;
    const seen = firstLine.get(value);
    if (seen !== undefined)
      throw new DataError(`${displayName}:${index + 1}: ${JSON.stringify(value)} already on line ${seen}`);
    firstLine.set(value, index + 1);
    values.push(value);
  });
  if (values.length === 0) throw new DataError(`${displayName}: the vocabulary file is empty`);
  return values;
}
