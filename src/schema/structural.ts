// Tier 1: structural validation with ajv (all errors), on a copy of the merged value, filling
// defaults. Every ajv error becomes a located diagnostic; unknown keys point at the key itself.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DiagnosticCode } from '../util/catalogue.js';
import { didYouMean, type Diagnostic } from '../util/diagnostics.js';
import { quote, visible } from '../util/escape.js';
import { TEXT_PATTERN } from './patterns.js';
import { locate, pointer, pointerSegments, type LocIndex } from './source.js';
import type { Spec } from './spec-schema.js';
import { SPEC_VERSION } from './version.js';

// The build precompiles the schema (scripts/gen-validator.mjs) so start-up pays neither for
// TypeBox nor for ajv's compile; running from source (tests), we compile it here instead.
// The function is stateless apart from `.errors`, which we read right after each call.
async function loadValidator(): Promise<{ validate: ValidateFunction; schema: object }> {
  try {
    const generated = './spec-validator.generated.js';
    const m = (await import(generated)) as { default: ValidateFunction; schema: object };
    return { validate: m.default, schema: m.schema };
  } catch {
    const [{ Ajv }, { SpecSchema }, { AJV_OPTIONS }] = await Promise.all([
      import('ajv'),
      import('./spec-schema.js'),
      import('./ajv-options.js'),
    ]);
    const schema = JSON.parse(JSON.stringify(SpecSchema)) as object;
    return { validate: new Ajv(AJV_OPTIONS).compile(schema), schema };
  }
}
const { validate: validateSpecValue, schema: specJsonSchema } = await loadValidator();

/** The schema node an error's schemaPath points into, minus its last `n` segments. */
function schemaAt(schemaPath: string, up: number): Record<string, unknown> | undefined {
  const segs = pointerSegments(schemaPath.replace(/^#/, '')).slice(0, -up || undefined);
  let cur: unknown = specJsonSchema;
  for (const s of segs) cur = (cur as Record<string, unknown> | undefined)?.[s];
  return cur as Record<string, unknown> | undefined;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'a mapping',
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};

const NAME_HINT = 'names use letters, digits and _ and start with a letter';
const TEXT_HINT =
  'contains a control character, line break, line separator or bidirectional override; column names, labels and values must be printable text';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${quote(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

/** "/model/levels/0/pools" -> "model.levels[0].pools" */
export function where(path: string): string {
  return path === ''
    ? 'the spec'
    : visible(path)
        .slice(1)
        .split('/')
        .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : (i ? '.' : '') + s.replace(/~1/g, '/').replace(/~0/g, '~')))
        .join('');
}

/** The value at a JSON pointer. ajv's `e.data` needs the `verbose` option, which the shared
 * options (and so the precompiled validator) do not set: read the value from the instance. */
function valueAt(root: unknown, path: string): unknown {
  let cur = root;
  for (const s of pointerSegments(path)) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function toDiagnostic(err: ErrorObject, locs: LocIndex, file: string, instance: unknown): Diagnostic | undefined {
  const e = { ...err, data: err.data !== undefined ? err.data : valueAt(instance, err.instancePath) };
  let path = e.instancePath;
  let preferKey = false;
  let code: DiagnosticCode = 'schema';
  let message = `${where(path)}: ${e.message ?? 'is invalid'}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      path = pointer(e.instancePath, key);
      preferKey = true;
      code = 'unknown-key';
      const known = Object.keys((schemaAt(e.schemaPath, 1)?.properties ?? {}) as object);
      message = `unknown key ${quote(key)} in ${where(e.instancePath)}.${didYouMean(key, known)}${known.length && !didYouMean(key, known) ? ` Allowed: ${known.join(', ')}.` : ''}`;
      break;
    }
    case 'required':
      code = 'missing-key';
      preferKey = true;
      message = `${where(path)} is missing the required key "${String(p.missingProperty)}"`;
      break;
    case 'type':
      code = 'schema-type';
      message = `${where(path)} must be ${String(p.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ')}, not ${describe(e.data)}`;
      break;
    case 'enum': {
      code = 'schema-enum';
      const allowed = (p.allowedValues as unknown[]).map(String);
      message = `${where(path)} must be one of ${allowed.join(', ')}; got ${describe(e.data)}.${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}`;
      break;
    }
    case 'const':
      code = path === '/specVersion' ? 'unsupported-spec-version' : 'schema-const';
      message =
        path === '/specVersion'
          ? `specVersion ${typeof e.data === 'number' ? e.data : describe(e.data)} is not supported; this version of mmoe-compile reads specVersion ${SPEC_VERSION}`
          : `${where(path)} must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'discriminator': {
      code = 'schema-enum';
      const tag = String(p.tag);
      const schema = (schemaAt(e.schemaPath, 1) ?? {}) as {
        oneOf?: { properties?: Record<string, { const?: string }> }[];
      };
      const allowed = (schema.oneOf ?? []).map((s) => s.properties?.[tag]?.const).filter((x): x is string => !!x);
      if (p.error === 'tag') {
        code = 'missing-key';
        preferKey = true;
        message = `${where(path)} needs a "${tag}" (one of ${allowed.join(', ')})`;
      } else {
        path = pointer(path, tag);
        const got = p.tagValue;
        message = `${where(path)} must be one of ${allowed.join(', ')}; got ${describe(got)}.${typeof got === 'string' ? didYouMean(got, allowed) : ''}`;
      }
      break;
    }
    case 'pattern':
      if (p.pattern === TEXT_PATTERN) {
        code = 'unsafe-text';
        message = `${where(path)}: ${describe(e.data)} ${TEXT_HINT}`;
      } else {
        code = 'schema-pattern';
        message = `${where(path)}: ${describe(e.data)} is not a valid name; ${NAME_HINT}`;
      }
      break;
    case 'propertyNames': {
      const name = String(p.propertyName);
      path = pointer(path, name);
      preferKey = true;
      if (schemaAt(e.schemaPath, 0)?.pattern === TEXT_PATTERN) {
        code = 'unsafe-text';
        message = `${where(e.instancePath)}: the key ${quote(name)} ${TEXT_HINT}`;
      } else {
        code = 'schema-pattern';
        message = `${where(e.instancePath)}: ${quote(name)} is not a valid name; ${NAME_HINT}`;
      }
      break;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minProperties':
      code = 'schema-range';
      message = `${where(path)} ${e.message}${typeof e.data === 'number' ? `; got ${e.data}` : ''}`;
      break;
    case 'integer':
      code = 'schema-type';
      break;
    case 'oneOf':
    case 'anyOf':
    case 'if':
      // summarised by the branch errors reported beside it
      return undefined;
  }
  const loc = locate(locs, path, preferKey)?.value ?? { file, line: 1, column: 1 };
  return { ...loc, severity: 'error', code, message, path };
}

function isDiscriminatorTag(e: ErrorObject): boolean {
  const disc = schemaAt(e.schemaPath, 1)?.discriminator as { propertyName?: string } | undefined;
  return (
    disc?.propertyName !== undefined && disc.propertyName === (e.params as { missingProperty?: string }).missingProperty
  );
}

export interface StructuralResult {
  spec?: Spec;
  diagnostics: Diagnostic[];
}

/** Validate a merged value against the spec schema; on success return a defaults-filled copy. */
export function validateStructure(value: unknown, locs: LocIndex, file: string): StructuralResult {
  const copy = structuredClone(value);
  const validate = validateSpecValue;
  if (validate(copy)) return { spec: copy as Spec, diagnostics: [] };
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    // `pattern` errors raised inside propertyNames repeat as propertyNames errors: keep one.
    if (e.keyword === 'pattern' && e.propertyName !== undefined) continue;
    // A missing discriminator tag is reported twice (`required` and `discriminator`): keep the latter.
    if (e.keyword === 'required' && isDiscriminatorTag(e)) continue;
    const d = toDiagnostic(e, locs, file, copy);
    if (!d) continue;
    const k = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    diagnostics.push(d);
  }
  return { diagnostics };
}
