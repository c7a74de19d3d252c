// Raw records (plain objects keyed by the spec's column names, e.g. a JSON request body) ->
// checked records. Browser-safe. The fitted pipeline stays the authority on how a value is
// encoded; this file only finds, per record, every problem worth reporting before encoding:
//
//   - the record is not an object                       -> one error for the record
//   - a field a feature reads is absent                 -> an error naming the field (unless
//     absentFields is 'missing': then it is a missing value, like null)
//   - a field has the wrong type (a non-numeric string or an object in a numeric column, an
//     object or array in a categorical one)             -> an error naming the field
//
// Values that are *present but missing* (null, NaN, or one of the manifest's naValues such as
// "" or "NA") follow the feature's missing.policy: fill gives the fitted fill value; error and
// skip make the record fail (a single record cannot be skipped). Unknown categories are not
// errors: the id space maps them to its out-of-vocabulary bucket (vocabulary encoding), to a
// hash bucket (hash encoding), or to the out-of-range id (identity encoding). Extra fields
// (ids, labels) are ignored.
import type { FeatureManifest, PipelineManifest } from '../data/pipeline.js';
import { parseNumberCell } from '../data/cells.js';

/** One field a record must carry. */
export interface FieldInfo {
  /** The record key (the spec's column name). */
  name: string;
  /** 'number' for numeric and bucketised features; 'category'; 'sequence' (a separated string or an array). */
  type: 'number' | 'category' | 'sequence';
  /** Features reading the field. */
  features: string[];
  /** Vocabulary-encoded categories: the known values (any other value goes to the OOV bucket). */
  vocabulary?: string[];
  /** Sequences: the separator of a string value, and how many values the model reads. */
  separator?: string;
  maxLength?: number;
  /** The strictest missing.policy among the features reading the field. */
  missing: 'fill' | 'error' | 'skip';
}

export type AbsentFields = 'error' | 'missing';

export interface FieldProblem {
  field?: string;
  message: string;
}

const KIND: Record<Exclude<FeatureManifest['type'], 'cross'>, FieldInfo['type']> = {
  numeric: 'number',
  bucketized: 'number',
  categorical: 'category',
  sequence: 'sequence',
};
const STRICTNESS = { fill: 0, skip: 1, error: 2 } as const;

/** The fields a record needs, one per column, in the pipeline's feature order. */
export function recordFields(manifest: PipelineManifest): FieldInfo[] {
  const fields = new Map<string, FieldInfo>();
  for (const f of manifest.features) {
    // a hashed cross reads its components' fields, which their own features list
    if (f.type === 'cross') continue;
    const kind = KIND[f.type];
    const info = fields.get(f.column);
    if (!info) {
      const space = f.type === 'categorical' || f.type === 'sequence' ? manifest.idSpaces[f.idSpace] : undefined;
      fields.set(f.column, {
        name: f.column,
        type: kind,
        features: [f.name],
        ...(space?.encoding === 'vocabulary' ? { vocabulary: [...space.values] } : {}),
        ...(f.type === 'sequence' ? { separator: f.separator, maxLength: f.maxLength } : {}),
        missing: f.missing,
      });
      continue;
    }
    // A column read by several features must satisfy each: a number reader makes it a number.
    info.features.push(f.name);
    if (kind === 'number') info.type = 'number';
    if (STRICTNESS[f.missing] > STRICTNESS[info.missing]) info.missing = f.missing;
  }
  return [...fields.values()];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

function typeProblem(field: FieldInfo, value: unknown, na: ReadonlySet<string>): string | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'number':
      if (typeof value === 'number')
        return value === Infinity || value === -Infinity
          ? `field "${field.name}" must be a finite number, found ${value}`
          : null;
      if (typeof value === 'boolean') return null;
      if (typeof value === 'string' && (na.has(value) || !Number.isNaN(parseNumberCell(value)))) return null;
      return `field "${field.name}" must be a number, found ${describe(value)}`;
    case 'category':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return null;
      return `field "${field.name}" must be a string or number (a category), found ${describe(value)}`;
    case 'sequence':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return null;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return null;
      return `field "${field.name}" must be a string (values separated by ${JSON.stringify(field.separator)}) or an array of strings, found ${describe(value)}`;
  }
}

/** Every problem of one record (empty: the record can go to the pipeline). */
export function checkRecord(
  record: unknown,
  fields: readonly FieldInfo[],
  na: ReadonlySet<string>,
  absent: AbsentFields,
): FieldProblem[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    return [{ message: `a record must be an object with one field per column, found ${describe(record)}` }];
  const problems: FieldProblem[] = [];
  const absentNames: string[] = [];
  for (const field of fields) {
    if (!Object.hasOwn(record, field.name)) {
      if (absent === 'error') absentNames.push(field.name);
      continue;
    }
    const problem = typeProblem(field, (record as Record<string, unknown>)[field.name], na);
    if (problem) problems.push({ field: field.name, message: problem });
  }
  for (const name of absentNames) {
    const f = fields.find((x) => x.name === name)!;
    problems.push({
      field: name,
      message: `missing field "${name}" (read by feature${f.features.length > 1 ? 's' : ''} ${f.features.map((n) => `"${n}"`).join(', ')}); send null for a missing value`,
    });
  }
  return problems;
}

/**
 * The scenario index input of a record: the position of its scenario value in `values`, or
 * values.length (the unknown scenario) when the value is missing or not one of them. A number
 * is compared as String(n), as in training.
 */
export function recordScenarioIndex(
  record: Readonly<Record<string, unknown>>,
  field: string,
  values: readonly string[],
  na: ReadonlySet<string>,
): number {
  const v = Object.hasOwn(record, field) ? record[field] : undefined;
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return values.length;
  const s = String(v);
  if (typeof v === 'string' && na.has(s)) return values.length;
  const i = values.indexOf(s);
  return i < 0 ? values.length : i;
}
