// ModelIR -> tfjs LayersModel. The IR's general form maps one to one onto layers:
//   features -> inputs and embedding lookups (one Embedding per table, shared tables shared),
//   groups   -> concatenations of feature vectors, in listed order,
//   pools    -> `count` expert MLPs over the concatenation of the pool's inputs,
//   gates    -> softmax(Dense(inputs [+ scenario embedding]) / T) [top-k], then the weighted sum
//               of the gate's experts (pool by pool, expert by expert),
//   towers   -> MLPs over a gate (or a single-expert pool: Shared-Bottom), one copy per
//               scenario when perScenario,
//   tasks    -> Dense(1) heads (sigmoid / linear), Dense(K, softmax) for K classes, or the product of other tasks (ESMM), each
//               output named after its task.
// Only the blocks that reach a task output are built (reachability.ts, which the cost analysis
// uses too); every feature stays a model input. Layer names come from names.ts; weights are
// seeded per layer from opts.seed.
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';
import type { FeatureIR, GateIR, LevelIR, ModelIR, PoolIR, RefIR, TaskIR } from '../ir.js';
import { reachability, type Reachability } from '../reachability.js';
import { expertPrefix } from './cross-names.js';
import { crossNetwork } from './cross.js';
import { registerCustomLayers } from './custom-layers.js';
import { applyLayer, claim, denseLayer, embeddingLayer, mlp, type BuildContext, type Layer } from './layers.js';
import { layerName, SCENARIO_INPUT } from './names.js';
import { buildAuxiliary, starMlp, starTaskOutput } from './star.js';
import { isStar } from '../star.js';

export type LoweringMode = 'separate' | 'fused';
export interface Lowering {
  experts: LoweringMode;
  gates: LoweringMode;
}

export interface BuildOptions {
  /** Seeds every initializer (derived per layer name): the same seed gives the same weights. */
  seed: number;
  /**
   * true (default): the training graph, with Dropout layers and L2 kernel regularizers.
   * false: an inference graph without them (same layers otherwise, same weights and outputs).
   */
  training?: boolean;
  /** Overrides ir.lowering (e.g. for benchmarks); 'auto' resolves as in resolveLowering. */
  lowering?: Partial<ModelIR['lowering']>;
}

/**
 * What 'auto' resolves to, on every backend: fused experts (where every multi-expert pool has a
 * single layer) and separate gates. Measured (bench/sections/40-lowering.mjs, docs/performance.md):
 * fusing single-layer experts trains the paper's 8 x [16] MMoE 1.4-1.5x faster on wasm and cpu;
 * deeper experts continue as GroupedDense, no faster to train and 5-10% slower to serve, so they
 * stay separate; fused gates are neutral on wasm and slower on cpu. The choice does not depend on
 * the backend in use, so the same spec builds the same model.json on every machine (tfjs-node
 * could not be measured here).
 */
export const AUTO_LOWERING: Readonly<Lowering> = { experts: 'fused', gates: 'separate' };

/** Every pool of more than one expert has one layer (fusing needs no GroupedDense). */
function singleLayerExperts(ir: ModelIR): boolean {
  return ir.levels.every((l) => l.pools.every((p) => p.count < 2 || p.units.length === 1));
}

/**
 * The lowering used: the override, else the spec's model.lowering, where 'auto' is AUTO_LOWERING
 * with experts fused only when they are single-layer. Fused experts apply to pools of more than
 * one expert; fused gates to gates of one level that read the same inputs (two or more). Both
 * lowerings compute the same function.
 */
export function resolveLowering(ir: ModelIR, override: Partial<ModelIR['lowering']> = {}): Lowering {
  const auto: Lowering = {
    experts: AUTO_LOWERING.experts === 'fused' && singleLayerExperts(ir) ? 'fused' : 'separate',
    gates: AUTO_LOWERING.gates,
  };
  const pick = (m: ModelIR['lowering']['experts'], fallback: LoweringMode): LoweringMode =>
    m === 'auto' ? fallback : m;
  return {
    experts: pick(override.experts ?? ir.lowering.experts, auto.experts),
    gates: pick(override.gates ?? ir.lowering.gates, auto.gates),
  };
}

/** Does the model take the `__scenario` input? */
export function needsScenarioInput(ir: ModelIR): boolean {
  return (
    ir.scenario !== null &&
    (ir.levels.some((l) => l.gates.some((g) => g.scenarioAware)) ||
      ir.towers.some((t) => t.perScenario.length > 0) ||
      isStar(ir))
  );
}

interface State extends BuildContext {
  ir: ModelIR;
  reach: Reachability;
  lowering: Lowering;
  inputs: SymbolicTensor[];
  groups: Map<string, SymbolicTensor>;
  /** Pool name -> expert outputs, each [B, k x width] holding k experts side by side. */
  pools: Map<string, { pieces: SymbolicTensor[]; pool: PoolIR }>;
  gates: Map<string, SymbolicTensor>;
  /** Concatenations already made, by what they concatenate (pools and gates reading the same inputs share one). */
  concats: Map<string, SymbolicTensor>;
  /** Expert stacks [B, E, width] already made, by the pools they stack. */
  stacks: Map<string, SymbolicTensor>;
  scenarioInput: SymbolicTensor | null;
  scenarioVector: SymbolicTensor | null;
}

function width(t: SymbolicTensor): number {
  return t.shape[t.shape.length - 1] as number;
}

function internal(msg: string): Error {
  return new Error(`internal: ${msg}`);
}

function concatenate(s: State, tensors: SymbolicTensor[], name: string): SymbolicTensor {
  return tensors.length === 1
    ? tensors[0]
    : applyLayer(s.tf.layers.concatenate({ name: claim(s, name), axis: -1 }), tensors);
}

function buildFeatures(s: State): void {
  const { tf, ir } = s;
  const tables = new Map<string, Layer>();
  const vectors = new Map<string, SymbolicTensor>();
  const inputs = new Map<string, SymbolicTensor>();
  const attended: { f: FeatureIR; looked: SymbolicTensor; table: Layer }[] = [];
  for (const t of ir.embeddings) {
    if (t.vocabSize === null)
      throw new Error(
        `cannot build the model: embedding table "${t.name}" has no vocabulary size yet (fit the feature pipeline first)`,
      );
  }
  for (const f of ir.features) {
    const isSeq = f.kind === 'sequence';
    if (isSeq && !(f.maxLength && f.maxLength > 0)) throw internal(`sequence feature ${f.name} has no maxLength`);
    const input = tf.input({
      name: claim(s, layerName.input(f.name)),
      shape: [isSeq ? (f.maxLength ?? 0) : 1],
      dtype: f.kind === 'numeric' ? 'float32' : 'int32',
    });
    s.inputs.push(input);
    inputs.set(f.name, input);
    if (!s.reach.features.has(f.name)) continue;
    if (f.kind === 'numeric') {
      vectors.set(f.name, input);
      continue;
    }
    const table = ir.embeddings.find((t) => t.name === f.embedding);
    if (!table || table.vocabSize === null)
      throw internal(`feature ${f.name} reads unknown embedding table ${String(f.embedding)}`);
    if (table.dim !== f.width)
      throw internal(`feature ${f.name} has width ${f.width} but table ${table.name} has dim ${table.dim}`);
    let layer = tables.get(table.name);
    if (!layer) {
      layer = embeddingLayer(s, layerName.table(table.name), table.vocabSize, table.dim);
      tables.set(table.name, layer);
    }
    const looked = applyLayer(layer, input);
    if (isSeq && f.attention) {
      attended.push({ f, looked, table: layer }); // after the loop: its target's input may come later
      continue;
    }
    vectors.set(
      f.name,
      isSeq
        ? applyLayer(
            new s.custom.MaskedSequencePooling({
              name: claim(s, layerName.featurePool(f.name)),
              mode: poolingMode(f),
            }),
            [looked, input],
          )
        : applyLayer(
            tf.layers.reshape({ name: claim(s, layerName.featureVector(f.name)), targetShape: [table.dim] }),
            looked,
          ),
    );
  }
  for (const { f, looked, table } of attended) {
    const target = inputs.get(f.attention?.target ?? '');
    if (!target) throw internal(`sequence ${f.name} attends to unknown feature ${String(f.attention?.target)}`);
    vectors.set(f.name, targetAttention(s, f, looked, applyLayer(table, target), inputs.get(f.name)!));
  }
  for (const g of ir.groups) {
    if (!s.reach.groups.has(g.name)) continue;
    const parts = g.features.map((n) => {
      const v = vectors.get(n);
      if (!v) throw internal(`group ${g.name} lists unknown feature ${n}`);
      return v;
    });
    const t = concatenate(s, parts, layerName.group(g.name));
    if (width(t) !== g.width) throw internal(`group ${g.name} is ${width(t)} wide, the IR says ${g.width}`);
    s.groups.set(g.name, t);
  }
}

function poolingMode(f: FeatureIR): 'sum' | 'mean' | 'max' {
  if (f.pooling === 'attention') throw internal(`sequence ${f.name} pools by attention but has no attention settings`);
  return f.pooling ?? 'mean';
}

/** DIN pooling of a sequence's lookups [B, L, D] against its target's lookup [B, 1, D] (target-attention.ts). */
function targetAttention(
  s: State,
  f: FeatureIR,
  looked: SymbolicTensor,
  target: SymbolicTensor,
  ids: SymbolicTensor,
): SymbolicTensor {
  const a = f.attention;
  if (!a) throw internal(`sequence ${f.name} has no attention settings`);
  const x = applyLayer(new s.custom.AttentionFeatures({ name: claim(s, layerName.attentionFeatures(f.name)) }), [
    looked,
    target,
  ]);
  const mlpIr = { units: a.units, activation: a.activation, batchNorm: false, dropout: 0, l2: 0 };
  const hidden = mlp(s, x, mlpIr, (part, j) => layerName.attention(f.name, part, j));
  const score = applyLayer(denseLayer(s, layerName.attentionScore(f.name), 1), hidden);
  return applyLayer(
    new s.custom.AttentionPooling({ name: claim(s, layerName.featurePool(f.name)), softmax: a.softmax }),
    [score, looked, ids],
  );
}

function buildScenario(s: State): void {
  const { tf, ir } = s;
  if (!needsScenarioInput(ir) || !ir.scenario) return;
  s.scenarioInput = tf.input({ name: claim(s, SCENARIO_INPUT), shape: [1], dtype: 'int32' });
  s.inputs.push(s.scenarioInput);
  if (!s.reach.scenarioTable) return;
  // S + 1 rows: row S is the unknown scenario.
  const table = embeddingLayer(s, layerName.scenarioTable, ir.scenario.values.length + 1, ir.scenario.embeddingDim);
  s.scenarioVector = applyLayer(
    tf.layers.reshape({ name: claim(s, layerName.scenarioVector), targetShape: [ir.scenario.embeddingDim] }),
    applyLayer(table, s.scenarioInput),
  );
}

function resolveRef(s: State, r: RefIR): SymbolicTensor {
  if (r.kind === 'group') {
    const g = s.groups.get(r.name);
    if (g) return g;
  } else if (r.kind === 'gate') {
    const g = s.gates.get(r.name);
    if (g) return g;
  } else {
    const p = s.pools.get(r.name);
    if (p) {
      if (p.pool.count !== 1)
        throw new Error(
          `cannot build the model: pool "${r.name}" is read directly but has ${p.pool.count} experts; read it through a gate`,
        );
      return p.pieces[0];
    }
  }
  throw internal(`unresolved ${r.kind} ${r.name}`);
}

/** The concatenation of refs (+ the scenario embedding), shared by every reader of the same set. */
function concatRefs(
  s: State,
  refs: RefIR[],
  withScenario: boolean,
  name: string,
  expectedWidth: number,
): SymbolicTensor {
  const key = refs.map((r) => `${r.kind}:${r.name}`).join('|') + (withScenario ? '|+scenario' : '');
  let t = s.concats.get(key);
  if (!t) {
    const parts = refs.map((r) => resolveRef(s, r));
    if (withScenario) {
      if (!s.scenarioVector) throw internal('a scenario-aware gate without a scenario embedding');
      parts.push(s.scenarioVector);
    }
    t = concatenate(s, parts, name);
    s.concats.set(key, t);
  }
  if (width(t) !== expectedWidth) throw internal(`${name} is ${width(t)} wide, the IR says ${expectedWidth}`);
  return t;
}

function buildPool(s: State, level: number, p: PoolIR): void {
  const x = concatRefs(s, p.inputs, false, layerName.poolInput(level, p.name), p.inputWidth);
  // Cross layers are per expert, so a pool with them is always built expert by expert.
  const cross = p.cross;
  const pieces =
    s.lowering.experts === 'fused' && p.count > 1 && !cross
      ? [mlp(s, x, p, (part, j) => layerName.fusedExperts(level, p.name, part, j), p.count)]
      : Array.from({ length: p.count }, (_, e) =>
          mlp(s, cross ? crossNetwork(s, x, cross, expertPrefix(level, p.name, e)) : x, p, (part, j) =>
            layerName.expert(level, p.name, e, part, j),
          ),
        );
  s.pools.set(p.name, { pieces, pool: p });
}

function gateInputKey(g: GateIR): string {
  return g.inputs.map((r) => `${r.kind}:${r.name}`).join('|') + (g.scenarioAware ? '|+scenario' : '');
}

/** Gate weights [B, numExperts] for every gate of a level. */
function buildGateWeights(s: State, level: LevelIR): Map<string, SymbolicTensor> {
  const { tf } = s;
  const weights = new Map<string, SymbolicTensor>();
  const gateX = (g: GateIR) =>
    concatRefs(s, g.inputs, g.scenarioAware, layerName.gateInput(level.index, g.name), g.inputWidth);
  if (s.lowering.gates === 'fused') {
    const byInput = new Map<string, GateIR[]>();
    for (const g of level.gates) byInput.set(gateInputKey(g), [...(byInput.get(gateInputKey(g)) ?? []), g]);
    let k = 0;
    for (const gates of byInput.values()) {
      if (gates.length < 2) continue;
      const total = gates.reduce((n, g) => n + g.numExperts, 0);
      const logits = applyLayer(denseLayer(s, layerName.fusedGates(level.index, k++), total), gateX(gates[0]));
      let begin = 0;
      for (const g of gates) {
        const layer = new s.custom.GateSoftmax({
          name: claim(s, layerName.gateSoftmax(level.index, g.name)),
          temperature: g.temperature,
          topK: g.topK,
          begin,
          size: g.numExperts,
        });
        weights.set(g.name, applyLayer(layer, logits));
        begin += g.numExperts;
      }
    }
  }
  for (const g of level.gates) {
    if (weights.has(g.name)) continue;
    const logits = applyLayer(denseLayer(s, layerName.gate(level.index, g.name), g.numExperts), gateX(g));
    const name = claim(s, layerName.gateSoftmax(level.index, g.name));
    const plain = g.temperature === 1 && (g.topK === null || g.topK >= g.numExperts);
    const layer = plain
      ? tf.layers.softmax({ name, axis: -1 })
      : new s.custom.GateSoftmax({ name, temperature: g.temperature, topK: g.topK });
    weights.set(g.name, applyLayer(layer, logits));
  }
  return weights;
}

function buildLevel(s: State, all: LevelIR): void {
  const level: LevelIR = {
    ...all,
    pools: all.pools.filter((p) => s.reach.pools.has(p.name)),
    gates: all.gates.filter((g) => s.reach.gates.has(g.name)),
  };
  for (const p of level.pools) buildPool(s, level.index, p);
  const weights = buildGateWeights(s, level);
  const outputs = new Map<string, SymbolicTensor>();
  for (const g of level.gates) {
    const key = g.pools.join('|');
    let stack = s.stacks.get(key);
    if (!stack) {
      const pieces = g.pools.flatMap((n) => {
        const p = s.pools.get(n);
        if (!p || p.pool.level !== level.index) throw internal(`gate ${g.name} mixes unknown pool ${n}`);
        if (p.pool.outputWidth !== g.outputWidth) throw internal(`gate ${g.name} mixes pools of different widths`);
        return p.pieces;
      });
      const flat = concatenate(s, pieces, layerName.gateExperts(level.index, g.name));
      stack = applyLayer(
        s.tf.layers.reshape({
          name: claim(s, layerName.gateStack(level.index, g.name)),
          targetShape: [g.numExperts, g.outputWidth],
        }),
        flat,
      );
      s.stacks.set(key, stack);
    }
    const w = weights.get(g.name);
    if (!w) throw internal(`no weights for gate ${g.name}`);
    // sum_e w[b, e] * experts[b, e, :]
    outputs.set(
      g.name,
      applyLayer(s.tf.layers.dot({ name: claim(s, layerName.gateMix(level.index, g.name)), axes: [1, 1] }), [w, stack]),
    );
  }
  // Gates become visible to the next level only once the whole level is built.
  for (const [n, t] of outputs) s.gates.set(n, t);
}

function buildOutputs(s: State): SymbolicTensor[] {
  const { tf, ir } = s;
  const towers = new Map<string, SymbolicTensor[]>();
  const scenarioIndex = (v: string) => ir.scenario?.values.indexOf(v) ?? -1;
  for (const t of ir.towers) {
    if (!s.reach.towers.has(t.name)) continue;
    const x = resolveRef(s, t.input);
    if (t.star) {
      if (!s.scenarioInput || !ir.scenario) throw internal(`star tower ${t.name} without a scenario input`);
      const S = ir.scenario.values.length;
      towers.set(t.name, [starMlp(s, x, s.scenarioInput, S, t, (part, j) => layerName.tower(t.name, part, j))]);
    } else if (t.perScenario.length > 0) {
      if (
        !s.scenarioInput ||
        t.perScenario.some((v, i) => scenarioIndex(v) !== i) ||
        t.perScenario.length !== ir.scenario?.values.length
      ) {
        throw internal(`tower ${t.name}'s scenarios do not match the declared scenario values`);
      }
      towers.set(
        t.name,
        t.perScenario.map((_, i) => mlp(s, x, t, (part, j) => layerName.tower(t.name, part, j, i))),
      );
    } else towers.set(t.name, [mlp(s, x, t, (part, j) => layerName.tower(t.name, part, j))]);
  }

  const aux =
    ir.scenarioAuxiliary && s.scenarioVector
      ? buildAuxiliary(s, ir.scenarioAuxiliary, s.groups, s.scenarioVector)
      : new Map<string, SymbolicTensor>();
  const outputs = new Map<string, SymbolicTensor>();
  const visiting = new Set<string>();
  const taskByName = new Map(ir.tasks.map((t) => [t.name, t]));
  const outputOf = (task: TaskIR): SymbolicTensor => {
    const done = outputs.get(task.name);
    if (done) return done;
    if (visiting.has(task.name)) throw internal(`task ${task.name} is a product of itself`);
    visiting.add(task.name);
    let y: SymbolicTensor;
    if (task.head.kind === 'product') {
      const parts = task.head.of.map((n) => {
        const t = taskByName.get(n);
        if (!t) throw internal(`task ${task.name} multiplies unknown task ${n}`);
        return outputOf(t);
      });
      // ESMM, Eq. 2: pCTCVR = pCTR x pCVR.
      y = applyLayer(tf.layers.multiply({ name: claim(s, layerName.output(task.name)) }), parts);
    } else {
      const copies = towers.get(task.head.tower);
      if (!copies) throw internal(`task ${task.name} reads unknown tower ${task.head.tower}`);
      const activation = task.type === 'binary' ? 'sigmoid' : task.type === 'multiclass' ? 'softmax' : 'linear';
      // a multi-class head has one unit per class (its softmax is the class distribution)
      const width = task.type === 'multiclass' ? (task.classes?.length ?? 0) : 1;
      const perScenario = isPerScenario(ir, task.head.tower);
      const towerName = task.head.tower;
      const star = ir.towers.find((t) => t.name === towerName)?.star === true;
      const auxLogit = aux.get(task.name);
      const heads =
        star || auxLogit
          ? []
          : copies.map((h, i) =>
              applyLayer(
                denseLayer(s, layerName.head(task.name, perScenario ? i : undefined), width, { activation }),
                h,
              ),
            );
      if (star || auxLogit) {
        y = starTaskOutput(s, ir, task, copies, { star, perScenario, scenario: s.scenarioInput, aux: auxLogit });
      } else if (perScenario && s.scenarioInput) {
        const stacked = concatenate(s, heads, layerName.headScenarios(task.name));
        y = applyLayer(new s.custom.ScenarioSelect({ name: claim(s, layerName.output(task.name)) }), [
          stacked,
          s.scenarioInput,
        ]);
      } else {
        y = applyLayer(
          tf.layers.activation({ name: claim(s, layerName.output(task.name)), activation: 'linear' }),
          heads[0],
        );
      }
    }
    visiting.delete(task.name);
    outputs.set(task.name, y);
    return y;
  };
  return ir.tasks.map(outputOf);
}

function isPerScenario(ir: ModelIR, tower: string): boolean {
  return (ir.towers.find((t) => t.name === tower)?.perScenario.length ?? 0) > 0;
}

/**
 * Build the tfjs model of an IR. Inputs, in order: one per feature (named like it: numeric
 * float32 [1]; categorical / bucketised int32 [1], an id into the feature's table; sequence int32
 * [maxLength], id 0 = padding), then `__scenario` (int32 [1], index into ir.scenario.values, S =
 * unknown) when a gate is scenario-aware or a tower per-scenario. Outputs: one per task, in
 * ir.tasks order, named like the task. Every embedding table needs a vocabSize.
 */
export function buildModel(ir: ModelIR, tf: Tf, opts: BuildOptions): LayersModel {
  if (!Number.isInteger(opts.seed)) throw new Error(`buildModel: seed must be an integer, got ${opts.seed}`);
  const s: State = {
    tf,
    custom: registerCustomLayers(tf),
    seed: opts.seed,
    training: opts.training ?? true,
    used: new Set(),
    ir,
    reach: reachability(ir),
    lowering: resolveLowering(ir, opts.lowering),
    inputs: [],
    groups: new Map(),
    pools: new Map(),
    gates: new Map(),
    concats: new Map(),
    stacks: new Map(),
    scenarioInput: null,
    scenarioVector: null,
  };
  buildFeatures(s);
  buildScenario(s);
  for (const level of ir.levels) buildLevel(s, level);
  const outputs = buildOutputs(s);
  return tf.model({ name: ir.name, inputs: s.inputs, outputs });
}
