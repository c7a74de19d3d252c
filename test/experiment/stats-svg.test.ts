// Statistics and the hand-written SVG: checked against direct computations and for determinism.
import { describe, expect, it } from 'vitest';
import { pairedDifference, summarize } from '../../src/experiment/stats.js';
import { niceTicks, renderHistogramGrid, renderLineChart } from '../../src/experiment/svg.js';
import { fmt } from '../../src/experiment/results-md.js';

describe('summary statistics', () => {
  it('mean, sample std (n - 1) and SE', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(summarize([7])).toMatchObject({ n: 1, mean: 7 });
    expect(summarize([7]).std).toBeNaN();
    expect(summarize([]).n).toBe(0);
  });

  it('paired differences match by key', () => {
    const d = pairedDifference(
      new Map([
        [1, 1],
        [2, 2],
        [3, 4],
      ]),
      new Map([
        [1, 2],
        [2, 2.5],
        [3, 5],
        [9, 0],
      ]),
    );
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(-(1 + 0.5 + 1) / 3, 12);
    expect(d.aLower).toBe(3);
    expect(d.ratio).toBeCloseTo(d.mean / d.se, 12);
  });

  it('formats numbers for tables', () => {
    expect(fmt(0.123456)).toBe('0.1235');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmt(0.00091234)).toBe('0.00091');
    expect(fmt(-0.006)).toBe('-0.0060');
    expect(fmt(1.2e-9)).toBe('1.2e-9');
  });
});

describe('svg charts', () => {
  it('niceTicks covers the range with round steps', () => {
    expect(niceTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 0.87, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.1, 0.85, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(1, 20, 6)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(3, 3, 5).length).toBeGreaterThan(1);
  });

  const panels = [
    {
      title: 'rho = 0.5 & <b>',
      series: [
        {
          name: 'mmoe',
          color: '#1f77b4',
          points: [
            [1, 2],
            [2, 1.5],
            [3, 1.2],
          ] as [number, number][],
          band: [
            [1, 1.9, 2.1],
            [2, 1.4, 1.6],
            [3, 1.1, 1.3],
          ] as [number, number, number][],
        },
      ],
    },
    {
      title: 'rho = 1',
      series: [
        {
          name: 'mmoe',
          color: '#1f77b4',
          points: [
            [1, 1],
            [2, 0.8],
            [3, 0.7],
          ] as [number, number][],
        },
      ],
    },
  ];

  it('line charts are deterministic, escaped, one panel per cell', () => {
    const a = renderLineChart(panels, { title: 't', xLabel: 'epoch', yLabel: 'loss' });
    expect(renderLineChart(panels, { title: 't', xLabel: 'epoch', yLabel: 'loss' })).toBe(a);
    expect(a).toContain('rho = 0.5 &amp; &lt;b&gt;');
    expect(a.match(/<polyline /g)).toHaveLength(2);
    expect(a.match(/<polygon /g)).toHaveLength(1);
    // integer x (epochs): no fractional tick labels
    const xLabels = [...a.matchAll(/font-size="10" text-anchor="middle" fill="#222222">([^<]*)</g)].map((m) => m[1]);
    expect([...new Set(xLabels)]).toEqual(['1', '2', '3']);
  });

  it('histograms count every value once', () => {
    const svg = renderHistogramGrid({
      title: 'h',
      xLabel: 'x',
      rows: [{ name: 'a', color: '#000' }],
      columns: ['c'],
      values: () => [0.1, 0.1, 0.5, 0.9],
      bins: 4,
    });
    const heights = [
      ...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#000" fill-opacity="0.8"/g),
    ].map((m) => Number(m[1]));
    // three bars: two runs, one, one; the tallest is twice the others
    expect(heights).toHaveLength(3);
    expect(Math.max(...heights)).toBeCloseTo(2 * Math.min(...heights), 0);
  });
});
