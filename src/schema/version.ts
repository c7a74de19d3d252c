// The spec language version, kept apart from the TypeBox schema so that runtime code can read it
// without loading TypeBox (validate must start fast).
export const SPEC_VERSION = 1;
