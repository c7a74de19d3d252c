// The published JSON Schemas (schema/spec.schema.json, schema/spec-fragment.schema.json), for
// editors and other validators, derived from the runtime schema in spec-schema.ts.
//
// The runtime schema is written for ajv with `useDefaults`: a defaulted key is listed as
// required because ajv fills it before `required` is checked, and the TypeScript types then say
// the key is always present. A standard validator fills nothing, so here:
// - a key with a `default` is optional (the default stays as an annotation);
// - a spec with `extends` is a partial spec, checked like a base file: maps are deep-merged by
//   the loader, so below the top level every mapping reached through mappings may be partial
//   and any of its keys may be `null` (removes the inherited key); list items are replaced
//   whole, so they are checked whole;
// - the dialect is declared (draft-07: yaml-language-server, VS Code and most validators read it).
// Structures reached through lists (feature, task, level, tower) are written once under
// `definitions` and shared by the complete and the partial form.
import { SpecSchema } from './spec-schema.js';

type Json = Record<string, unknown>;
export type SchemaKind = 'spec' | 'fragment';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const SPEC_ID = 'https://mmoe-compile.dev/schema/spec-v1.json';
const FRAGMENT_ID = 'https://mmoe-compile.dev/schema/spec-fragment-v1.json';

// `extends: null` is an error in the loader; the version is always stated
const NOT_NULLABLE = new Set(['specVersion', 'extends']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drop from every `required` list the keys whose property schema has a `default`. */
function defaultsOptional(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(defaultsOptional);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === 'default' || k === 'const' || k === 'enum' ? v : defaultsOptional(v);
  if (Array.isArray(out.required) && isObject(out.properties)) {
    const props = out.properties;
    const required = (out.required as string[]).filter((key) => !(isObject(props[key]) && 'default' in props[key]));
    if (required.length) out.required = required;
    else delete out.required;
  }
  return out;
}

/**
 * Move the structured items of lists reached from the root through mappings into `definitions`
 * (named by the list key made singular: features -> feature), leaving a `$ref`.
 */
function hoistListItems(node: Json, definitions: Json): Json {
  const out: Json = { ...node };
  if (isObject(node.properties)) {
    const props: Json = {};
    for (const [key, value] of Object.entries(node.properties)) {
      let v = value as Json;
      if (isObject(v.items) && (isObject(v.items.properties) || Array.isArray(v.items.oneOf))) {
        const name = key.replace(/s$/, '');
        if (name in definitions) throw new Error(`json-schema: two lists would define "${name}"`);
        definitions[name] = v.items;
        v = { ...v, items: { $ref: `#/definitions/${name}` } };
      }
      props[key] = hoistListItems(v, definitions);
    }
    out.properties = props;
  }
  return out;
}

/**
 * The partial form of a mapping that the loader deep-merges: no required keys, any key may be
 * `null`, nested mappings partial too, tagged unions without their tag (`anyOf`, since an empty
 * mapping fits every branch). List items and scalars are unchanged.
 */
function partial(node: Json): Json {
  const out: Json = { ...node };
  delete out.required;
  if (Array.isArray(node.oneOf)) {
    // ajv's `discriminator` needs the tag; a partial mapping may leave it to the base
    delete out.oneOf;
    delete out.discriminator;
    out.anyOf = (node.oneOf as Json[]).map(partial);
  }
  if (isObject(node.properties)) {
    const props: Json = {};
    for (const [key, value] of Object.entries(node.properties)) {
      const v = value as Json;
      const merged = v.type === 'object' ? partial(v) : v;
      props[key] = NOT_NULLABLE.has(key)
        ? v
        : {
            ...(v.description ? { description: v.description } : {}),
            anyOf: [merged, { type: 'null', description: 'removes the key inherited from the base' }],
          };
    }
    out.properties = props;
  }
  for (const k of ['patternProperties'] as const) {
    if (!isObject(node[k])) continue;
    const pp: Json = {};
    for (const [pattern, v] of Object.entries(node[k]))
      pp[pattern] = (v as Json).type === 'object' ? partial(v as Json) : v;
    out[k] = pp;
  }
  return out;
}

/** Root annotations, then the rest, so the file reads from the top. */
function withHeader(id: string, title: string, body: Json): Json {
  const { $id: _id, title: _title, description, ...rest } = body;
  return { $schema: DRAFT_07, $id: id, title, description, ...rest };
}

export function schemaObject(kind: SchemaKind = 'spec'): Json {
  // TypeBox's symbol keys are dropped by the JSON round trip
  const runtime = JSON.parse(JSON.stringify(SpecSchema)) as Json;
  const definitions: Json = {};
  const complete = hoistListItems(defaultsOptional(runtime) as Json, definitions);
  const { $id: _id, title: _title, ...completeBody } = complete;
  const partialBody = partial(completeBody);
  partialBody.required = ['specVersion'];
  if (kind === 'fragment') {
    return withHeader(FRAGMENT_ID, 'mmoe-compile spec fragment (an `extends` base)', { ...partialBody, definitions });
  }
  return withHeader(SPEC_ID, 'mmoe-compile spec', {
    description: complete.description,
    // a spec that extends a base may leave anything to the base: checked as a fragment
    // (`type` in the condition: `required` alone holds for a non-mapping, which `else` reports)
    if: { type: 'object', required: ['extends'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
    then: { $ref: '#/definitions/partialSpec' },
    else: { $ref: '#/definitions/completeSpec' },
    definitions: {
      completeSpec: { title: 'mmoe-compile spec', ...completeBody },
      partialSpec: { title: 'mmoe-compile spec extending a base', ...partialBody },
      ...definitions,
    },
  });
}

export function schemaJson(kind: SchemaKind = 'spec'): string {
  return JSON.stringify(schemaObject(kind), null, 2) + '\n';
}
