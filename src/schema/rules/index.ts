// The registry of semantic rules, run in order on the defaults-filled spec. Each rule is one
// small function in its own file, named for what it enforces; every problem is collected.
// The codes they report, with their messages and help, are in ../catalogue.ts.
import type { Rule } from './context.js';
import { bucketizedNumeric } from './bucketized-numeric.js';
import { dataSource } from './data-source.js';
import { earlyStopping } from './early-stopping.js';
import { embeddingL2 } from './embedding-l2.js';
import { emptyInputs } from './empty-inputs.js';
import { esmmCycle } from './esmm-cycle.js';
import { featureCross } from './feature-cross.js';
import { featureEncoding } from './feature-encoding.js';
import { gateWidth } from './gate-width.js';
import { generatorParams } from './generator-params.js';
import { labelExpression } from './label-expression.js';
import { labelLeakage } from './label-leakage.js';
import { multiclassHead } from './multiclass-head.js';
import { lossOptions } from './loss-options.js';
import { lrSchedule } from './lr-schedule.js';
import { sharedEmbedding } from './shared-embedding.js';
import { targetAttention } from './target-attention.js';
import { starTopology } from './star-topology.js';
import { taskHead } from './task-head.js';
import { taskWeighting } from './task-weighting.js';
import { trainingObjective } from './training-objective.js';
import { undeclaredScenario } from './undeclared-scenario.js';
import { unknownReferences } from './unknown-references.js';
import { uniqueNames } from './unique-names.js';
import { unused } from './unused.js';

export const specifiedRules: readonly Rule[] = [
  uniqueNames,
  unknownReferences,
  labelLeakage,
  labelExpression,
  esmmCycle,
  emptyInputs,
  undeclaredScenario,
  starTopology,
  featureEncoding,
  featureCross,
  sharedEmbedding,
  targetAttention,
  bucketizedNumeric,
  gateWidth,
  taskHead,
  multiclassHead,
  earlyStopping,
  trainingObjective,
  unused,
  dataSource,
  generatorParams,
  lrSchedule,
  lossOptions,
  embeddingL2,
  taskWeighting,
];
