// mmoe-compile as a library: `import { validateSpec, compileSpec } from 'mmoe-compile'`.
// The entry points (package.json "exports"):
//   mmoe-compile             validate, check, explain, compile (build) and train specs (Node)
//   mmoe-compile/serve       the browser-safe serving core (loadServable, score raw records)
//   mmoe-compile/serve/node  the serving core reading a model folder from disk (Node)
//   mmoe-compile/schema      the spec JSON Schema (schema/spec.schema.json)
// tfjs is loaded only by the functions that build or run a model, on first use.
export { validateSpec, type ValidatedSpec } from './schema/validate.js';
export { formatText, formatGithub, type Diagnostic } from './util/diagnostics.js';
export type { Spec } from './schema/spec-schema.js';
export { checkSpec, type CheckedSpec, type FrontOptions } from './compiler/front.js';
export type { ModelIR } from './compiler/ir.js';
export { compileSpec, type CompileOptions, type CompileOutcome } from './driver/compile.js';
export { runTraining, type TrainRunOptions, type TrainOutcome, type TrainReport } from './driver/train.js';
export { registerCustomLayers } from './compiler/build/custom-layers.js';
