// The fitted pipeline as plain JSON (the "manifest"), written next to the model and read back
// for evaluation and serving. Everything a transform needs is inside: statistics, boundaries,
// vocabularies (the values, not the file they came from), id layouts. No absolute paths, no
// timestamps, fixed key order: fitting the same data twice gives byte-identical JSON.
//
// `readManifest` checks a parsed manifest field by field and rebuilds it in the canonical key
// order, so a hand-edited or truncated file fails here with the field's path, not later as a
// NaN or an id out of range.
import type { BucketizedManifest, Normalization, NumericManifest } from './encode-numeric.js';
import type { CrossManifest } from './cross.js';
import type { CategoricalManifest, SequenceManifest } from './encode-ids.js';
import { DataError } from './errors.js';
import type { IdSpaceManifest } from './id-space.js';
import type { MissingPolicy } from './missing.js';

export const PIPELINE_FORMAT = 'mmoe-compile/pipeline';
export const PIPELINE_VERSION = 1;

export type FeatureManifest =
  | NumericManifest
  | BucketizedManifest
  | CategoricalManifest
  | SequenceManifest
  | CrossManifest;

export interface PipelineManifest {
  format: typeof PIPELINE_FORMAT;
  version: typeof PIPELINE_VERSION;
  /** Spellings read as missing in `transformRecord` string inputs. */
  naValues: string[];
  /** Id spaces by key: `feature:<name>` for a feature's own, `shared:<name>` for a shared table. */
  idSpaces: Record<string, IdSpaceManifest>;
  features: FeatureManifest[];
}

const NORMALIZATIONS: readonly Normalization[] = ['none', 'standard', 'minmax', 'log'];
const POLICIES: readonly MissingPolicy[] = ['fill', 'error', 'skip'];
const POOLINGS = ['sum', 'mean', 'max', 'attention'] as const;

// Typed access to one JSON object; every failure names the field's path.
class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(path, 'an object', value);
    return new Fields(value as Record<string, unknown>, path);
  }

  raw(key: string): unknown {
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }
  str(key: string): string {
    const v = this.raw(key);
    if (typeof v !== 'string') throw fail(`${this.path}.${key}`, 'a string', v);
    return v;
  }
  num(key: string): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(`${this.path}.${key}`, 'a finite number', v);
    return v;
  }
  int(key: string, min: number): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw fail(`${this.path}.${key}`, `an integer >= ${min}`, v);
    return v;
  }
  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.raw(key);
    if (!values.includes(v as T)) throw fail(`${this.path}.${key}`, `one of ${values.join(', ')}`, v);
    return v as T;
  }
  array<T>(key: string, item: (v: unknown, path: string) => T): T[] {
    const v = this.raw(key);
    if (!Array.isArray(v)) throw fail(`${this.path}.${key}`, 'an array', v);
    return v.map((x, k) => item(x, `${this.path}.${key}[${k}]`));
  }
}

function fail(path: string, expected: string, got: unknown): DataError {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 40);
  return new DataError(`pipeline manifest: ${path} must be ${expected}, found ${shown}`);
}

const aString = (v: unknown, path: string) => {
  if (typeof v !== 'string') throw fail(path, 'a string', v);
  return v;
};
const aNumber = (v: unknown, path: string) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(path, 'a finite number', v);
  return v;
};
const anId = (v: unknown, path: string) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw fail(path, 'an integer >= 0', v);
  return v;
};

export function readIdSpace(value: unknown, path: string): IdSpaceManifest {
  const f = Fields.of(value, path);
  const encoding = f.oneOf('encoding', ['vocabulary', 'hash', 'identity'] as const);
  const offset = f.int('offset', 0);
  if (encoding === 'vocabulary')
    return { encoding, offset, oovBuckets: f.int('oovBuckets', 1), values: f.array('values', aString) };
  if (encoding === 'hash') return { encoding, offset, hashBuckets: f.int('hashBuckets', 1) };
  return { encoding, offset, numIds: f.int('numIds', 1) };
}

export function readFeature(value: unknown, path: string): FeatureManifest {
  const f = Fields.of(value, path);
  const type = f.oneOf('type', ['numeric', 'bucketized', 'categorical', 'sequence', 'cross'] as const);
  const base = { name: f.str('name'), type, column: f.str('column'), missing: f.oneOf('missing', POLICIES) };
  switch (type) {
    case 'numeric':
      return {
        ...base,
        type,
        normalization: f.oneOf('normalization', NORMALIZATIONS),
        center: f.num('center'),
        scale: f.num('scale'),
        fillValue: f.num('fillValue'),
      };
    case 'bucketized':
      return {
        ...base,
        type,
        boundaries: f.array('boundaries', aNumber),
        fillId: f.int('fillId', 0),
        vocabSize: f.int('vocabSize', 1),
        embeddingDim: f.int('embeddingDim', 1),
      };
    case 'categorical':
      return {
        ...base,
        type,
        idSpace: f.str('idSpace'),
        fillId: f.int('fillId', 0),
        embeddingDim: f.int('embeddingDim', 1),
      };
    case 'sequence':
      return {
        ...base,
        type,
        idSpace: f.str('idSpace'),
        separator: f.str('separator'),
        maxLength: f.int('maxLength', 1),
        pooling: f.oneOf('pooling', POOLINGS),
        fillIds: f.array('fillIds', anId),
        embeddingDim: f.int('embeddingDim', 1),
      };
    case 'cross':
      return {
        ...base,
        type,
        idSpace: f.str('idSpace'),
        components: f.array('components', readCrossComponent),
        embeddingDim: f.int('embeddingDim', 1),
      };
  }
}

function readCrossComponent(value: unknown, path: string): CrossManifest['components'][number] {
  const f = Fields.of(value, path);
  const boundaries = f.raw('boundaries');
  return {
    name: f.str('name'),
    column: f.str('column'),
    ...(boundaries === undefined ? {} : { boundaries: f.array('boundaries', aNumber) }),
  };
}

/** Checks a parsed manifest and returns it in canonical form. */
export function readManifest(value: unknown): PipelineManifest {
  const f = Fields.of(value, 'manifest');
  if (f.raw('format') !== PIPELINE_FORMAT)
    throw fail('manifest.format', JSON.stringify(PIPELINE_FORMAT), f.raw('format'));
  if (f.raw('version') !== PIPELINE_VERSION) {
    throw new DataError(
      `pipeline manifest: version ${JSON.stringify(f.raw('version'))} is not supported (this build reads version ${PIPELINE_VERSION})`,
    );
  }
  const spacesField = Fields.of(f.raw('idSpaces'), 'manifest.idSpaces');
  const idSpaces: Record<string, IdSpaceManifest> = {};
  for (const key of Object.keys(f.raw('idSpaces') as object)) {
    if (!/^(feature|shared):/.test(key))
      throw new DataError(
        `pipeline manifest: manifest.idSpaces key ${JSON.stringify(key)} must start with "feature:" or "shared:"`,
      );
    idSpaces[key] = readIdSpace(spacesField.raw(key), `manifest.idSpaces[${JSON.stringify(key)}]`);
  }
  const features = f.array('features', readFeature);
  features.forEach((feature, k) => {
    if (
      (feature.type === 'categorical' || feature.type === 'sequence' || feature.type === 'cross') &&
      !Object.hasOwn(idSpaces, feature.idSpace)
    ) {
      throw new DataError(
        `pipeline manifest: manifest.features[${k}].idSpace "${feature.idSpace}" is not in manifest.idSpaces`,
      );
    }
  });
  return {
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    naValues: f.array('naValues', aString),
    idSpaces,
    features,
  };
}
