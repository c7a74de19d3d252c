// The registry of semantic rules, run in order on the defaults-filled spec. Each rule is one
// small function in its own file, named for what it enforces; every problem is collected.
import type { Rule } from './context.js';
import { unknownReferences } from './unknown-references.js';
import { uniqueNames } from './unique-names.js';

export const specifiedRules: readonly Rule[] = [uniqueNames, unknownReferences];
