// Line chart of shares over time (months): one line per series, values 0–1. Server-rendered SVG.
import { esc, frame, pct, r2, ticks } from './svg.js';

export interface LineSeries {
  name: string;
  colour: string;
  values: (number | null)[];
}
export interface LineChartInput {
  id: string;
  title: string;
  description: string;
  labels: string[];
  series: LineSeries[];
}

const W = 720;
const H = 300;
const M = { top: 20, right: 150, bottom: 50, left: 56 };

export function lineChart(input: LineChartInput): string {
  const n = input.labels.length;
  const x = (i: number) => r2(M.left + (n <= 1 ? 0.5 : i / (n - 1)) * (W - M.left - M.right));
  const y = (v: number) => r2(M.top + (1 - v) * (H - M.top - M.bottom));
  const parts: string[] = [];
  for (const t of ticks(1, 5))
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e6e7"/><text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="12">${pct(t, 0)}</text>`,
    );
  input.labels.forEach((l, i) =>
    parts.push(
      `<text x="${x(i)}" y="${H - M.bottom + 18}" text-anchor="middle" font-size="11">${esc(l)}</text>`,
    ),
  );
  parts.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#0b0c0c"/>`,
  );
  input.series.forEach((s, k) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i)},${y(v)}`;
      pen = true;
    });
    const dots = s.values
      .map((v, i) =>
        v === null ? '' : `<circle cx="${x(i)}" cy="${y(v)}" r="3" fill="${s.colour}"/>`,
      )
      .join('');
    parts.push(
      `<g class="series" data-name="${esc(s.name)}"><path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${k ? ' stroke-dasharray="6 3"' : ''}/>${dots}</g>`,
    );
    const ly = M.top + 10 + k * 20;
    parts.push(
      `<line x1="${W - M.right + 12}" x2="${W - M.right + 32}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${k ? ' stroke-dasharray="6 3"' : ''}/><text x="${W - M.right + 36}" y="${ly + 4}" font-size="11">${esc(s.name)}</text>`,
    );
  });
  return frame(input.id, W, H, input.title, input.description, parts.join(''));
}
