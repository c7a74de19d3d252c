// The STAR part of the float64 reference forward pass (reference.ts), row by row from the
// paper's equations (Sheng et al., CIKM 2021):
//   star layer (Eq. 4), row of scenario p: y = x (W ⊙ W_p) + (b + b_p); unknown scenario: x W + b;
//   auxiliary network (Sec. 3.4): its logit, from [groups, scenario embedding], is added to the
//   task's logit before the sigmoid.
// Weights are read from the built model by layer name; no tfjs op is used.
import type { ModelIR, TaskIR, TowerIR } from '../../src/compiler/ir.js';
import { layerName } from '../../src/compiler/build/index.js';
import { activate, affine, mlpForward, type Mat, type Row } from './reference.js';

const BN_EPSILON = 1e-3;

interface StarArgs {
  ir: ModelIR;
  task: TaskIR;
  tower: TowerIR;
  /** The tower's input rows. */
  x: Mat;
  groups: Map<string, Mat>;
  scenarioIdx: number[] | undefined;
  scenarioEmb: Mat | null;
  weights: (layer: string) => unknown[];
}

/** One row through a StarDense layer's weights [K, b, K_s, b_s] for scenario s. */
function starAffine(row: Row, w: unknown[], s: number): Row {
  const [K, b, SK, SB] = w as [Mat, Row, Mat[], Mat];
  const known = s >= 0 && s < SK.length;
  return b.map((bj, j) => {
    let v = bj + (known ? SB[s][j] : 0);
    for (let i = 0; i < row.length; i++) v += row[i] * K[i][j] * (known ? SK[s][i][j] : 1);
    return v;
  });
}

export function starTaskForward(a: StarArgs): number[] {
  const { ir, task, tower, weights } = a;
  const idx = a.scenarioIdx ?? [];
  const rows = a.x.length;
  let logits: number[];
  if (tower.star) {
    logits = a.x.map((row, i) => {
      let h = row;
      tower.units.forEach((_, j) => {
        const z = starAffine(h, weights(layerName.tower(tower.name, 'dense', j)), idx[i]);
        const bn = tower.batchNorm ? (weights(layerName.tower(tower.name, 'bn', j)) as Row[]) : null;
        h = z.map((v, k) =>
          activate(
            tower.activation,
            bn ? ((v - bn[2][k]) / Math.sqrt(bn[3][k] + BN_EPSILON)) * bn[0][k] + bn[1][k] : v,
          ),
        );
      });
      return starAffine(h, weights(layerName.head(task.name)), idx[i])[0];
    });
  } else {
    const dense = (layer: string) => {
      const [K, b] = weights(layer) as [Mat, Row];
      return { K, b };
    };
    const copies = tower.perScenario.length > 0 ? tower.perScenario.map((_, s) => s) : [undefined];
    const perCopy = copies.map((s) => {
      const h = mlpForward(a.x, tower, (j) => {
        const d = dense(layerName.tower(tower.name, 'dense', j, s));
        if (!tower.batchNorm) return d;
        const [gamma, beta, mean, variance] = weights(layerName.tower(tower.name, 'bn', j, s)) as Row[];
        return { ...d, bn: { gamma, beta, mean, variance } };
      });
      return affine(h, dense(layerName.head(task.name, s))).map((r) => r[0]);
    });
    // per-scenario logits: the row's own; an unknown scenario the mean logit
    logits = Array.from({ length: rows }, (_, i) => {
      if (perCopy.length === 1 && copies[0] === undefined) return perCopy[0][i];
      const s = idx[i];
      return s >= 0 && s < perCopy.length ? perCopy[s][i] : perCopy.reduce((t, c) => t + c[i], 0) / perCopy.length;
    });
  }
  const aux = ir.scenarioAuxiliary;
  if (aux?.tasks.includes(task.name)) {
    const emb = a.scenarioEmb as Mat;
    const xin = Array.from({ length: rows }, (_, i) => [
      ...aux.inputs.flatMap((r) => (a.groups.get(r.name) as Mat)[i]),
      ...emb[idx[i]],
    ]);
    const h = mlpForward(xin, aux, (j) => {
      const [K, b] = weights(`aux_dense${j}`) as [Mat, Row];
      if (!aux.batchNorm) return { K, b };
      const [gamma, beta, mean, variance] = weights(`aux_bn${j}`) as Row[];
      return { K, b, bn: { gamma, beta, mean, variance } };
    });
    const [K, b] = weights(`aux_head_${task.name}`) as [Mat, Row];
    const out = affine(h, { K, b });
    logits = logits.map((l, i) => l + out[i][0]);
  }
  return logits.map((l) => activate(task.type === 'binary' ? 'sigmoid' : 'linear', l));
}
