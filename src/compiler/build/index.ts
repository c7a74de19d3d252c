// ModelIR -> tfjs LayersModel, and its deterministic model.json + weights.bin. Loads no tfjs
// itself: callers pass the instance from engine/backend.ts's initBackend.
export {
  AUTO_LOWERING,
  buildModel,
  needsScenarioInput,
  resolveLowering,
  type BuildOptions,
  type Lowering,
  type LoweringMode,
} from './model.js';
export { CUSTOM_LAYER_CLASSES, registerCustomLayers, type CustomLayers, type PoolingMode } from './custom-layers.js';
export { derivedSeed, layerName, SCENARIO_INPUT, type MlpPart } from './names.js';
export { LEAKY_RELU_ALPHA } from './layers.js';
export {
  artifactsFromSerialized,
  deserializeModel,
  loadModelDir,
  MODEL_JSON_FILE,
  readModelDir,
  saveModelDir,
  serializeModel,
  WEIGHTS_FILE,
  writeModelDir,
  type SerializedModel,
} from './save.js';
