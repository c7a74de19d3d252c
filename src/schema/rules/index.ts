// The registry of semantic rules, run in order on the defaults-filled spec. Each rule is one
// small function in its own file, named for what it enforces; every problem is collected.
// Codes (stable; docs and tests refer to them):
//   unique-names: duplicate-name            unknown-references: unknown-reference
//   label-leakage: label-leakage            esmm-cycle: esmm-cycle
//   empty-inputs: empty-group, empty-pool   undeclared-scenario: undeclared-scenario,
//   feature-encoding: feature-encoding        duplicate-scenario, scenario-feature
//   gate-width: gate-width, pool-needs-gate, level-inputs, gate-topk
//   task-head: task-head                    unused: unused (warnings)
//   data-source: data-source
import type { Rule } from './context.js';
import { dataSource } from './data-source.js';
import { emptyInputs } from './empty-inputs.js';
import { esmmCycle } from './esmm-cycle.js';
import { featureEncoding } from './feature-encoding.js';
import { gateWidth } from './gate-width.js';
import { labelLeakage } from './label-leakage.js';
import { taskHead } from './task-head.js';
import { undeclaredScenario } from './undeclared-scenario.js';
import { unknownReferences } from './unknown-references.js';
import { uniqueNames } from './unique-names.js';
import { unused } from './unused.js';

export const specifiedRules: readonly Rule[] = [
  uniqueNames,
  unknownReferences,
  labelLeakage,
  esmmCycle,
  emptyInputs,
  undeclaredScenario,
  featureEncoding,
  gateWidth,
  taskHead,
  unused,
  dataSource,
];
