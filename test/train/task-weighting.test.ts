// Task weighting against hand computations: DWA weights from given loss histories (Liu et al.
// 2019, Eq. 1) and the gradients of the uncertainty-weighted objective (Kendall et al. 2018).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { dwaWeights, TaskWeighting } from '../../src/train/task-weighting.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

describe('dwaWeights', () => {
  it('1 for every task while fewer than two epochs have finished', () => {
    expect(dwaWeights([], 2, 2)).toEqual([1, 1]);
    expect(dwaWeights([[0.7, 0.3]], 2, 2)).toEqual([1, 1]);
  });

  it('K softmax(r / T) of the last two epochs’ loss ratios', () => {
    // r = (0.5 / 1.0, 1.8 / 2.0) = (0.5, 0.9); exp(0.25) = 1.2840254, exp(0.45) = 1.5683122,
    // sum 2.8523376: weights 2 x (0.4501660, 0.5498340)
    const w = dwaWeights(
      [
        [9, 9],
        [1.0, 2.0],
        [0.5, 1.8],
      ],
      2,
      2,
    );
    expect(w[0]).toBeCloseTo(0.900332, 5);
    expect(w[1]).toBeCloseTo(1.099668, 5);
  });

  it('a task whose epoch mean was 0 (no row in its sample space) counts as ratio 1', () => {
    // r = (1, 0.5): exp(0.5), exp(0.25) = 1.6487213, 1.2840254; sum 2.9327467
    const w = dwaWeights(
      [
        [0, 2],
        [0.3, 1],
      ],
      2,
      2,
    );
    expect(w[0]).toBeCloseTo((2 * 1.6487213) / 2.9327467, 6);
    expect(w.every(Number.isFinite)).toBe(true);
  });

  it('the temperature flattens the weights: T = 100 gives nearly 1 each; three tasks sum to 3', () => {
    const w = dwaWeights(
      [
        [1, 1, 1],
        [0.5, 1, 2],
      ],
      3,
      100,
    );
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(3, 12);
    // exp(0.005), exp(0.01), exp(0.02) = 1.0050125, 1.0100502, 1.0202013; sum 3.0352640
    expect(w[0]).toBeCloseTo((3 * 1.0050125) / 3.035264, 6);
    expect(w[2]).toBeCloseTo((3 * 1.0202013) / 3.035264, 6);
  });
});

describe('uncertainty weighting', () => {
  const tasks = [
    { name: 'click', type: 'binary' as const, weight: 2 },
    { name: 'price', type: 'regression' as const, weight: 1 },
  ];

  it('objective w_k (c_k exp(-s_k) L_k + s_k / 2) and its gradients', () => {
    const s = [0.2, -0.1];
    const tw = new TaskWeighting(
      tf,
      tasks,
      { method: 'uncertainty', temperature: 2 },
      {
        method: 'uncertainty',
        logVariances: s,
      },
    );
    const L = [tf.scalar(0.8), tf.scalar(0.3)];
    const { value, grads } = tf.variableGrads(() => tw.combine(L));
    // 2 (exp(-0.2) 0.8 + 0.1) + (0.5 exp(0.1) 0.3 - 0.05) = 2 (0.654985 + 0.1) + (0.165776 - 0.05)
    expect(value.dataSync()[0]).toBeCloseTo(2 * (0.6549846 + 0.1) + (0.1657756 - 0.05), 5);
    // d/ds_1 = 2 (-exp(-0.2) 0.8 + 0.5) = 2 (-0.6549846 + 0.5); d/ds_2 = -0.5 exp(0.1) 0.3 + 0.5
    const g = Object.values(grads).map((t) => t.dataSync()[0]);
    expect(g[0]).toBeCloseTo(2 * (-0.6549846 + 0.5), 5);
    expect(g[1]).toBeCloseTo(-0.1657756 + 0.5, 5);
    // the reported weights: w_k c_k exp(-s_k)
    const w = tw.weights();
    expect(w.click).toBeCloseTo(2 * Math.exp(-0.2), 6);
    expect(w.price).toBeCloseTo(0.5 * Math.exp(0.1), 6);
    tw.dispose();
  });

  it('at the optimum of a fixed loss, exp(-s) = 1 / (2 c L): gradient descent on s finds it', () => {
    const tw = new TaskWeighting(
      tf,
      [tasks[0]].map((t) => ({ ...t, weight: 1 })),
      { method: 'uncertainty', temperature: 2 },
    );
    const opt = tf.train.sgd(0.5);
    for (let i = 0; i < 300; i++) opt.minimize(() => tw.combine([tf.scalar(0.4)]));
    // binary, L = 0.4: s* = ln(2 x 0.4) = -0.2231436, the weight exp(-s*) = 1.25
    expect(tw.state().logVariances![0]).toBeCloseTo(-0.2231436, 4);
    expect(tw.weights().click).toBeCloseTo(1.25, 3);
    tw.dispose();
  });

  it('dwa state round-trips: a weighting resumed from its state gives the same next weights', async () => {
    const tw = new TaskWeighting(tf, tasks, { method: 'dwa', temperature: 2 });
    for (const epoch of [
      [0.9, 0.5],
      [0.6, 0.45],
    ]) {
      tw.startEpoch();
      tw.accumulate(tf.tensor1d(epoch));
      tw.accumulate(tf.tensor1d(epoch.map((x) => x * 3)));
      await tw.endEpoch();
    }
    const again = new TaskWeighting(tf, tasks, { method: 'dwa', temperature: 2 }, tw.state());
    tw.startEpoch();
    again.startEpoch();
    // the means were 2x each epoch's value: r = (1.2 / 1.8, 0.9 / 1.0)
    const want = dwaWeights(
      [
        [1.8, 1.0],
        [1.2, 0.9],
      ],
      2,
      2,
    );
    // (the epoch means are float32 sums on the backend)
    expect(tw.weights().click).toBeCloseTo(2 * want[0], 6);
    expect(tw.weights().price).toBeCloseTo(want[1], 6);
    expect(again.weights()).toEqual(tw.weights());
    tw.dispose();
    again.dispose();
  });
});
