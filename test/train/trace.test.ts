// The training trace's loss windows: means over `window` consecutive batches, never across an
// epoch's end, each labelled with the run's step count at its last batch.
import { describe, expect, it } from 'vitest';
import { LOSS_POINTS, TraceRecorder } from '../../src/train/trace.js';

describe('training trace', () => {
  it('averages the batch losses per window and closes a window at the end of each epoch', () => {
    // 2 epochs of 12 batches with a 1000-step budget: window ceil(1000 / 200) = 5
    const t = new TraceRecorder(1000, 12);
    expect(LOSS_POINTS).toBe(200);
    expect(t.trace.window).toBe(5);
    const loss = (e: number, b: number) => 100 * e + b;
    for (let e = 1; e <= 2; e++) for (let b = 1; b <= 12; b++) t.batch(e, b, loss(e, b));
    const mean = (e: number, from: number, to: number) => {
      let s = 0;
      for (let b = from; b <= to; b++) s += loss(e, b);
      return s / (to - from + 1);
    };
    expect(t.trace.loss).toEqual([
      { step: 5, loss: mean(1, 1, 5) },
      { step: 10, loss: mean(1, 6, 10) },
      { step: 12, loss: mean(1, 11, 12) },
      { step: 17, loss: mean(2, 1, 5) },
      { step: 22, loss: mean(2, 6, 10) },
      { step: 24, loss: mean(2, 11, 12) },
    ]);
  });

  it('keeps every batch when the run is shorter than LOSS_POINTS steps', () => {
    const t = new TraceRecorder(3, 3);
    [0.5, 0.25, 0.125].forEach((l, i) => t.batch(1, i + 1, l));
    expect(t.trace).toEqual({
      window: 1,
      loss: [
        { step: 1, loss: 0.5 },
        { step: 2, loss: 0.25 },
        { step: 3, loss: 0.125 },
      ],
      gateEntropy: [],
    });
  });
});
