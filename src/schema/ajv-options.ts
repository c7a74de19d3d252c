// One set of ajv options for the runtime compile (tests) and the build-time standalone compile.
import type { Options } from 'ajv';

export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  useDefaults: true,
  discriminator: true,
  allowUnionTypes: true,
};
