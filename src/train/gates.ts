// Gate diagnostics: what the gates do on a data set. For each gate, the mean weight of each
// expert it mixes and the mean per-example entropy of its weights; warnings when a gate has
// collapsed onto one expert, or when an expert carries almost no weight in any gate.
import type * as tfType from '@tensorflow/tfjs';
import { layerName } from '../compiler/build/names.js';
import type { ModelIR } from '../compiler/ir.js';
import { reachability } from '../compiler/reachability.js';
import { inputTensors, type ModelData, type Tf } from './dataset.js';
import { modelInputNames } from './evaluate.js';

export interface GateReport {
  gate: string;
  level: number;
  /** Expert labels in mixing order: "pool[i]". */
  experts: string[];
  meanWeight: number[];
  /** Mean per-example entropy of the gate weights, in nats, and divided by log(#experts). */
  entropy: number;
  normalizedEntropy: number;
}

export interface GateDiagnostics {
  gates: GateReport[];
  warnings: string[];
}

/** A gate has collapsed when one expert takes more than this share of its mean weight. */
export const COLLAPSE_SHARE = 0.9;
/** An expert is unused when no gate gives it more than this mean weight. */
export const UNUSED_WEIGHT = 0.02;

export async function gateDiagnostics(
  tf: Tf,
  ir: ModelIR,
  model: tfType.LayersModel,
  data: ModelData,
  maxRows = 4096,
  batchSize = 1024,
): Promise<GateDiagnostics> {
  // a gate that reaches no task output is not in the model (reachability.ts)
  const built = reachability(ir).gates;
  const gates = ir.levels.flatMap((l) =>
    l.gates
      .filter((g) => built.has(g.name))
      .map((g) => ({ g, layer: model.getLayer(layerName.gateSoftmax(l.index, g.name)) })),
  );
  if (gates.length === 0 || data.n === 0) return { gates: [], warnings: [] };
  const probe = tf.model({ inputs: model.inputs, outputs: gates.map((x) => x.layer.output as tfType.SymbolicTensor) });
  const n = Math.min(maxRows, data.n);
  const sums = gates.map((x) => new Float64Array(x.g.numExperts));
  const ent = new Float64Array(gates.length);
  const names = modelInputNames(model);
  for (let start = 0; start < n; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const xs = inputTensors(tf, data, rows, names);
    const outs = probe.predict(xs) as tfType.Tensor | tfType.Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    for (let k = 0; k < gates.length; k++) {
      const w = await list[k].data();
      const e = gates[k].g.numExperts;
      for (let r = 0; r < rows.length; r++) {
        let h = 0;
        for (let j = 0; j < e; j++) {
          const p = w[r * e + j];
          sums[k][j] += p;
          if (p > 0) h -= p * Math.log(p);
        }
        ent[k] += h;
      }
    }
    tf.dispose([...xs, ...list]);
  }
  const reports: GateReport[] = gates.map(({ g }, k) => {
    const level = ir.levels[g.level];
    const experts = g.pools.flatMap((p) =>
      Array.from({ length: level.pools.find((x) => x.name === p)!.count }, (_, i) => `${p}[${i}]`),
    );
    const entropy = ent[k] / n;
    return {
      gate: g.name,
      level: g.level,
      experts,
      meanWeight: [...sums[k]].map((s) => s / n),
      entropy,
      normalizedEntropy: g.numExperts > 1 ? entropy / Math.log(g.numExperts) : 0,
    };
  });
  const warnings: string[] = [];
  const bestUse = new Map<string, number>();
  for (const r of reports) {
    if (r.experts.length < 2) continue;
    const top = Math.max(...r.meanWeight);
    if (top > COLLAPSE_SHARE)
      warnings.push(
        `gate ${r.gate} has collapsed: ${(top * 100).toFixed(1)}% of its weight goes to ${r.experts[r.meanWeight.indexOf(top)]}`,
      );
    r.experts.forEach((e, i) =>
      bestUse.set(`${r.level}:${e}`, Math.max(bestUse.get(`${r.level}:${e}`) ?? 0, r.meanWeight[i])),
    );
  }
  for (const [key, w] of bestUse)
    if (w < UNUSED_WEIGHT)
      warnings.push(
        `expert ${key.split(':')[1]} (level ${Number(key.split(':')[0]) + 1}) is used by no gate (at most ${(w * 100).toFixed(1)}% mean weight)`,
      );
  return { gates: reports, warnings };
}
