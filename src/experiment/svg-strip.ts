// Strip plots of a final metric: one panel per column (a cell or a task), one row per model, every
// seed's value a dot (stacked vertically when they would overlap), with the mean as a bar and
// ±1 std as whiskers. With 3-10 seeds a histogram is mostly empty bins; every value shows here.
import { axes, document, n1, niceTicks, textWidth, type LegendItem } from './svg.js';
import { xmlText as esc } from '../util/escape.js';

export interface StripPlotOptions {
  title: string;
  xLabel: string;
  rows: LegendItem[];
  columns: string[];
  /** The values of one (row, column); an empty list is drawn as "–" (the model has no such target). */
  values: (row: number, column: number) => number[];
  /** Share the x range across columns (default: each column its own). */
  sharedX?: boolean;
}

const ROW_H = 26;
const PANEL_W = 280;

export function renderStripPlot(o: StripPlotOptions): string {
  const labelW = Math.ceil(Math.max(40, ...o.rows.map((r) => textWidth(r.name, 11))) + 14);
  const left = labelW + 8;
  const top = 30;
  const bottom = 46;
  const right = 24;
  const h = o.rows.length * ROW_H + 10;
  const cellW = left + PANEL_W + right;
  const cellH = top + h + bottom;
  const HEADER = 54;
  // at most 4 panels per row
  const perRow = Math.min(4, Math.max(1, o.columns.length));
  const finite = (c: number) => o.rows.flatMap((_, r) => o.values(r, c)).filter(Number.isFinite);
  const everything = o.columns.flatMap((_, c) => finite(c));
  const body: string[] = [];
  o.columns.forEach((colName, c) => {
    const vs = o.sharedX ? everything : finite(c);
    const lo = vs.length ? Math.min(...vs) : 0;
    const hi = vs.length ? Math.max(...vs) : 1;
    const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 0.05;
    const xTicks = niceTicks(lo - pad, hi + pad, 5);
    const box = { x: (c % perRow) * cellW + left, y: HEADER + Math.floor(c / perRow) * cellH + top, w: PANEL_W, h };
    const ax = axes(box, xTicks, [], colName, o.xLabel, '');
    body.push('<g>', ...ax.parts);
    o.rows.forEach((row, r) => {
      const cy = box.y + 5 + r * ROW_H + ROW_H / 2;
      body.push(
        `<text x="${n1(box.x - 8)}" y="${n1(cy + 4)}" font-size="11" text-anchor="end" fill="#222222">${esc(row.name)}</text>`,
      );
      if (r > 0)
        body.push(
          `<line x1="${n1(box.x)}" y1="${n1(cy - ROW_H / 2)}" x2="${n1(box.x + box.w)}" y2="${n1(cy - ROW_H / 2)}" stroke="#eeeeee"/>`,
        );
      const xs = o.values(r, c).filter(Number.isFinite);
      if (!xs.length) {
        body.push(
          `<text x="${n1(box.x + box.w / 2)}" y="${n1(cy + 4)}" font-size="11" text-anchor="middle" fill="#999999">–</text>`,
        );
        return;
      }
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const std = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : Number.NaN;
      if (Number.isFinite(std))
        body.push(
          `<line x1="${n1(ax.xs(mean - std))}" y1="${n1(cy)}" x2="${n1(ax.xs(mean + std))}" y2="${n1(cy)}" stroke="${row.color}" stroke-width="1.5"/>`,
          ...[mean - std, mean + std].map(
            (x) =>
              `<line x1="${n1(ax.xs(x))}" y1="${n1(cy - 5)}" x2="${n1(ax.xs(x))}" y2="${n1(cy + 5)}" stroke="${row.color}" stroke-width="1.5"/>`,
          ),
        );
      body.push(
        `<line x1="${n1(ax.xs(mean))}" y1="${n1(cy - 9)}" x2="${n1(ax.xs(mean))}" y2="${n1(cy + 9)}" stroke="#111111" stroke-width="2"/>`,
      );
      // dots within 5 px of an earlier one move up or down, so every seed stays visible
      const placed: [number, number][] = [];
      for (const x of [...xs].sort((a, b) => a - b)) {
        const px = ax.xs(x);
        const near = placed.filter(([q]) => Math.abs(q - px) < 5).length;
        const dy = near === 0 ? 0 : (near % 2 ? -1 : 1) * Math.ceil(near / 2) * 5;
        placed.push([px, dy]);
        body.push(
          `<circle cx="${n1(px)}" cy="${n1(cy + dy)}" r="3.6" fill="${row.color}" fill-opacity="0.75" stroke="#ffffff" stroke-width="0.6"/>`,
        );
      }
    });
    body.push('</g>');
  });
  const legend: LegendItem[] = [
    ...o.rows,
    { name: 'mean (bar), ±1 std (whiskers), one dot per seed', color: '#111111', dash: '' },
  ];
  return document(perRow * cellW, HEADER + Math.ceil(o.columns.length / perRow) * cellH, o.title, body, legend);
}
