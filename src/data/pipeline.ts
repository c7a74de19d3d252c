// The feature pipeline: fitted on the training table only, saved as a JSON manifest, and
// applied identically to validation, test and serving inputs. Browser-safe: no node: imports
// (vocabulary files are read by vocabulary-file.ts and passed in).
//
//   fitPipeline(spec features, training table) -> Pipeline
//   pipeline.transform(table)       -> typed arrays per feature, for the trainer
//   pipeline.transformRecord(obj)   -> the same for one raw object (serving)
//   pipeline.toJSON() / Pipeline.fromJSON(manifest)
//
// Output per feature: numeric -> Float32Array [n]; bucketised and categorical -> Int32Array
// [n]; sequence -> Int32Array [n * maxLength] (row-major, 0 = padding). Rows with a missing
// value in a feature whose missing.policy is 'skip' are left out of every output;
// `TransformResult.rows` says which input rows the outputs hold (pass it to transformLabels).
import type { Feature } from '../schema/spec-schema.js';
import { parseNumberCell } from './cells.js';
import { componentValue, crossId, transformCross, type CrossComponent, type CrossManifest } from './cross.js';
import { transformCategorical, transformSequence, sequenceTokens, PAD_ID } from './encode-ids.js';
import { bucketOf, encodeNumber, fitNumeric, transformBucketized, transformNumeric } from './encode-numeric.js';
import { DataError } from './errors.js';
import { fitIdSpaces, idSpaceKey, type IdFeatureSpec, type IdSpaceOptions } from './fit-id-spaces.js';
import { IdEncoder } from './id-space.js';
import {
  readManifest,
  PIPELINE_FORMAT,
  PIPELINE_VERSION,
  type FeatureManifest,
  type PipelineManifest,
} from './pipeline-manifest.js';
import { DEFAULT_NA_VALUES, getColumn, rowLocation, stringColumn, type Column, type Table } from './table.js';

export { PIPELINE_FORMAT, PIPELINE_VERSION, type FeatureManifest, type PipelineManifest } from './pipeline-manifest.js';

export interface FitOptions extends IdSpaceOptions {
  /** Spellings `transformRecord` reads as missing (use data.csv.naValues); default ['', 'NA', '?']. */
  naValues?: readonly string[];
}

/** What the model needs to know about one input. */
export interface PipelineInput {
  name: string;
  type: FeatureManifest['type'];
  dtype: 'float32' | 'int32';
  /** Values per row: 1, or maxLength for a sequence. */
  width: number;
  /** Id inputs: rows of the embedding table. */
  vocabSize?: number;
  /** Id inputs: the embedding table (id-space key; features sharing a table give the same key). */
  embedding?: string;
  embeddingDim?: number;
  /** Sequences: pooling, and the padding id to mask. */
  pooling?: 'sum' | 'mean' | 'max' | 'attention';
  padId?: number;
}

export type FeatureArray = Float32Array | Int32Array;

export interface TransformResult {
  rowCount: number;
  /** The input rows the outputs hold, in order. */
  rows: Uint32Array;
  /** Rows left out under missing.policy 'skip', and the first few reasons. */
  skipped: number;
  skipReasons: string[];
  features: Map<string, FeatureArray>;
}

const MAX_SKIP_REASONS = 10;

export function fitPipeline(features: readonly Feature[], table: Table, options: FitOptions = {}): Pipeline {
  const names = new Set<string>();
  for (const f of features) {
    if (names.has(f.name)) throw new DataError(`feature "${f.name}" is defined twice`);
    names.add(f.name);
  }
  const idFeatures = features.filter((f): f is IdFeatureSpec => f.type !== 'numeric' && f.type !== 'cross');
  const spaces = fitIdSpaces(idFeatures, table, options);
  // a hashed cross has a hash id space of its own (nothing to fit)
  for (const f of features)
    if (f.type === 'cross')
      spaces.set(`feature:${f.name}`, { encoding: 'hash', offset: 0, hashBuckets: f.hashBuckets });
  const encoders = new Map([...spaces].map(([key, m]) => [key, new IdEncoder(m)]));

  const byName = new Map(features.map((f) => [f.name, f]));
  const manifests = features.map((f): FeatureManifest => {
    if (f.type === 'cross') return crossManifest(f.name, f.of, f.embeddingDim, byName, table);
    const column = f.column ?? f.name;
    const col = getColumn(table, column, `feature "${f.name}"`);
    if (f.type === 'numeric') return fitNumeric(f, table, col);
    const key = idSpaceKey(f);
    const encoder = encoders.get(key)!;
    const missing = f.missing?.policy ?? 'fill';
    const fill = f.missing?.fill;
    const embeddingDim = f.embeddingDim ?? 8;
    if (f.type === 'categorical') {
      const fillId = fill === undefined ? encoder.missingId : encoder.encode(String(fill));
      return { name: f.name, type: 'categorical', column, missing, idSpace: key, fillId, embeddingDim };
    }
    const separator = f.separator ?? '|';
    const maxLength = f.maxLength ?? 20;
    const fillIds =
      fill === undefined
        ? []
        : sequenceTokens(stringColumn([String(fill)]), 0, separator, maxLength).map((t) => encoder.encode(t));
    return {
      name: f.name,
      type: 'sequence',
      column,
      missing,
      idSpace: key,
      separator,
      maxLength,
      pooling: f.pooling ?? 'mean',
      fillIds,
      embeddingDim,
    };
  });

  return Pipeline.fromJSON({
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    naValues: [...(options.naValues ?? DEFAULT_NA_VALUES)],
    idSpaces: Object.fromEntries(spaces),
    features: manifests,
  });
}

function crossManifest(
  name: string,
  of: readonly string[],
  embeddingDim: number,
  byName: ReadonlyMap<string, Feature>,
  table: Table,
): CrossManifest {
  const components = of.map((c): CrossComponent => {
    const f = byName.get(c);
    if (!f || f.type === 'cross' || f.type === 'sequence' || (f.type === 'numeric' && !f.boundaries))
      throw new DataError(`cross "${name}": component "${c}" is not a categorical or bucketised feature`);
    const column = f.column ?? f.name;
    getColumn(table, column, `cross "${name}"`);
    return { name: c, column, ...(f.type === 'numeric' ? { boundaries: [...f.boundaries!] } : {}) };
  });
  // `column` (the first component's) only satisfies the common manifest shape; a cross reads
  // every component column and is never missing itself (a missing component gives the missing id)
  return {
    name,
    type: 'cross',
    column: components[0].column,
    missing: 'fill',
    idSpace: `feature:${name}`,
    components,
    embeddingDim,
  };
}

export class Pipeline {
  readonly inputs: readonly PipelineInput[];
  private readonly encoders: ReadonlyMap<string, IdEncoder>;
  private readonly na: ReadonlySet<string>;

  private constructor(private readonly manifest: PipelineManifest) {
    this.encoders = new Map(Object.entries(manifest.idSpaces).map(([key, m]) => [key, new IdEncoder(m)]));
    this.na = new Set(manifest.naValues);
    this.inputs = manifest.features.map((f) => this.describe(f));
  }

  /** Rebuilds a pipeline from its manifest (parsed JSON), checking every field. */
  static fromJSON(manifest: unknown): Pipeline {
    return new Pipeline(readManifest(manifest));
  }

  /** The manifest: plain JSON, canonical key order (a copy; the pipeline stays unchanged). */
  toJSON(): PipelineManifest {
    return readManifest(JSON.parse(JSON.stringify(this.manifest)));
  }

  transform(table: Table): TransformResult {
    const features = this.manifest.features;
    const columns = features.map((f) => getColumn(table, f.column, `feature "${f.name}"`));

    // Rows dropped by missing.policy 'skip' (each counted once).
    const drop = new Uint8Array(table.rowCount);
    let skipped = 0;
    const skipReasons: string[] = [];
    features.forEach((f, j) => {
      if (f.missing !== 'skip') return;
      const miss = columns[j].missing;
      for (let i = 0; i < table.rowCount; i++) {
        if (!miss[i] || drop[i]) continue;
        drop[i] = 1;
        skipped++;
        if (skipReasons.length < MAX_SKIP_REASONS)
          skipReasons.push(`${rowLocation(table, i)}: feature "${f.name}" is missing`);
      }
    });
    const rows = new Uint32Array(table.rowCount - skipped);
    for (let i = 0, k = 0; i < table.rowCount; i++) if (!drop[i]) rows[k++] = i;

    const out = new Map<string, FeatureArray>();
    features.forEach((f, j) => {
      if (f.type !== 'cross') out.set(f.name, this.transformFeature(f, table, columns[j], rows));
      else {
        const cols = f.components.map((c) => getColumn(table, c.column, `cross "${f.name}"`));
        const ids = new Int32Array(rows.length);
        transformCross(f, this.encoders.get(f.idSpace)!, cols, rows, ids);
        out.set(f.name, ids);
      }
    });
    return { rowCount: rows.length, rows, skipped, skipReasons, features: out };
  }

  /**
   * One raw object (e.g. a JSON request) -> the model inputs for one row. Fields are looked up
   * by column name; null, undefined, NaN and the manifest's naValues are missing. A missing
   * value under policy 'error' or 'skip' is an error (a single record cannot be skipped).
   */
  transformRecord(record: Readonly<Record<string, unknown>>): Map<string, FeatureArray> {
    const table: Table = { rowCount: 1, columns: new Map() };
    const out = new Map<string, FeatureArray>();
    for (const f of this.manifest.features) {
      if (f.type === 'cross') {
        out.set(f.name, Int32Array.of(this.recordCross(f, record)));
        continue;
      }
      const value = Object.hasOwn(record, f.column) ? record[f.column] : undefined;
      if (f.type === 'numeric' || f.type === 'bucketized') {
        // One number: no one-row column (what a batch-1 request spends most of its time on).
        const x = this.numberValue(f, value);
        if (x !== x && f.missing !== 'fill') throw this.missingRecord(f);
        if (f.type === 'numeric') {
          const z = x !== x ? f.fillValue : encodeNumber(f, x);
          const v = Float32Array.of(z);
          // a finite field can still leave the float32 range once normalised (1e308): refused, never a NaN score
          if (!Number.isFinite(v[0])) {
            throw new DataError(
              `record: feature "${f.name}" (column "${f.column}"): ${x} is out of range (normalised to ${z}, beyond float32); the training values were around ${f.center} +- ${f.scale}`,
            );
          }
          out.set(f.name, v);
        } else out.set(f.name, Int32Array.of(x !== x ? f.fillId : bucketOf(f.boundaries, x)));
        continue;
      }
      const col = this.stringCell(f, value);
      if (col.missing[0] && f.missing !== 'fill') throw this.missingRecord(f);
      out.set(f.name, this.transformFeature(f, table, col, [0]));
    }
    return out;
  }

  private transformFeature(f: FeatureManifest, table: Table, col: Column, rows: ArrayLike<number>): FeatureArray {
    const n = rows.length;
    switch (f.type) {
      case 'numeric': {
        const out = new Float32Array(n);
        transformNumeric(f, table, col, rows, out);
        return out;
      }
      case 'bucketized': {
        const out = new Int32Array(n);
        transformBucketized(f, table, col, rows, out);
        return out;
      }
      case 'categorical': {
        const out = new Int32Array(n);
        transformCategorical(f, this.encoders.get(f.idSpace)!, table, col, rows, out);
        return out;
      }
      case 'sequence': {
        const out = new Int32Array(n * f.maxLength);
        transformSequence(f, this.encoders.get(f.idSpace)!, table, col, rows, out);
        return out;
      }
      case 'cross':
        throw new DataError(`cross "${f.name}" reads several columns (transformed in transform())`);
    }
  }

  /** A record's cross id: each component value read as its feature reads it. */
  private recordCross(f: CrossManifest, record: Readonly<Record<string, unknown>>): number {
    const values = f.components.map((c) => {
      const value = Object.hasOwn(record, c.column) ? record[c.column] : undefined;
      if (!c.boundaries) return componentValue(c, this.stringCell(f, value), 0);
      const x = this.numberValue(f, value);
      return x !== x ? null : String(bucketOf(c.boundaries, x));
    });
    return crossId(this.encoders.get(f.idSpace)!, values);
  }

  private missingRecord(f: FeatureManifest): DataError {
    return new DataError(
      `record: feature "${f.name}" (field "${f.column}") is missing and its missing.policy is ${f.missing}`,
    );
  }

  /** A record's number (NaN: missing). */
  private numberValue(f: FeatureManifest, value: unknown): number {
    let x: number;
    if (value === null || value === undefined) x = NaN;
    else if (typeof value === 'number') x = value;
    else if (typeof value === 'boolean') x = value ? 1 : 0;
    else if (typeof value === 'string') {
      x = this.na.has(value) ? NaN : parseNumberCell(value);
      if (x !== x && !this.na.has(value))
        throw new DataError(`record: field "${f.column}": ${JSON.stringify(value)} is not a number`);
    } else throw new DataError(`record: field "${f.column}" must be a number, found ${typeof value}`);
    if (x === Infinity || x === -Infinity) throw new DataError(`record: field "${f.column}" is not finite`);
    return x;
  }

  private stringCell(f: FeatureManifest, value: unknown): Column {
    let s: string | undefined;
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) s = undefined;
    else if (typeof value === 'string') s = this.na.has(value) ? undefined : value;
    else if (typeof value === 'number' || typeof value === 'boolean') s = String(value);
    else if (Array.isArray(value) && f.type === 'sequence') s = value.map(String).join(f.separator);
    else
      throw new DataError(
        `record: field "${f.column}" must be a string or number, found ${Array.isArray(value) ? 'an array' : typeof value}`,
      );
    return stringColumn([s]);
  }

  private describe(f: FeatureManifest): PipelineInput {
    switch (f.type) {
      case 'numeric':
        return { name: f.name, type: f.type, dtype: 'float32', width: 1 };
      case 'bucketized':
        return {
          name: f.name,
          type: f.type,
          dtype: 'int32',
          width: 1,
          vocabSize: f.vocabSize,
          embedding: `feature:${f.name}`,
          embeddingDim: f.embeddingDim,
        };
      case 'categorical':
        return {
          name: f.name,
          type: f.type,
          dtype: 'int32',
          width: 1,
          vocabSize: this.encoders.get(f.idSpace)!.size,
          embedding: f.idSpace,
          embeddingDim: f.embeddingDim,
        };
      case 'cross':
        // the model sees an ordinary id input with its own embedding table
        return {
          name: f.name,
          type: 'categorical',
          dtype: 'int32',
          width: 1,
          vocabSize: this.encoders.get(f.idSpace)!.size,
          embedding: f.idSpace,
          embeddingDim: f.embeddingDim,
        };
      case 'sequence':
        return {
          name: f.name,
          type: f.type,
          dtype: 'int32',
          width: f.maxLength,
          vocabSize: this.encoders.get(f.idSpace)!.size,
          embedding: f.idSpace,
          embeddingDim: f.embeddingDim,
          pooling: f.pooling,
          padId: PAD_ID,
        };
    }
  }
}
