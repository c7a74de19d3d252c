// Spec (validated, defaults filled) -> ModelIR. Pure and tfjs-free: validate, explain and diff
// call it too. Assumes the semantic rules passed (every reference resolves); a reference that
// does not resolve here is an internal error, not a user error.
import type { Feature, Spec, TaskSpec } from '../schema/spec-schema.js';
import { pointer } from '../schema/source.js';
import { describeEvaluation, describeTrainingLabel, hasTrainingLabel, sampleWeightOf } from '../schema/task-labels.js';
import { DEFAULT_TOP_K, taskMetrics } from '../schema/task-metrics.js';
import { recogniseFamily } from './family.js';
import { lowerScenarioAuxiliary } from './star.js';
import {
  IR_VERSION,
  type EmbeddingIR,
  type FeatureIR,
  type GateIR,
  type GroupIR,
  type LevelIR,
  type ModelIR,
  type PoolIR,
  type RefIR,
  type TaskIR,
  type TowerIR,
} from './ir.js';

/** Fitted id-space sizes per embedding table (from the feature pipeline), when known. */
export type VocabSizes = Readonly<Record<string, number>>;

export function embeddingName(f: Feature): string {
  return f.type !== 'numeric' && f.type !== 'cross' && f.sharedEmbedding
    ? `shared_${f.sharedEmbedding}`
    : `emb_${f.name}`;
}

/**
 * Id-space size known from the spec alone (null when the vocabulary is learned from data).
 * Layout (the feature pipeline's, src/data/id-space.ts): vocabulary: ids [0, oovBuckets) are
 * out-of-vocabulary and missing, vocabulary ids follow; hash: hashBuckets ids plus one for
 * missing; identity: numIds plus one for missing or out of range; bucketised: B + 1 buckets plus
 * one for missing. Sequences (and tables shared with one) reserve id 0 for padding.
 */
export function specVocabSize(f: Feature): number | null {
  if (f.type === 'numeric') return f.boundaries ? f.boundaries.length + 2 : null;
  if (f.type === 'cross') return f.hashBuckets + 1; // hash buckets, then the missing id
  const pad = f.type === 'sequence' ? 1 : 0;
  switch (f.encoding) {
    case 'hash':
      return (f.hashBuckets ?? 0) + 1 + pad;
    case 'identity':
      return (f.numIds ?? 0) + 1 + pad;
    default:
      if (f.vocabulary) return f.vocabulary.length + f.oovBuckets + pad;
      if (f.vocabularyFile) return null;
      return f.topK ? f.topK + f.oovBuckets + pad : null;
  }
}

function lowerFeature(f: Feature, i: number): FeatureIR {
  const path = pointer('/features', i);
  // A hashed cross is an ordinary id input to the model (the pipeline computes its id from the
  // components' columns): kind categorical with its own table; `column` is only its name.
  if (f.type === 'cross')
    return {
      name: f.name,
      path,
      column: f.name,
      kind: 'categorical',
      width: f.embeddingDim,
      embedding: embeddingName(f),
      cross: [...f.of],
    };
  const column = f.column ?? f.name;
  if (f.type === 'numeric') {
    if (f.boundaries)
      return {
        name: f.name,
        path,
        column,
        kind: 'bucketized',
        width: f.embeddingDim ?? 8,
        embedding: embeddingName(f),
      };
    return { name: f.name, path, column, kind: 'numeric', width: 1 };
  }
  const base = { name: f.name, path, column };
  const table = { width: f.embeddingDim, embedding: embeddingName(f) };
  if (f.type === 'sequence') {
    const seq: FeatureIR = { ...base, kind: 'sequence', ...table, maxLength: f.maxLength, pooling: f.pooling };
    if (f.pooling === 'attention' && f.attention) {
      const a = f.attention;
      seq.attention = { target: a.target, units: [...a.units], activation: a.activation, softmax: a.softmax };
    }
    return seq;
  }
  return { ...base, kind: 'categorical', ...table };
}

function lowerEmbeddings(spec: Spec, vocab: VocabSizes): EmbeddingIR[] {
  const tables = new Map<string, EmbeddingIR>();
  for (const f of spec.features) {
    if (f.type === 'numeric' && !f.boundaries) continue;
    const name = embeddingName(f);
    const dim = f.embeddingDim ?? 8;
    const size = vocab[name] ?? specVocabSize(f);
    const t = tables.get(name);
    if (t) {
      t.features.push(f.name);
      if (t.vocabSize !== null && size !== null) t.vocabSize = Math.max(t.vocabSize, size);
    } else tables.set(name, { name, vocabSize: size, dim, features: [f.name] });
  }
  return [...tables.values()];
}

function defaultLoss(t: TaskSpec): TaskIR['loss'] {
  return (
    t.loss ??
    (t.type === 'regression' ? 'mse' : t.type === 'multiclass' ? 'categorical_crossentropy' : 'binary_crossentropy')
  );
}

const defaultMetrics = taskMetrics;

function multiclassFields(t: TaskSpec): Pick<TaskIR, 'classes' | 'topK' | 'unknownClass'> {
  return { classes: [...(t.classes ?? [])], topK: t.topK ?? DEFAULT_TOP_K, unknownClass: t.unknownClass ?? 'error' };
}

export function lowerSpec(spec: Spec, name: string, vocab: VocabSizes = {}): ModelIR {
  const features = spec.features.map(lowerFeature);
  const featureByName = new Map(features.map((f) => [f.name, f]));
  const groups: GroupIR[] = Object.entries(spec.featureGroups).map(([g, names]) => ({
    name: g,
    path: pointer('/featureGroups', g),
    features: [...names],
    width: names.reduce((s, n) => s + (featureByName.get(n)?.width ?? 0), 0),
  }));
  const groupByName = new Map(groups.map((g) => [g.name, g]));
  const scenarioDim = spec.scenarios?.embeddingDim ?? 0;

  const levels: LevelIR[] = [];
  let prevGates = new Map<string, GateIR>();
  const allGroupRefs = (): RefIR[] => groups.map((g) => ({ kind: 'group', name: g.name, width: g.width }));
  const resolveInput = (n: string, where: string): RefIR => {
    const g = groupByName.get(n);
    if (g) return { kind: 'group', name: n, width: g.width };
    const gate = prevGates.get(n);
    if (gate) return { kind: 'gate', name: n, width: gate.outputWidth };
    throw new Error(`internal: ${where} reads "${n}", which is neither a feature group nor a previous-level gate`);
  };

  spec.model.levels.forEach((lv, li) => {
    const lpath = pointer('/model/levels', li);
    const pools: PoolIR[] = lv.pools.map((p, pi) => {
      const inputs = p.inputs ? p.inputs.map((n) => resolveInput(n, `pool ${p.name}`)) : allGroupRefs();
      return {
        kind: 'pool',
        name: p.name,
        path: pointer(pointer(lpath, 'pools'), pi),
        level: li,
        count: p.count,
        units: [...p.units],
        activation: p.activation,
        batchNorm: p.batchNorm,
        dropout: p.dropout,
        l2: p.l2,
        inputs,
        inputWidth: inputs.reduce((s, r) => s + r.width, 0),
        outputWidth: p.units[p.units.length - 1],
        ...(p.cross ? { cross: { layers: p.cross.layers, rank: p.cross.rank ?? null } } : {}),
      };
    });
    const poolByName = new Map(pools.map((p) => [p.name, p]));
    const gates: GateIR[] = (lv.gates ?? []).map((g, gi) => {
      const mixed = g.pools.map((n) => {
        const p = poolByName.get(n);
        if (!p) throw new Error(`internal: gate ${g.name} mixes unknown pool ${n}`);
        return p;
      });
      const inputs = g.inputs ? g.inputs.map((n) => resolveInput(n, `gate ${g.name}`)) : mixed[0].inputs;
      // Key order is the order diff lists changed fields in (ir.json sorts keys anyway).
      return {
        kind: 'gate',
        name: g.name,
        path: pointer(pointer(lpath, 'gates'), gi),
        level: li,
        pools: [...g.pools],
        inputs,
        temperature: g.temperature,
        topK: g.topK ?? null,
        scenarioAware: g.scenarioAware,
        numExperts: mixed.reduce((s, p) => s + p.count, 0),
        inputWidth: inputs.reduce((s, r) => s + r.width, 0) + (g.scenarioAware ? scenarioDim : 0),
        outputWidth: mixed[0].outputWidth,
      };
    });
    levels.push({ index: li, pools, gates });
    prevGates = new Map(gates.map((g) => [g.name, g]));
  });

  const last = levels[levels.length - 1];
  // by name, first of a name wins (as find did): thousands of towers stay linear
  const firstByName = <T extends { name: string }>(xs: readonly T[]) => {
    const m = new Map<string, T>();
    for (const x of xs) if (!m.has(x.name)) m.set(x.name, x);
    return m;
  };
  const lastGates = firstByName(last.gates);
  const lastPools = firstByName(last.pools);
  const towers: TowerIR[] = spec.model.towers.map((t, ti) => {
    const gate = lastGates.get(t.input);
    const pool = lastPools.get(t.input);
    const input: RefIR | undefined = gate
      ? { kind: 'gate', name: gate.name, width: gate.outputWidth }
      : pool
        ? { kind: 'pool', name: pool.name, width: pool.outputWidth }
        : undefined;
    if (!input) throw new Error(`internal: tower ${t.name} reads unknown ${t.input}`);
    return {
      kind: 'tower',
      name: t.name,
      path: pointer('/model/towers', ti),
      input,
      units: [...t.units],
      activation: t.activation,
      batchNorm: t.batchNorm,
      dropout: t.dropout,
      l2: t.l2,
      perScenario: t.perScenario && spec.scenarios ? [...spec.scenarios.values] : [],
      outputWidth: t.units.length ? t.units[t.units.length - 1] : input.width,
      ...(t.star && spec.scenarios ? { star: true as const } : {}),
    };
  });

  const tasks: TaskIR[] = spec.tasks.map((t, i) => ({
    name: t.name,
    path: pointer('/tasks', i),
    type: t.type,
    // a derived label in words ("education in {Bachelors, Masters}"): non-null = a loss term
    label: describeTrainingLabel(t) ?? null,
    positive: t.positive ?? null,
    loss: defaultLoss(t),
    weight: t.weight,
    metrics: defaultMetrics(t),
    head: t.product ? { kind: 'product', of: [...t.product] } : { kind: 'tower', tower: t.tower ?? t.name },
    sampleSpace: t.sampleSpace ? { column: t.sampleSpace.column, equals: t.sampleSpace.equals } : null,
    scenarios: t.scenarios ? [...t.scenarios] : null,
    ...labelExtras(t, spec.training),
    ...(t.type === 'multiclass' ? multiclassFields(t) : {}),
    ...(t.labelSmoothing ? { labelSmoothing: t.labelSmoothing } : {}),
    ...(t.focal ? { focal: { gamma: t.focal.gamma, alpha: t.focal.alpha ?? null } } : {}),
  }));

  const ir: Omit<ModelIR, 'family'> = {
    irVersion: IR_VERSION,
    name,
    features,
    embeddings: lowerEmbeddings(spec, vocab),
    groups,
    scenario: spec.scenarios
      ? {
          feature: spec.scenarios.feature,
          values: [...spec.scenarios.values],
          embeddingDim: spec.scenarios.embeddingDim,
        }
      : null,
    levels,
    towers,
    tasks,
    ...lowerScenarioAuxiliary(spec, groups, tasks),
    lowering: { experts: spec.model.lowering?.experts ?? 'auto', gates: spec.model.lowering?.gates ?? 'auto' },
  };
  const { irVersion, name: irName, ...rest } = ir;
  return { irVersion, name: irName, family: recogniseFamily(ir), ...rest };
}

/** The optional IR fields of sample weights and evaluation labels, present only when set (so
 * the IR of a spec without them is unchanged). */
function labelExtras(t: TaskSpec, training: { sampleWeight?: string }): Pick<TaskIR, 'sampleWeight' | 'evaluation'> {
  const w = sampleWeightOf(t, training);
  const out: Pick<TaskIR, 'sampleWeight' | 'evaluation'> = {};
  if (w !== undefined && (hasTrainingLabel(t) || t.evaluation)) out.sampleWeight = w;
  if (t.evaluation && !hasTrainingLabel(t)) out.evaluation = describeEvaluation(t.evaluation);
  return out;
}
