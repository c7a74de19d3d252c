// Closed-form parameter and FLOP counts per block, from the IR alone (no tfjs), so validate can
// enforce resource limits and diff can report deltas. Parameters count every weight the built
// model holds (as tfjs `countParams()` does: batch-norm moving statistics included).
// FLOPs are per example, forward pass: a Dense layer of in x out costs 2*in*out + out, batch
// norm 2 per unit (inference form), an activation 1 per unit, a softmax gate 3 per expert,
// a gate mix 2 per expert output value; embedding lookups cost nothing, pooling 1 per value.
// Only what the built model contains is counted (reachability.ts): a block that reaches no task
// output is listed in `unused`, with what it would have cost.
import type { CrossIR, FeatureIR, MlpIR, ModelIR } from './ir.js';
import { blockId, reachability } from './reachability.js';
import { starExtraParams } from './star.js';

export interface BlockCost {
  block: string;
  kind: 'embedding' | 'pool' | 'gate' | 'tower' | 'head' | 'attention';
  params: number;
  /** Null when some embedding vocabulary is learned from data and not yet fitted. */
  flops: number;
}

export interface CostSummary {
  /** The blocks the built model contains. */
  blocks: BlockCost[];
  /** Blocks that reach no task output: not built, not in the totals. */
  unused: BlockCost[];
  params: number;
  flops: number;
  /** Embedding tables whose size is unknown until the pipeline is fitted. */
  unknownTables: string[];
}

export function denseParams(inp: number, out: number): number {
  return inp * out + out;
}

/** Parameters and FLOPs of one MLP of `units` over `inp` inputs (no output head). */
export function mlpCost(
  inp: number,
  m: Pick<MlpIR, 'units' | 'batchNorm' | 'activation'>,
): { params: number; flops: number } {
  let params = 0;
  let flops = 0;
  let w = inp;
  for (const u of m.units) {
    params += denseParams(w, u) + (m.batchNorm ? 4 * u : 0);
    flops += 2 * w * u + u + (m.batchNorm ? 2 * u : 0) + (m.activation === 'linear' ? 0 : u);
    w = u;
  }
  return { params, flops };
}

/**
 * Target attention over L positions of width D: the attention MLP over 4D inputs and its Dense(1)
 * score, per position; forming [h, t, h - t, h * t] costs 2D per position, scaling h by its
 * weight D (the sum over positions is the embedding block's pooling, 1 per value), a softmax 3.
 */
export function attentionCost(
  dim: number,
  length: number,
  a: NonNullable<FeatureIR['attention']>,
): { params: number; flops: number } {
  const mlp = mlpCost(4 * dim, { units: a.units, batchNorm: false, activation: a.activation });
  const last = a.units[a.units.length - 1];
  const perPosition = 2 * dim + mlp.flops + 2 * last + 1 + dim + (a.softmax ? 3 : 0);
  return { params: mlp.params + denseParams(last, 1), flops: length * perPosition };
}

/**
 * DCN-v2 cross layers over width d, per expert. Full: W [d, d] and b [d]; rank r: U [d, r],
 * V [r, d], b [d]. FLOPs per layer: the product (2 d^2, or 4 d r), + b, * x_0, + x_l (3 d).
 */
export function crossCost(d: number, cross: CrossIR | undefined): { params: number; flops: number } {
  if (!cross) return { params: 0, flops: 0 };
  const r = cross.rank;
  const params = r === null ? d * d + d : 2 * d * r + d;
  const flops = (r === null ? 2 * d * d : 4 * d * r) + 3 * d;
  return { params: params * cross.layers, flops: flops * cross.layers };
}

export function costOf(ir: ModelIR): CostSummary {
  const r = reachability(ir);
  const blocks: BlockCost[] = [];
  const unused: BlockCost[] = [];
  const unknownTables: string[] = [];
  const add = (used: boolean, b: BlockCost) => (used ? blocks : unused).push(b);
  for (const t of ir.embeddings) {
    const used = r.tables.has(t.name);
    if (used && t.vocabSize === null) unknownTables.push(t.name);
    const readers = ir.features.filter((f) => f.embedding === t.name && (r.features.has(f.name) || !used));
    const pooled = readers.filter((f) => f.kind === 'sequence').reduce((s, f) => s + (f.maxLength ?? 0) * t.dim, 0);
    add(used, { block: blockId.table(t.name), kind: 'embedding', params: (t.vocabSize ?? 0) * t.dim, flops: pooled });
  }
  for (const f of ir.features) {
    if (!f.attention) continue;
    const c = attentionCost(f.width, f.maxLength ?? 0, f.attention);
    add(r.features.has(f.name), { block: blockId.attention(f.name), kind: 'attention', ...c });
  }
  if (ir.scenario && (ir.levels.some((l) => l.gates.some((g) => g.scenarioAware)) || ir.scenarioAuxiliary)) {
    add(r.scenarioTable, {
      block: blockId.scenarioTable,
      kind: 'embedding',
      params: (ir.scenario.values.length + 1) * ir.scenario.embeddingDim,
      flops: 0,
    });
  }
  for (const level of ir.levels) {
    for (const p of level.pools) {
      const mlp = mlpCost(p.inputWidth, p);
      const cross = crossCost(p.inputWidth, p.cross);
      const one = { params: mlp.params + cross.params, flops: mlp.flops + cross.flops };
      add(r.pools.has(p.name), {
        block: blockId.pool(level.index, p.name),
        kind: 'pool',
        params: one.params * p.count,
        flops: one.flops * p.count,
      });
    }
    for (const g of level.gates) {
      const e = g.numExperts;
      add(r.gates.has(g.name), {
        block: blockId.gate(level.index, g.name),
        kind: 'gate',
        params: denseParams(g.inputWidth, e),
        flops: 2 * g.inputWidth * e + e + 3 * e + 2 * e * g.outputWidth,
      });
    }
  }
  for (const t of ir.towers) {
    const copies = Math.max(1, t.perScenario.length);
    const one = mlpCost(t.input.width, t);
    const star = t.star && ir.scenario ? starExtraParams(t.input.width, t.units, ir.scenario.values.length) : 0;
    add(r.towers.has(t.name), {
      block: blockId.tower(t.name),
      kind: 'tower',
      params: one.params * copies + star,
      flops: one.flops * copies,
    });
  }
  const aux = ir.scenarioAuxiliary;
  if (aux) {
    // STAR's auxiliary network: its MLP, a Dense(1) per task, and the add into each task's logit
    const body = mlpCost(aux.inputWidth, aux);
    const n = aux.tasks.length;
    blocks.push({
      block: blockId.auxiliary,
      kind: 'tower',
      params: body.params + n * denseParams(aux.outputWidth, 1),
      flops: body.flops + n * (2 * aux.outputWidth + 2),
    });
  }
  const towerByName = new Map<string, (typeof ir.towers)[number]>();
  for (const t of ir.towers) if (!towerByName.has(t.name)) towerByName.set(t.name, t);
  for (const task of ir.tasks) {
    if (task.head.kind === 'product') {
      blocks.push({ block: blockId.head(task.name), kind: 'head', params: 0, flops: task.head.of.length - 1 });
      continue;
    }
    const headTower = task.head.tower;
    const tower = towerByName.get(headTower);
    if (!tower) continue;
    const copies = Math.max(1, tower.perScenario.length) + (tower.star && ir.scenario ? ir.scenario.values.length : 0);
    // K output units for a multi-class head (Dense(K) + softmax), 1 otherwise
    const units = task.type === 'multiclass' ? (task.classes?.length ?? 1) : 1;
    blocks.push({
      block: blockId.head(task.name),
      kind: 'head',
      params: denseParams(tower.outputWidth, units) * copies,
      flops: (2 * tower.outputWidth + 2) * units * copies,
    });
  }
  return {
    blocks,
    unused,
    params: blocks.reduce((s, b) => s + b.params, 0),
    flops: blocks.reduce((s, b) => s + b.flops, 0),
    unknownTables,
  };
}
