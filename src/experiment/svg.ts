// Hand-written SVG charts: small multiples of line plots (loss curves) and of histograms. No
// browser and no chart library: fixed layout, coordinates rounded to 0.1 px, so the same numbers
// always give the same bytes. Text uses DejaVu Sans (the font the PNG renderer is given).
import { xmlText } from '../util/escape.js';

export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
export const FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"';

const esc = xmlText;
export const n1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, '');

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[0] > lo) ticks.unshift(Number((ticks[0] - step).toPrecision(12)));
  if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** Ticks 1, 2, 5 x 10^k covering [lo, hi] (both > 0), for a log axis. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
    for (const m of [1, 2, 5]) ticks.push(Number((m * 10 ** k).toPrecision(6)));
  let first = 0;
  ticks.forEach((t, i) => {
    if (t <= lo) first = i;
  });
  const last = ticks.findIndex((t) => t >= hi);
  return ticks.slice(first, (last < 0 ? ticks.length - 1 : last) + 1);
}

export function tickLabel(t: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return t.toFixed(decimals + (step / 10 ** Math.floor(Math.log10(step) + 1e-9) === 2.5 ? 1 : 0));
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Axes {
  xs: (v: number) => number;
  ys: (v: number) => number;
  parts: string[];
}

/** Frame, grid, ticks and tick labels of one panel; returns the value-to-pixel maps. */
export function axes(
  box: Box,
  xTicks: number[],
  yTicks: number[],
  title: string,
  xLabel: string,
  yLabel: string,
  logY = false,
): Axes {
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]];
  const f = logY ? (v: number) => Math.log10(Math.max(v, yTicks[0])) : (v: number) => v;
  const [y0, y1] = [f(yTicks[0]), f(yTicks[yTicks.length - 1])];
  const xs = (v: number) => box.x + ((v - x0) / (x1 - x0 || 1)) * box.w;
  const ys = (v: number) => box.y + box.h - ((f(v) - y0) / (y1 - y0 || 1)) * box.h;
  const p: string[] = [];
  p.push(
    `<rect x="${n1(box.x)}" y="${n1(box.y)}" width="${n1(box.w)}" height="${n1(box.h)}" fill="#ffffff" stroke="none"/>`,
  );
  for (const t of yTicks) {
    const y = ys(t);
    p.push(
      `<line x1="${n1(box.x)}" y1="${n1(y)}" x2="${n1(box.x + box.w)}" y2="${n1(y)}" stroke="#e6e6e6" stroke-width="1"/>`,
    );
    p.push(`<line x1="${n1(box.x - 4)}" y1="${n1(y)}" x2="${n1(box.x)}" y2="${n1(y)}" stroke="#444444"/>`);
    p.push(
      `<text x="${n1(box.x - 6)}" y="${n1(y + 3.5)}" font-size="10" text-anchor="end" fill="#222222">${esc(logY ? String(t) : tickLabel(t, yTicks))}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = xs(t);
    p.push(
      `<line x1="${n1(x)}" y1="${n1(box.y + box.h)}" x2="${n1(x)}" y2="${n1(box.y + box.h + 4)}" stroke="#444444"/>`,
    );
    p.push(
      `<text x="${n1(x)}" y="${n1(box.y + box.h + 15)}" font-size="10" text-anchor="middle" fill="#222222">${esc(tickLabel(t, xTicks))}</text>`,
    );
  }
  p.push(
    `<rect x="${n1(box.x)}" y="${n1(box.y)}" width="${n1(box.w)}" height="${n1(box.h)}" fill="none" stroke="#444444" stroke-width="1"/>`,
  );
  // a title wider than its panel is broken at ", " (long cell names) and drawn upwards
  const lines = wrapText(title, 12, box.w);
  lines.forEach((line, i) =>
    p.push(
      `<text x="${n1(box.x + box.w / 2)}" y="${n1(box.y - 8 - (lines.length - 1 - i) * 14)}" font-size="12" font-weight="bold" text-anchor="middle" fill="#111111">${esc(line)}</text>`,
    ),
  );
  p.push(
    `<text x="${n1(box.x + box.w / 2)}" y="${n1(box.y + box.h + 32)}" font-size="11" text-anchor="middle" fill="#222222">${esc(xLabel)}</text>`,
  );
  const cy = box.y + box.h / 2;
  p.push(
    `<text x="${n1(box.x - 44)}" y="${n1(cy)}" font-size="11" text-anchor="middle" fill="#222222" transform="rotate(-90 ${n1(box.x - 44)} ${n1(cy)})">${esc(yLabel)}</text>`,
  );
  return { xs, ys, parts: p };
}

/** Rough text width in px at a font size (DejaVu Sans averages about 0.6 em per character). */
export const textWidth = (s: string, size: number) => s.length * size * 0.6;

/** `text` in lines no wider than `width` px, broken after ", " where possible. */
export function wrapText(text: string, size: number, width: number): string[] {
  if (textWidth(text, size) <= width) return [text];
  const parts = text.split(/(?<=, )/);
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.length ? lines[lines.length - 1] : undefined;
    if (last !== undefined && textWidth(last + part, size) <= width) lines[lines.length - 1] = last + part;
    else lines.push(part);
  }
  return lines.map((l) => l.trimEnd());
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'plus';
export const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus'];
/** Dash patterns that stay apart when lines lie on top of each other ('' is solid). */
export const DASHES: readonly string[] = ['', '7 3', '2 2.5', '9 3 2 3', '4 4', '12 2'];

/** A marker of the given shape centred on (x, y). */
export function marker(shape: MarkerShape, x: number, y: number, color: string, r = 3.4): string {
  const pts = (ps: [number, number][]) => ps.map(([a, b]) => `${n1(x + a)},${n1(y + b)}`).join(' ');
  switch (shape) {
    case 'circle':
      return `<circle cx="${n1(x)}" cy="${n1(y)}" r="${n1(r)}" fill="#ffffff" stroke="${color}" stroke-width="1.5"/>`;
    case 'square':
      return `<rect x="${n1(x - r)}" y="${n1(y - r)}" width="${n1(2 * r)}" height="${n1(2 * r)}" fill="${color}" stroke="none"/>`;
    case 'triangle':
      return `<polygon points="${pts([
        [0, -r * 1.2],
        [r * 1.1, r * 0.8],
        [-r * 1.1, r * 0.8],
      ])}" fill="${color}" stroke="none"/>`;
    case 'diamond':
      return `<polygon points="${pts([
        [0, -r * 1.3],
        [r * 1.1, 0],
        [0, r * 1.3],
        [-r * 1.1, 0],
      ])}" fill="#ffffff" stroke="${color}" stroke-width="1.5"/>`;
    case 'cross':
      return `<path d="M${n1(x - r)},${n1(y - r)}L${n1(x + r)},${n1(y + r)}M${n1(x - r)},${n1(y + r)}L${n1(x + r)},${n1(y - r)}" stroke="${color}" stroke-width="1.8"/>`;
    default:
      return `<path d="M${n1(x - r)},${n1(y)}L${n1(x + r)},${n1(y)}M${n1(x)},${n1(y - r)}L${n1(x)},${n1(y + r)}" stroke="${color}" stroke-width="1.8"/>`;
  }
}

export interface LegendItem {
  name: string;
  color: string;
  dash?: string;
  marker?: MarkerShape;
}

export function document(
  contentWidth: number,
  height: number,
  title: string,
  body: string[],
  legend: LegendItem[],
): string {
  const itemW = legend.map((l) => 28 + textWidth(l.name, 12) + 18);
  // wide enough for the title and the legend; the panels are centred
  const width = Math.ceil(Math.max(contentWidth, textWidth(title, 15) + 40, itemW.reduce((s, w) => s + w, 0) + 40));
  const shift = (width - contentWidth) / 2;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n1(width)}" height="${n1(height)}" viewBox="0 0 ${n1(width)} ${n1(height)}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${n1(width / 2)}" y="22" font-size="15" font-weight="bold" text-anchor="middle" fill="#111111">${esc(title)}</text>`,
  ];
  // legend: one row under the title, centred
  let lx = width / 2 - itemW.reduce((s, w) => s + w, 0) / 2;
  legend.forEach((l, i) => {
    if (l.dash !== undefined || l.marker)
      parts.push(
        `<line x1="${n1(lx)}" y1="36" x2="${n1(lx + 22)}" y2="36" stroke="${l.color}" stroke-width="1.8"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
        ...(l.marker ? [marker(l.marker, lx + 11, 36, l.color)] : []),
      );
    else parts.push(`<rect x="${n1(lx)}" y="34" width="22" height="4" fill="${l.color}"/>`);
    parts.push(`<text x="${n1(lx + 28)}" y="40" font-size="12" fill="#222222">${esc(l.name)}</text>`);
    lx += itemW[i];
  });
  const content = shift > 0 ? [`<g transform="translate(${n1(shift)} 0)">`, ...body, '</g>'] : body;
  return [...parts, ...content, '</svg>', ''].join('\n');
}

export interface Series {
  name: string;
  color: string;
  /** (x, y) in x order. */
  points: [number, number][];
  /** Optional shaded band (x, low, high). */
  band?: [number, number, number][];
  /** Dash pattern of the line (SVG stroke-dasharray; '' solid) and a marker drawn at a few points:
   * lines of equal values stay distinguishable. */
  dash?: string;
  marker?: MarkerShape;
}

export interface LinePanel {
  title: string;
  series: Series[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Same y range in every panel (compare panels at a glance). Default true. */
  sharedY?: boolean;
  /** Logarithmic y axis (all values > 0), for losses that fall by orders of magnitude. */
  logY?: boolean;
  columns?: number;
}

const PANEL = { w: 300, h: 210, left: 62, right: 18, top: 34, bottom: 46 };
const HEADER = 54;

export function renderLineChart(panels: LinePanel[], o: LineChartOptions): string {
  const cols = Math.max(1, Math.min(o.columns ?? 3, panels.length));
  const rows = Math.ceil(panels.length / cols);
  const cellW = PANEL.left + PANEL.w + PANEL.right;
  const cellH = PANEL.top + PANEL.h + PANEL.bottom;
  const range = (ps: LinePanel[], pick: (s: Series) => number[]) => {
    const v = ps.flatMap((p) => p.series.flatMap(pick)).filter((x) => Number.isFinite(x) && (!o.logY || x > 0));
    return v.length ? [Math.min(...v), Math.max(...v)] : [0, 1];
  };
  const ys = (s: Series) => [...s.points.map((p) => p[1]), ...(s.band ?? []).flatMap((b) => [b[1], b[2]])];
  const xsOf = (s: Series) => s.points.map((p) => p[0]);
  const sharedY = o.sharedY ?? true;
  const xr = range(panels, xsOf);
  // integer x (epochs): integer ticks only
  const integral = panels.every((p) => p.series.every((s) => s.points.every(([x]) => Number.isInteger(x))));
  let xTicks = niceTicks(xr[0], xr[1], 6);
  if (integral && xTicks.some((t) => !Number.isInteger(t))) {
    xTicks = [];
    for (let t = Math.floor(xr[0]); t <= Math.max(Math.ceil(xr[1]), Math.floor(xr[0]) + 1); t++) xTicks.push(t);
  }
  const body: string[] = [];
  panels.forEach((panel, i) => {
    const box = {
      x: (i % cols) * cellW + PANEL.left,
      y: HEADER + Math.floor(i / cols) * cellH + PANEL.top,
      w: PANEL.w,
      h: PANEL.h,
    };
    const yr = sharedY ? range(panels, ys) : range([panel], ys);
    const ax = axes(
      box,
      xTicks,
      o.logY ? logTicks(yr[0], yr[1]) : niceTicks(yr[0], yr[1], 6),
      panel.title,
      o.xLabel,
      o.yLabel,
      o.logY,
    );
    body.push(`<g>`, ...ax.parts);
    for (const s of panel.series) {
      if (s.band?.length) {
        const up = s.band.map(([x, , hi]) => `${n1(ax.xs(x))},${n1(ax.ys(hi))}`);
        const down = [...s.band].reverse().map(([x, lo]) => `${n1(ax.xs(x))},${n1(ax.ys(lo))}`);
        body.push(
          `<polygon points="${[...up, ...down].join(' ')}" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`,
        );
      }
      const pts = s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => `${n1(ax.xs(x))},${n1(ax.ys(y))}`);
      if (pts.length)
        body.push(
          `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.8" stroke-linejoin="round"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
        );
      if (s.marker) {
        // about 8 markers per line, shifted per series so that equal lines show every marker
        const fin = s.points.filter(([, y]) => Number.isFinite(y));
        const k = panel.series.indexOf(s);
        const every = Math.max(1, fin.length / 8);
        for (let j = every * ((k + 1) / (panel.series.length + 1)); j < fin.length; j += every) {
          const [x, y] = fin[Math.min(fin.length - 1, Math.floor(j))];
          body.push(marker(s.marker, ax.xs(x), ax.ys(y), s.color));
        }
      }
    }
    body.push(`</g>`);
  });
  const legend = dedupe(
    panels.flatMap((p) =>
      p.series.map((s) => ({
        name: s.name,
        color: s.color,
        ...(s.dash !== undefined ? { dash: s.dash } : {}),
        ...(s.marker ? { marker: s.marker } : {}),
      })),
    ),
  );
  return document(cols * cellW, HEADER + rows * cellH, o.title, body, legend);
}

export interface HistogramGridOptions {
  title: string;
  xLabel: string;
  /** Row names (one colour each) and column names. */
  rows: { name: string; color: string }[];
  columns: string[];
  /** The values of one panel. */
  values: (row: number, column: number) => number[];
  bins?: number;
}

/** One histogram per (row, column); bins are shared down each column so rows compare directly. */
export function renderHistogramGrid(o: HistogramGridOptions): string {
  const cols = o.columns.length;
  const cellW = PANEL.left + PANEL.w + PANEL.right;
  const h = 150;
  const cellH = PANEL.top + h + PANEL.bottom;
  const body: string[] = [];
  o.columns.forEach((colName, c) => {
    const all = o.rows.flatMap((_, r) => o.values(r, c)).filter(Number.isFinite);
    const lo = all.length ? Math.min(...all) : 0;
    const hi = all.length ? Math.max(...all) : 1;
    const xTicks = niceTicks(lo, hi, 5);
    const x0 = xTicks[0];
    const x1 = xTicks[xTicks.length - 1];
    const nBins = o.bins ?? Math.max(5, Math.min(30, Math.ceil(2 * Math.sqrt(all.length))));
    const width = (x1 - x0) / nBins || 1;
    const counts = o.rows.map((_, r) => {
      const k = new Array<number>(nBins).fill(0);
      for (const v of o.values(r, c))
        if (Number.isFinite(v)) k[Math.min(nBins - 1, Math.max(0, Math.floor((v - x0) / width)))]++;
      return k;
    });
    const maxCount = Math.max(1, ...counts.flat());
    const yTicks = niceTicks(0, maxCount, Math.min(5, maxCount + 1)).filter((t) => Number.isInteger(t));
    o.rows.forEach((row, r) => {
      const box = { x: c * cellW + PANEL.left, y: HEADER + r * cellH + PANEL.top, w: PANEL.w, h };
      const ax = axes(box, xTicks, yTicks, `${row.name} — ${colName}`, o.xLabel, 'runs');
      body.push(`<g>`, ...ax.parts);
      counts[r].forEach((k, b) => {
        if (!k) return;
        const xa = ax.xs(x0 + b * width) + 0.5;
        const xb = ax.xs(x0 + (b + 1) * width) - 0.5;
        body.push(
          `<rect x="${n1(xa)}" y="${n1(ax.ys(k))}" width="${n1(Math.max(0.5, xb - xa))}" height="${n1(ax.ys(0) - ax.ys(k))}" fill="${row.color}" fill-opacity="0.8"/>`,
        );
      });
      const vs = o.values(r, c).filter(Number.isFinite);
      if (!vs.length)
        body.push(
          `<text x="${n1(box.x + box.w / 2)}" y="${n1(box.y + box.h / 2)}" font-size="11" text-anchor="middle" fill="#777777">no values</text>`,
        );
      if (vs.length) {
        const mx = ax.xs(vs.reduce((s, v) => s + v, 0) / vs.length);
        body.push(
          `<line x1="${n1(mx)}" y1="${n1(box.y)}" x2="${n1(mx)}" y2="${n1(box.y + box.h)}" stroke="#111111" stroke-width="1.2" stroke-dasharray="4 3"/>`,
        );
      }
      body.push(`</g>`);
    });
  });
  return document(cols * cellW, HEADER + o.rows.length * cellH, o.title, body, o.rows);
}

function dedupe(items: LegendItem[]): LegendItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.name) ? false : (seen.add(i.name), true)));
}
