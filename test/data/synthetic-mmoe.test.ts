import { describe, expect, it } from 'vitest';
import { generateMmoeSynthetic, labelCorrelation, pearson } from '../../src/data/synthetic-mmoe.js';
import type { NumberColumn } from '../../src/data/table.js';

const values = (t: ReturnType<typeof generateMmoeSynthetic>, name: string) =>
  (t.columns.get(name) as NumberColumn).values;

describe('mmoe-synthetic generator', () => {
  it('has columns x0..x99, y1, y2 by default', () => {
    const t = generateMmoeSynthetic({ rows: 10, seed: 1, correlation: 0.5 });
    expect(t.rowCount).toBe(10);
    expect([...t.columns.keys()]).toEqual([...Array.from({ length: 100 }, (_, j) => `x${j}`), 'y1', 'y2']);
  });

  it('is deterministic for a seed; train and test streams differ', () => {
    const a = generateMmoeSynthetic({ rows: 50, seed: 3, correlation: 0.5 });
    expect(generateMmoeSynthetic({ rows: 50, seed: 3, correlation: 0.5 })).toEqual(a);
    const test = generateMmoeSynthetic({ rows: 50, seed: 3, correlation: 0.5, stream: 'test' });
    expect(values(test, 'x0')).not.toEqual(values(a, 'x0'));
    expect(values(generateMmoeSynthetic({ rows: 50, seed: 4, correlation: 0.5 }), 'x0')).not.toEqual(values(a, 'x0'));
  });

  it('shares the task functions between streams (same seed, same w and sines)', () => {
    // Linear, noise-free tasks (m = 0, noise 0): y1 = w1 . x exactly. Recover w1 from 5 train
    // rows (d = 5) and check that it predicts every test row: both streams share w1.
    const params = { m: 0, noise: 0, d: 5 };
    const train = generateMmoeSynthetic({ rows: 20, seed: 8, correlation: 0.3, params });
    const test = generateMmoeSynthetic({ rows: 20, seed: 8, correlation: 0.3, params, stream: 'test' });
    const X = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, j) => values(train, `x${j}`)[r]));
    const w = solve(
      X,
      Array.from({ length: 5 }, (_, r) => values(train, 'y1')[r]),
    );
    for (let r = 0; r < 20; r++) {
      let pred = 0;
      for (let j = 0; j < 5; j++) pred += w[j] * values(test, `x${j}`)[r];
      expect(pred).toBeCloseTo(values(test, 'y1')[r], 6);
    }
  });

  it.each([0, 0.5, 1])('with m = 0 the label correlation is about rho = %s', (rho) => {
    const t = generateMmoeSynthetic({ rows: 20000, seed: 5, correlation: rho, params: { m: 0 } });
    // corr = c^2 rho / (c^2 + noise) = rho / 1.01 for the defaults; sampling error ~0.007.
    expect(labelCorrelation(t)).toBeCloseTo(rho / 1.01, 1);
    expect(Math.abs(labelCorrelation(t) - rho / 1.01)).toBeLessThan(0.03);
  });

  it('rejects unknown params and bad values', () => {
    expect(() => generateMmoeSynthetic({ rows: 1, seed: 1, correlation: 0, params: { dims: 3 } })).toThrow(
      'mmoe-synthetic: unknown param "dims"; known params: d, c, m, noise',
    );
    expect(() => generateMmoeSynthetic({ rows: 1, seed: 1, correlation: 0, params: { m: 1.5 } })).toThrow(
      /param "m" must be an integer/,
    );
    expect(() => generateMmoeSynthetic({ rows: 1, seed: 1, correlation: 2 })).toThrow(
      /correlation must be in \[-1, 1\]/,
    );
  });

  it('computes Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });
});

/** Gaussian elimination with partial pivoting (small systems, for the test only). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}
