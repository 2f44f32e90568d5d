// Forest plot: one row per stratum (and the overall estimate), each a point estimate with its interval's ends.
// Server-rendered SVG; the interval ends are drawn exactly at the bounds given (tests check them).
import { esc, frame, pct, r2, ticks } from './svg.js';

export interface ForestRow {
  label: string;
  estimate: number;
  lower: number;
  upper: number;
  overall?: boolean;
}
export interface ForestInput {
  id: string;
  title: string;
  description: string;
  rows: ForestRow[];
}

const W = 480;
const ROW = 34;
const M = { top: 16, right: 24, bottom: 44, left: 160 };

export function forestScales(input: ForestInput): {
  height: number;
  x: (v: number) => number;
  y: (i: number) => number;
} {
  const height = M.top + M.bottom + ROW * Math.max(1, input.rows.length);
  return {
    height,
    x: (v) => r2(M.left + v * (W - M.left - M.right)),
    y: (i) => r2(M.top + ROW * i + ROW / 2),
  };
}

export function forestPlot(input: ForestInput): string {
  const s = forestScales(input);
  const bottom = s.height - M.bottom;
  const parts: string[] = [];
  for (const t of ticks(1, 5)) {
    parts.push(
      `<line x1="${s.x(t)}" x2="${s.x(t)}" y1="${M.top}" y2="${bottom}" stroke="#e5e6e7"/><text x="${s.x(t)}" y="${bottom + 18}" text-anchor="middle" font-size="12">${pct(t, 0)}</text>`,
    );
  }
  parts.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${bottom}" y2="${bottom}" stroke="#0b0c0c"/>`,
  );
  parts.push(
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${s.height - 8}" text-anchor="middle" font-size="13">Accuracy (95% Wilson interval)</text>`,
  );
  input.rows.forEach((row, i) => {
    const y = s.y(i);
    const colour = row.overall ? '#0b0c0c' : '#1d70b8';
    const mark = row.overall
      ? `<path class="estimate" d="M${s.x(row.estimate) - 7},${y}L${s.x(row.estimate)},${y - 7}L${s.x(row.estimate) + 7},${y}L${s.x(row.estimate)},${y + 7}Z" fill="${colour}"/>`
      : `<rect class="estimate" x="${s.x(row.estimate) - 5}" y="${y - 5}" width="10" height="10" fill="${colour}"/>`;
    parts.push(
      `<g class="row${row.overall ? ' overall' : ''}" data-label="${esc(row.label)}" data-lower="${row.lower}" data-upper="${row.upper}" data-estimate="${row.estimate}">` +
        `<text x="${M.left - 10}" y="${y + 4}" text-anchor="end" font-size="12"${row.overall ? ' font-weight="bold"' : ''}>${esc(row.label)}</text>` +
        `<line class="interval" x1="${s.x(row.lower)}" x2="${s.x(row.upper)}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="2"/>` +
        `<line x1="${s.x(row.lower)}" x2="${s.x(row.lower)}" y1="${y - 5}" y2="${y + 5}" stroke="${colour}" stroke-width="2"/>` +
        `<line x1="${s.x(row.upper)}" x2="${s.x(row.upper)}" y1="${y - 5}" y2="${y + 5}" stroke="${colour}" stroke-width="2"/>` +
        `${mark}</g>`,
    );
  });
  return frame(input.id, W, s.height, input.title, input.description, parts.join(''));
}
