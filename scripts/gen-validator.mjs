// Build step: compile the spec schema once into a standalone ES module (ajv standalone code), so
// `validate` neither imports TypeBox nor compiles the schema at start-up.
import { writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { SpecSchema } from '../dist/schema/spec-schema.js';
import { AJV_OPTIONS } from '../dist/schema/ajv-options.js';

const schema = JSON.parse(JSON.stringify(SpecSchema));
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
const validate = ajv.compile(schema);
const code = standaloneCode.default ? standaloneCode.default(ajv, validate) : standaloneCode(ajv, validate);
// ajv's ESM output still calls require() for its runtime helpers (ucs2length, equal).
const shim = "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n";
writeFileSync(
  new URL('../dist/schema/spec-validator.generated.js', import.meta.url),
  `${shim}${code}\nexport const schema = ${JSON.stringify(schema)};\n`,
);
