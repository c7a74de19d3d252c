// ModelIR: the one general form every architecture is lowered to. Shared-Bottom, MoE, MMoE,
// CGC/PLE, ESMM and multi-scenario models are special cases of "levels of expert pools mixed by
// softmax gates, then towers and task heads". The IR is plain JSON (written as ir.json), and
// every node keeps the spec path it came from so tools can point back at the source.

export const IR_VERSION = 1;

export type FamilyName = 'single-task' | 'shared-bottom' | 'moe' | 'mmoe' | 'cgc' | 'ple' | 'custom';

export interface FamilyIR {
  /** The expert/gate structure recognised. */
  base: FamilyName;
  /** Some task is a product of others (pCTCVR = pCTR x pCVR). */
  esmm: boolean;
  /** A scenario feature drives gates and/or towers. */
  multiScenario: boolean;
  /** Human label, e.g. "ESMM over MMoE". */
  label: string;
}

export type FeatureKind = 'numeric' | 'bucketized' | 'categorical' | 'sequence';

export interface FeatureIR {
  name: string;
  path: string;
  column: string;
  kind: FeatureKind;
  /** Width this feature contributes to a group's concatenation. */
  width: number;
  /** Embedding table read (categorical, sequence, bucketised). */
  embedding?: string;
  maxLength?: number;
  pooling?: 'sum' | 'mean' | 'max' | 'attention';
  /** pooling 'attention': target attention (DIN) against another feature of the same table. */
  attention?: AttentionIR;
  /** A hashed cross (kind categorical): the crossed features, in order. */
  cross?: string[];
}

/**
 * DIN's activation unit (Zhou et al., KDD 2018): for each sequence value h and the target t (both
 * rows of one embedding table, width D), score = Dense(1)(MLP([h, t, h - t, h * t])); the pooled
 * vector is sum over non-padding positions of score * h (softmax: the scores are first
 * normalised over the non-padding positions).
 */
export interface AttentionIR {
  target: string;
  units: number[];
  activation: string;
  softmax: boolean;
}

export interface EmbeddingIR {
  name: string;
  /** Id-space size; null when learned from data and not yet fitted. */
  vocabSize: number | null;
  dim: number;
  features: string[];
}

export interface GroupIR {
  name: string;
  path: string;
  features: string[];
  width: number;
}

/** What a pool, gate or tower reads. */
export interface RefIR {
  kind: 'group' | 'gate' | 'pool';
  name: string;
  width: number;
}

export interface MlpIR {
  units: number[];
  activation: string;
  batchNorm: boolean;
  dropout: number;
  l2: number;
}

// Pools, gates and towers carry their kind (the same word a RefIR uses), so code that holds one
// of them knows which it is without testing for fields; analysis.ts computes their roles.
export interface PoolIR extends MlpIR {
  kind: 'pool';
  name: string;
  path: string;
  level: number;
  count: number;
  inputs: RefIR[];
  inputWidth: number;
  /** Width of one expert's output (last unit count). */
  outputWidth: number;
  /** DCN-v2 cross layers each expert runs on its input before its MLP (absent: none). */
  cross?: CrossIR;
}

/** x_{l+1} = x_0 * (x_l W + b) + x_l, W = U V of rank `rank` when not null (Wang et al. 2021). */
export interface CrossIR {
  layers: number;
  rank: number | null;
}

export interface GateIR {
  kind: 'gate';
  name: string;
  path: string;
  level: number;
  pools: string[];
  /** Experts mixed, in order: pool by pool, expert by expert. */
  numExperts: number;
  inputs: RefIR[];
  /** Input width, including the scenario embedding when scenario-aware. */
  inputWidth: number;
  temperature: number;
  topK: number | null;
  scenarioAware: boolean;
  outputWidth: number;
}

export interface LevelIR {
  index: number;
  pools: PoolIR[];
  gates: GateIR[];
}

export interface TowerIR extends MlpIR {
  kind: 'tower';
  name: string;
  path: string;
  input: RefIR;
  /** Scenario values with a tower each (empty: one shared tower). */
  perScenario: string[];
  outputWidth: number;
  /** STAR (star.ts): every layer and the head multiply shared by scenario weights. Absent when off. */
  star?: true;
}

/**
 * STAR's scenario auxiliary network (star.ts): an MLP over the listed groups and the scenario
 * embedding, one Dense(1) logit per tower-headed task, added to that task's logit.
 */
export interface ScenarioAuxiliaryIR extends MlpIR {
  kind: 'auxiliary';
  path: string;
  inputs: RefIR[];
  /** Input width, including the scenario embedding. */
  inputWidth: number;
  outputWidth: number;
  /** Tower-headed tasks whose logit receives the auxiliary logit, in task order. */
  tasks: string[];
}

export type HeadIR = { kind: 'tower'; tower: string } | { kind: 'product'; of: string[] };

export interface TaskIR {
  name: string;
  path: string;
  type: 'binary' | 'regression' | 'multiclass';
  label: string | null;
  positive: string | number | null;
  loss: 'binary_crossentropy' | 'mse' | 'mae' | 'huber' | 'categorical_crossentropy';
  /** Multi-class tasks: the label values, in output order (the head has one unit per class). */
  classes?: (string | number)[];
  /** Multi-class tasks: k of top_k_accuracy. */
  topK?: number;
  /** Multi-class tasks: a label value outside `classes` is an error at its row, or skipped. */
  unknownClass?: 'error' | 'skip';
  weight: number;
  metrics: string[];
  head: HeadIR;
  sampleSpace: { column: string; equals: string | number | boolean } | null;
  scenarios: string[] | null;
  /** The column weighting the rows in the loss and metrics (the task's or training's); absent when none. */
  sampleWeight?: string;
  /** A task without a label (an ESMM factor) evaluated on this label, in words ("conversion where
   * click = 1"): metrics only, no loss term. Absent when none. */
  evaluation?: string;
  /** Binary tasks: train on y (1 - eps) + eps / 2 (absent: no smoothing). */
  labelSmoothing?: number;
  /** Binary tasks: focal loss instead of cross-entropy (absent: cross-entropy). */
  focal?: { gamma: number; alpha: number | null };
}

export interface ScenarioIR {
  feature: string;
  values: string[];
  embeddingDim: number;
}

export interface ModelIR {
  irVersion: typeof IR_VERSION;
  name: string;
  family: FamilyIR;
  features: FeatureIR[];
  embeddings: EmbeddingIR[];
  groups: GroupIR[];
  scenario: ScenarioIR | null;
  levels: LevelIR[];
  towers: TowerIR[];
  tasks: TaskIR[];
  /** Present only when the spec declares model.scenarioAuxiliary. */
  scenarioAuxiliary?: ScenarioAuxiliaryIR;
  lowering: { experts: 'auto' | 'separate' | 'fused'; gates: 'auto' | 'separate' | 'fused' };
}
