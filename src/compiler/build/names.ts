// Layer names of a built model. Every name derives from the IR (feature, table, group, level,
// pool, gate, tower and task names), so weights can be read back by name, a saved model.json is
// readable, and the same IR always gives the same names (no tfjs auto-numbering).

/**
 * Extra model input carrying the row's scenario index (0..S-1; S = unknown). tfjs rejects
 * tensor names that do not start with a letter or digit (so not "__scenario"); the '-' keeps it
 * apart from every spec name, which cannot contain one.
 */
export const SCENARIO_INPUT = 'scenario-index';

/** tfjs-layers' rule for layer and weight names (common.ts, isValidTensorName). */
export const TFJS_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/** Sub-layers of one MLP layer: Dense, BatchNormalization, activation, Dropout. */
export type MlpPart = 'dense' | 'bn' | 'act' | 'drop';

export const layerName = {
  /** Input layer of a feature: the feature name itself. */
  input: (feature: string) => feature,
  /** Embedding table (the IR's table name: emb_<feature> or shared_<name>). */
  table: (table: string) => table,
  /** Categorical / bucketised feature: the [B,1,D] lookup reshaped to [B,D]. */
  featureVector: (feature: string) => `${feature}_vec`,
  /** Sequence feature: masked pooling of the [B,L,D] lookups. */
  featurePool: (feature: string) => `${feature}_pool`,
  /** Target attention of a sequence: the target's [B,1,D] lookup, [h, t, h-t, h*t], MLP layer j, score. */
  attentionTarget: (feature: string) => `${feature}_att_target`,
  attentionFeatures: (feature: string) => `${feature}_att_in`,
  attention: (feature: string, part: MlpPart, j: number) => `${feature}_att_${part}${j}`,
  attentionScore: (feature: string) => `${feature}_att_score`,
  scenarioTable: 'scenario_embedding',
  scenarioVector: 'scenario_vec',
  group: (group: string) => `group_${group}`,
  poolInput: (level: number, pool: string) => `l${level}_pool_${pool}_in`,
  /** Layer j of expert e of a pool (separate lowering), e.g. l0_pool_experts_e2_dense1. */
  expert: (level: number, pool: string, e: number, part: MlpPart, j: number) =>
    `l${level}_pool_${pool}_e${e}_${part}${j}`,
  /** Layer j of all experts of a pool at once (fused lowering). */
  fusedExperts: (level: number, pool: string, part: MlpPart, j: number) => `l${level}_pool_${pool}_fused_${part}${j}`,
  gateInput: (level: number, gate: string) => `l${level}_gate_${gate}_in`,
  /** The gate's Dense(numExperts) logits, e.g. l0_gate_ctr_gate. */
  gate: (level: number, gate: string) => `l${level}_gate_${gate}`,
  /** One Dense for several gates of a level that read the same inputs (fused lowering). */
  fusedGates: (level: number, k: number) => `l${level}_gates_fused${k}`,
  gateSoftmax: (level: number, gate: string) => `l${level}_gate_${gate}_softmax`,
  /** Concatenation of the mixed experts' outputs, and its [E, width] reshape. */
  gateExperts: (level: number, gate: string) => `l${level}_gate_${gate}_experts`,
  gateStack: (level: number, gate: string) => `l${level}_gate_${gate}_stack`,
  /** The weighted sum (a Dot of gate weights and stacked experts). */
  gateMix: (level: number, gate: string) => `l${level}_gate_${gate}_mix`,
  /** Tower layer j, e.g. tower_ctr_dense0; per-scenario copies add s<i>: tower_ctr_s1_dense0. */
  tower: (tower: string, part: MlpPart, j: number, scenario?: number) =>
    scenario === undefined ? `tower_${tower}_${part}${j}` : `tower_${tower}_s${scenario}_${part}${j}`,
  /** Task head Dense(1), e.g. head_ctr; per-scenario: head_ctr_s0. */
  head: (task: string, scenario?: number) => (scenario === undefined ? `head_${task}` : `head_${task}_s${scenario}`),
  headScenarios: (task: string) => `head_${task}_scenarios`,
  /** The model output: the task name. */
  output: (task: string) => task,
};

/**
 * A 31-bit seed for one initializer, derived from the build seed and the layer/weight name
 * (FNV-1a), so weights do not depend on build order and the same seed gives the same model.
 */
export function derivedSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}
