// Focal loss and label smoothing against the formulas computed here in plain numbers, through
// taskLoss (the masked mean the loop minimises).
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { taskLoss } from '../../src/train/loss.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('cpu'));
});

const p = [0.9, 0.2, 0.6, 0.3];
const y = [1, 0, 1, 1];
const mask = [1, 1, 1, 0];
const mean = (f: (p: number, y: number) => number) =>
  p.reduce((s, pi, i) => s + mask[i] * f(pi, y[i]), 0) / mask.reduce((s, m) => s + m, 0);

function value(task: Partial<TaskIR>): number {
  const t = { loss: 'binary_crossentropy', ...task } as TaskIR;
  return taskLoss(tf, t, tf.tensor1d(p), tf.tensor1d(y), tf.tensor1d(mask)).dataSync()[0];
}

describe('binary loss options', () => {
  it('focal loss, gamma 2, alpha 0.25 (Lin et al. 2017, Eq. 5)', () => {
    const fl = (q: number, t: number) => {
      const pt = t === 1 ? q : 1 - q;
      const at = t === 1 ? 0.25 : 0.75;
      return -at * (1 - pt) ** 2 * Math.log(pt);
    };
    // row 1: -0.25 x 0.01 x ln 0.9 = 0.000263; row 2: -0.75 x 0.04 x ln 0.8 = 0.006694;
    // row 3: -0.25 x 0.16 x ln 0.6 = 0.020433
    expect(value({ focal: { gamma: 2, alpha: 0.25 } })).toBeCloseTo(mean(fl), 6);
    expect(mean(fl)).toBeCloseTo((0.000263401 + 0.006694306 + 0.020432915) / 3, 7);
  });

  it('focal loss without alpha and gamma 0 is the cross-entropy', () => {
    const ce = (q: number, t: number) => -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
    expect(value({ focal: { gamma: 0, alpha: null } })).toBeCloseTo(mean(ce), 6);
    expect(value({})).toBeCloseTo(mean(ce), 6);
  });

  it('focal loss with gamma 1.5 and no alpha', () => {
    const fl = (q: number, t: number) => {
      const pt = t === 1 ? q : 1 - q;
      return -((1 - pt) ** 1.5) * Math.log(pt);
    };
    expect(value({ focal: { gamma: 1.5, alpha: null } })).toBeCloseTo(mean(fl), 6);
  });

  it('label smoothing 0.1: targets 0.95 and 0.05', () => {
    const ls = (q: number, t: number) => {
      const s = t === 1 ? 0.95 : 0.05;
      return -(s * Math.log(q) + (1 - s) * Math.log(1 - q));
    };
    expect(value({ labelSmoothing: 0.1 })).toBeCloseTo(mean(ls), 6);
    // row 1 by hand: -(0.95 ln 0.9 + 0.05 ln 0.1) = 0.100093 + 0.115129 = 0.215222
    expect(ls(0.9, 1)).toBeCloseTo(0.2152218, 6);
  });

  it('smoothing and focal together: the focal terms on the smoothed target', () => {
    const both = (q: number, t: number) => {
      const s = t === 1 ? 0.9 : 0.1;
      return -(0.25 * s * (1 - q) ** 2 * Math.log(q) + 0.75 * (1 - s) * q ** 2 * Math.log(1 - q));
    };
    expect(value({ labelSmoothing: 0.2, focal: { gamma: 2, alpha: 0.25 } })).toBeCloseTo(mean(both), 6);
  });

  it('has a finite gradient', () => {
    const t = { loss: 'binary_crossentropy', focal: { gamma: 2, alpha: 0.25 }, labelSmoothing: 0.1 } as TaskIR;
    const g = tf.grad((x) => taskLoss(tf, t, x, tf.tensor1d(y), tf.tensor1d(mask)))(tf.tensor1d(p));
    const gs = Array.from(g.dataSync());
    expect(gs.slice(0, 3).every((v) => Number.isFinite(v) && v !== 0)).toBe(true);
    expect(gs[3]).toBe(0); // masked out
  });
});
