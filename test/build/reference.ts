// An independent forward pass in plain float64 JS, written from the papers' equations and the
// IR, reading the built model's weights by layer name. Nothing here uses tfjs ops, so it checks
// the layer graph, not a re-run of it.
//   MMoE (Ma et al. 2018, Eq. 5-6): y_k = h_k(f^k(x)), f^k(x) = sum_i g^k(x)_i f_i(x),
//     g^k(x) = softmax(W_gk x)  (here softmax(W_gk x / T), optionally top-k renormalised)
//   CGC / PLE (Tang et al. 2020, Eq. 1-4): a task gate mixes its own and the shared experts;
//     level l+1's experts read level l's gate outputs.
//   ESMM (Ma et al. 2018, Eq. 2): pCTCVR = pCTR x pCVR.
//   Multi-scenario: gates also read a scenario embedding; per-scenario towers, chosen by the
//     row's scenario (unknown scenario: the mean of the towers' outputs).
//   STAR (Sheng et al. 2021, Eq. 4): star-reference.ts.
import type { LayersModel } from '@tensorflow/tfjs';
import type { GateIR, MlpIR, ModelIR } from '../../src/compiler/ir.js';
import { LEAKY_RELU_ALPHA, SCENARIO_INPUT, layerName, type Lowering } from '../../src/compiler/build/index.js';
import type { Batch } from './fixtures.js';
import { starTaskForward } from './star-reference.js';

export type Row = number[];
export type Mat = Row[];
export interface DenseParams {
  K: Mat; // [in][out]
  b: Row;
  bn?: { gamma: Row; beta: Row; mean: Row; variance: Row };
}

const BN_EPSILON = 1e-3; // Keras / tfjs BatchNormalization default

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), odd extension.
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export function activate(name: string, x: number): number {
  switch (name) {
    case 'relu':
      return Math.max(0, x);
    case 'leaky_relu':
      return x > 0 ? x : LEAKY_RELU_ALPHA * x;
    case 'elu':
      return x > 0 ? x : Math.exp(x) - 1;
    case 'selu':
      return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * (Math.exp(x) - 1);
    case 'gelu':
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'swish':
      return x / (1 + Math.exp(-x));
    case 'linear':
      return x;
    default:
      throw new Error(`reference: unknown activation ${name}`);
  }
}

export function affine(x: Mat, p: DenseParams): Mat {
  return x.map((row) =>
    p.b.map((bj, j) => {
      let s = bj;
      for (let i = 0; i < row.length; i++) s += row[i] * p.K[i][j];
      return s;
    }),
  );
}

/** Dense -> [BatchNorm (inference form)] -> activation; dropout is the identity at inference. */
export function mlpForward(x: Mat, m: MlpIR, layer: (j: number) => DenseParams): Mat {
  let h = x;
  m.units.forEach((_, j) => {
    const p = layer(j);
    h = affine(h, p).map((row) =>
      row.map((v, k) => {
        const z = p.bn
          ? ((v - p.bn.mean[k]) / Math.sqrt(p.bn.variance[k] + BN_EPSILON)) * p.bn.gamma[k] + p.bn.beta[k]
          : v;
        return activate(m.activation, z);
      }),
    );
  });
  return h;
}

export function softmaxRow(z: Row): Row {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Keep the k largest weights (ties: lower index first), renormalise. */
export function topKRow(p: Row, k: number | null): Row {
  if (k === null || k >= p.length) return p;
  const keep = new Set(
    p
      .map((v, i) => [v, i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, k)
      .map(([, i]) => i),
  );
  const kept = p.map((v, i) => (keep.has(i) ? v : 0));
  const s = kept.reduce((a, b) => a + b, 0);
  return kept.map((v) => v / s);
}

function cols(m: Mat, from: number, n: number): Mat {
  return m.map((r) => r.slice(from, from + n));
}

/**
 * DIN target attention (Zhou et al., KDD 2018, Fig. 2), per row: for each non-padding value h of
 * the sequence and the target t (rows of one table), a = w . MLP([h, t, h - t, h * t]) + c; the
 * pooled vector is sum a h (or sum softmax(a) h over the non-padding values); no value: zeros.
 */
function dinPool(
  feature: string,
  a: NonNullable<ModelIR['features'][number]['attention']>,
  seqIds: number[][],
  targetIds: number[][],
  table: Mat,
  dense: (layer: string) => DenseParams,
): Mat {
  const layers = a.units.map((_, j) => dense(layerName.attention(feature, 'dense', j)));
  const score = dense(layerName.attentionScore(feature));
  const affine = (p: DenseParams, x: Row) => p.b.map((b, o) => x.reduce((s, v, i) => s + v * p.K[i][o], b));
  return seqIds.map((ids, r) => {
    const t = table[targetIds[r][0]];
    const values = ids.filter((id) => id !== 0).map((id) => table[id]);
    const scores = values.map((h) => {
      let x = [...h, ...t, ...h.map((v, d) => v - t[d]), ...h.map((v, d) => v * t[d])];
      for (const p of layers) x = affine(p, x).map((v) => activate(a.activation, v));
      return affine(score, x)[0];
    });
    let w = scores;
    if (a.softmax && scores.length) {
      const m = Math.max(...scores);
      const e = scores.map((z) => Math.exp(z - m));
      const z = e.reduce((s, v) => s + v, 0);
      w = e.map((v) => v / z);
    }
    return t.map((_, d) => values.reduce((s, h, k) => s + w[k] * h[d], 0));
  });
}

/** x K, no bias. */
function matmul(x: Mat, K: Mat): Mat {
  return affine(x, { K, b: new Array<number>(K[0].length).fill(0) });
}

export function referenceForward(
  model: LayersModel,
  ir: ModelIR,
  batch: Batch,
  lowering: Lowering,
): Record<string, number[]> {
  const weights = (layer: string) =>
    model
      .getLayer(layer)
      .getWeights()
      .map((t) => t.arraySync() as unknown);
  const has = (layer: string) => model.layers.some((l) => l.name === layer);
  const dense = (layer: string): DenseParams => {
    const [K, b] = weights(layer) as [Mat, Row];
    return { K, b };
  };
  const bnOf = (layer: string) => {
    const [gamma, beta, mean, variance] = weights(layer) as Row[];
    return { gamma, beta, mean, variance };
  };
  const rows = Object.values(batch)[0].length;

  // Features and groups.
  const vectors = new Map<string, Mat>();
  for (const f of ir.features) {
    const x = batch[f.name];
    if (f.kind === 'numeric') {
      vectors.set(
        f.name,
        x.map((r) => [r[0]]),
      );
      continue;
    }
    const [table] = weights(layerName.table(f.embedding ?? '')) as [Mat];
    if (f.kind !== 'sequence') {
      vectors.set(
        f.name,
        x.map((r) => [...table[r[0]]]),
      );
      continue;
    }
    if (f.attention) {
      vectors.set(f.name, dinPool(f.name, f.attention, x, batch[f.attention.target], table, dense));
      continue;
    }
    vectors.set(
      f.name,
      x.map((ids) => {
        const items = ids.filter((id) => id !== 0).map((id) => table[id]);
        const dim = table[0].length;
        if (items.length === 0) return new Array<number>(dim).fill(0);
        return Array.from({ length: dim }, (_, d) => {
          const vals = items.map((v) => v[d]);
          if (f.pooling === 'max') return Math.max(...vals);
          const sum = vals.reduce((a, b) => a + b, 0);
          return f.pooling === 'sum' ? sum : sum / vals.length;
        });
      }),
    );
  }
  const concatRows = (parts: Mat[]): Mat => Array.from({ length: rows }, (_, i) => parts.flatMap((p) => p[i]));
  const groups = new Map(ir.groups.map((g) => [g.name, concatRows(g.features.map((n) => vectors.get(n) as Mat))]));
  const scenarioIdx = batch[SCENARIO_INPUT]?.map((r) => r[0]);
  const scenarioEmb = has(layerName.scenarioTable) ? (weights(layerName.scenarioTable)[0] as Mat) : null;

  // Levels.
  const gateOut = new Map<string, Mat>();
  for (const level of ir.levels) {
    const read = (refs: { kind: string; name: string }[]) =>
      concatRows(refs.map((r) => (r.kind === 'group' ? groups.get(r.name) : gateOut.get(r.name)) as Mat));
    const experts = new Map<string, Mat[]>();
    for (const p of level.pools) {
      const x = read(p.inputs);
      const fused = lowering.experts === 'fused' && p.count > 1 && !p.cross;
      // DCN-v2 (Wang et al. 2021, Eq. 1): x_{l+1} = x_0 * (x_l W + b) + x_l, W = U V when low-rank.
      const crossed = (e: number): Mat => {
        if (!p.cross) return x;
        const prefix = `l${level.index}_pool_${p.name}_e${e}`;
        let xl = x;
        for (let j = 0; j < p.cross.layers; j++) {
          const low = p.cross.rank === null ? xl : matmul(xl, weights(`${prefix}_cross${j}_down`)[0] as Mat);
          const z = affine(low, dense(`${prefix}_cross${j}`));
          xl = xl.map((r, i) => r.map((v, k) => x[i][k] * z[i][k] + v));
        }
        return xl;
      };
      experts.set(
        p.name,
        Array.from({ length: p.count }, (_, e) =>
          mlpForward(crossed(e), p, (j) => {
            const u = p.units[j];
            if (!fused) {
              const d = dense(layerName.expert(level.index, p.name, e, 'dense', j));
              return p.batchNorm ? { ...d, bn: bnOf(layerName.expert(level.index, p.name, e, 'bn', j)) } : d;
            }
            // Fused: expert e owns columns e*u .. (e+1)*u of layer 0, and slice e of GroupedDense kernels.
            const w = weights(layerName.fusedExperts(level.index, p.name, 'dense', j));
            const K = j === 0 ? cols(w[0] as Mat, e * u, u) : (w[0] as Mat[])[e];
            const b = (w[1] as Row).slice(e * u, (e + 1) * u);
            if (!p.batchNorm) return { K, b };
            const bn = bnOf(layerName.fusedExperts(level.index, p.name, 'bn', j));
            const sl = (r: Row) => r.slice(e * u, (e + 1) * u);
            return {
              K,
              b,
              bn: { gamma: sl(bn.gamma), beta: sl(bn.beta), mean: sl(bn.mean), variance: sl(bn.variance) },
            };
          }),
        ),
      );
    }
    // Gate logits: one Dense per gate, or (fused) column slices of one Dense per input set.
    const logitParams = new Map<string, DenseParams>();
    if (lowering.gates === 'fused') {
      const byInput = new Map<string, GateIR[]>();
      for (const g of level.gates) {
        const key = g.inputs.map((r) => `${r.kind}:${r.name}`).join('|') + (g.scenarioAware ? '+s' : '');
        byInput.set(key, [...(byInput.get(key) ?? []), g]);
      }
      let k = 0;
      for (const gates of byInput.values()) {
        if (gates.length < 2) continue;
        const d = dense(layerName.fusedGates(level.index, k++));
        let at = 0;
        for (const g of gates) {
          logitParams.set(g.name, { K: cols(d.K, at, g.numExperts), b: d.b.slice(at, at + g.numExperts) });
          at += g.numExperts;
        }
      }
    }
    const outs = new Map<string, Mat>();
    for (const g of level.gates) {
      let x = read(g.inputs);
      if (g.scenarioAware) x = x.map((r, i) => [...r, ...(scenarioEmb as Mat)[scenarioIdx[i]]]);
      const logits = affine(x, logitParams.get(g.name) ?? dense(layerName.gate(level.index, g.name)));
      const mixed = g.pools.flatMap((n) => experts.get(n) as Mat[]);
      outs.set(
        g.name,
        logits.map((z, i) => {
          const w = topKRow(softmaxRow(z.map((v) => v / g.temperature)), g.topK);
          return Array.from({ length: g.outputWidth }, (_, d) => mixed.reduce((s, f, e) => s + w[e] * f[i][d], 0));
        }),
      );
    }
    for (const [n, m] of outs) gateOut.set(n, m);
    for (const p of level.pools) if (p.count === 1) gateOut.set(`pool:${p.name}`, (experts.get(p.name) as Mat[])[0]);
  }

  // Towers, heads, products.
  const towerIn = (ref: { kind: string; name: string }) =>
    gateOut.get(ref.kind === 'pool' ? `pool:${ref.name}` : ref.name) as Mat;
  const result: Record<string, number[]> = {};
  const taskOut = (name: string): number[] => {
    if (result[name]) return result[name];
    const task = ir.tasks.find((t) => t.name === name);
    if (!task) throw new Error(`reference: no task ${name}`);
    if (task.head.kind === 'product') {
      const parts = task.head.of.map(taskOut);
      result[name] = parts[0].map((_, i) => parts.reduce((p, v) => p * v[i], 1));
      return result[name];
    }
    const towerName = task.head.tower;
    const tower = ir.towers.find((t) => t.name === towerName);
    if (!tower) throw new Error(`reference: no tower ${towerName}`);
    const x = towerIn(tower.input);
    if (tower.star || ir.scenarioAuxiliary) {
      // STAR towers and heads, and the auxiliary logit: star-reference.ts
      result[name] = starTaskForward({ ir, task, tower, x, groups, scenarioIdx, scenarioEmb, weights });
      return result[name];
    }
    const copies = tower.perScenario.length > 0 ? tower.perScenario.map((_, s) => s) : [undefined];
    const heads = copies.map((s) => {
      const h = mlpForward(x, tower, (j) => {
        const d = dense(layerName.tower(tower.name, 'dense', j, s));
        return tower.batchNorm ? { ...d, bn: bnOf(layerName.tower(tower.name, 'bn', j, s)) } : d;
      });
      return affine(h, dense(layerName.head(task.name, s))).map((r) =>
        activate(task.type === 'binary' ? 'sigmoid' : 'linear', r[0]),
      );
    });
    result[name] =
      copies.length === 1 && copies[0] === undefined
        ? heads[0]
        : heads[0].map((_, i) => {
            const s = scenarioIdx[i];
            return s >= 0 && s < heads.length ? heads[s][i] : heads.reduce((a, h) => a + h[i], 0) / heads.length;
          });
    return result[name];
  };
  for (const t of ir.tasks) taskOut(t.name);
  return result;
}
