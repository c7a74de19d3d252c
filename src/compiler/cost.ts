// Closed-form parameter and FLOP counts per block, from the IR alone (no tfjs), so validate can
// enforce resource limits and diff can report deltas. Parameters count every weight the built
// model holds (as tfjs `countParams()` does: batch-norm moving statistics included).
// FLOPs are per example, forward pass: a Dense layer of in x out costs 2*in*out + out, batch
// norm 2 per unit (inference form), an activation 1 per unit, a softmax gate 3 per expert,
// a gate mix 2 per expert output value; embedding lookups cost nothing, pooling 1 per value.
import type { MlpIR, ModelIR } from './ir.js';

export interface BlockCost {
  block: string;
  kind: 'embedding' | 'pool' | 'gate' | 'tower' | 'head';
  params: number;
  /** Null when some embedding vocabulary is learned from data and not yet fitted. */
  flops: number;
}

export interface CostSummary {
  blocks: BlockCost[];
  params: number;
  flops: number;
  /** Embedding tables whose size is unknown until the pipeline is fitted. */
  unknownTables: string[];
}

export function denseParams(inp: number, out: number): number {
  return inp * out + out;
}

/** Parameters and FLOPs of one MLP of `units` over `inp` inputs (no output head). */
export function mlpCost(inp: number, m: Pick<MlpIR, 'units' | 'batchNorm' | 'activation'>): { params: number; flops: number } {
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

export function costOf(ir: ModelIR): CostSummary {
  const blocks: BlockCost[] = [];
  const unknownTables: string[] = [];
  // A table whose features are in no group is not part of the built model.
  const grouped = new Set(ir.groups.flatMap((g) => g.features));
  const sequencesOf = new Map<string, (typeof ir.features)[number][]>();
  for (const f of ir.features) {
    if (f.kind !== 'sequence' || f.embedding === undefined) continue;
    const list = sequencesOf.get(f.embedding);
    if (list) list.push(f);
    else sequencesOf.set(f.embedding, [f]);
  }
  for (const t of ir.embeddings) {
    if (!t.features.some((f) => grouped.has(f))) continue;
    if (t.vocabSize === null) unknownTables.push(t.name);
    const pooled = (sequencesOf.get(t.name) ?? []).reduce((s, f) => s + (f.maxLength ?? 0) * t.dim, 0);
    blocks.push({ block: `embedding/${t.name}`, kind: 'embedding', params: (t.vocabSize ?? 0) * t.dim, flops: pooled });
  }
  const scenarioGates = ir.levels.some((l) => l.gates.some((g) => g.scenarioAware));
  if (ir.scenario && scenarioGates) {
    blocks.push({ block: 'embedding/scenario', kind: 'embedding', params: (ir.scenario.values.length + 1) * ir.scenario.embeddingDim, flops: 0 });
  }
  for (const level of ir.levels) {
    for (const p of level.pools) {
      const one = mlpCost(p.inputWidth, p);
      blocks.push({ block: `level${level.index}/pool/${p.name}`, kind: 'pool', params: one.params * p.count, flops: one.flops * p.count });
    }
    for (const g of level.gates) {
      const e = g.numExperts;
      blocks.push({
        block: `level${level.index}/gate/${g.name}`,
        kind: 'gate',
        params: denseParams(g.inputWidth, e),
        flops: 2 * g.inputWidth * e + e + 3 * e + 2 * e * g.outputWidth,
      });
    }
  }
  for (const t of ir.towers) {
    const copies = Math.max(1, t.perScenario.length);
    const one = mlpCost(t.input.width, t);
    blocks.push({ block: `tower/${t.name}`, kind: 'tower', params: one.params * copies, flops: one.flops * copies });
  }
  const towerByName = new Map<string, (typeof ir.towers)[number]>();
  for (const t of ir.towers) if (!towerByName.has(t.name)) towerByName.set(t.name, t);
  for (const task of ir.tasks) {
    if (task.head.kind === 'product') {
      blocks.push({ block: `head/${task.name}`, kind: 'head', params: 0, flops: task.head.of.length - 1 });
      continue;
    }
    const headTower = task.head.tower;
    const tower = towerByName.get(headTower);
    if (!tower) continue;
    const copies = Math.max(1, tower.perScenario.length);
    blocks.push({ block: `head/${task.name}`, kind: 'head', params: denseParams(tower.outputWidth, 1) * copies, flops: (2 * tower.outputWidth + 2) * copies });
  }
  return {
    blocks,
    params: blocks.reduce((s, b) => s + b.params, 0),
    flops: blocks.reduce((s, b) => s + b.flops, 0),
    unknownTables,
  };
}
