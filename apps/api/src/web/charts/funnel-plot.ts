// Funnel plot (Spiegelhalter 2005): each force's rate against its number of records, with control limits around
// the national rate p: p ± z·√(p(1−p)/n), z = 1.96 (95%) and 3.09 (99.8%), clipped to [0, 1]. Server-rendered SVG.
import { esc, frame, pct, r2, ticks } from './svg.js';

export const Z95 = 1.96;
export const Z998 = 3.09;

export interface FunnelPoint {
  label: string;
  n: number;
  rate: number;
  highlight?: boolean;
}
export interface FunnelInput {
  id: string;
  title: string;
  description: string;
  nationalRate: number;
  points: FunnelPoint[];
}

export function funnelLimits(p: number, n: number, z: number): { lower: number; upper: number } {
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return { lower: Math.max(0, p - half), upper: Math.min(1, p + half) };
}

const W = 720;
const H = 420;
const M = { top: 20, right: 130, bottom: 50, left: 60 };

// The scales the plot uses, exported so that tests can check marks against values.
export function funnelScales(input: FunnelInput): {
  xMax: number;
  yMax: number;
  nMin: number;
  x: (n: number) => number;
  y: (rate: number) => number;
} {
  const ns = input.points.map((p) => p.n);
  const xMax = Math.max(10, ...ns) * 1.05;
  const nMin = Math.max(1, Math.min(xMax / 40, ...ns) * 0.5);
  const top = Math.max(
    input.nationalRate,
    ...input.points.map((p) => p.rate),
    funnelLimits(input.nationalRate, Math.max(nMin, Math.min(...ns, xMax)), Z998).upper,
  );
  const yMax = Math.min(1, Math.ceil((top * 1.1) / 0.05) * 0.05 || 0.05);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  return {
    xMax,
    yMax,
    nMin,
    x: (n) => r2(M.left + (n / xMax) * plotW),
    y: (rate) => r2(M.top + (1 - Math.min(rate, yMax) / yMax) * plotH),
  };
}

export function funnelPlot(input: FunnelInput): string {
  const s = funnelScales(input);
  const p = input.nationalRate;
  // Vertices of the limit curves: a geometric grid from nMin to xMax, plus every force's n (so each dot has
  // its limits exactly on the curve).
  const grid = new Set<number>(input.points.map((pt) => pt.n));
  for (let i = 0; i <= 60; i++) grid.add(s.nMin * (s.xMax / s.nMin) ** (i / 60));
  const ns = [...grid].sort((a, b) => a - b);
  const curve = (z: number, side: 'lower' | 'upper') =>
    ns.map((n, i) => `${i ? 'L' : 'M'}${s.x(n)},${s.y(funnelLimits(p, n, z)[side])}`).join('');
  const xt = ticks(s.xMax / 1.05);
  const yt = ticks(s.yMax);
  const parts: string[] = [];
  parts.push(
    `<defs><clipPath id="${esc(input.id)}-clip"><rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/></clipPath></defs>`,
  );
  for (const t of yt)
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${s.y(t)}" y2="${s.y(t)}" stroke="#e5e6e7"/><text x="${M.left - 6}" y="${s.y(t) + 4}" text-anchor="end" font-size="12">${pct(t, 0)}</text>`,
    );
  for (const t of xt)
    parts.push(
      `<text x="${s.x(t)}" y="${H - M.bottom + 18}" text-anchor="middle" font-size="12">${t.toLocaleString('en-GB')}</text>`,
    );
  parts.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#0b0c0c"/>`,
  );
  parts.push(
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#0b0c0c"/>`,
  );
  parts.push(
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 10}" text-anchor="middle" font-size="13">Number of crimes</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13">Online flag rate</text>`,
  );
  parts.push(
    `<g clip-path="url(#${esc(input.id)}-clip)" fill="none">` +
      `<line class="national" x1="${M.left}" x2="${W - M.right}" y1="${s.y(p)}" y2="${s.y(p)}" stroke="#0b0c0c" stroke-width="1.5" data-rate="${p}"/>` +
      `<path class="limit limit-95 limit-95-upper" d="${curve(Z95, 'upper')}" stroke="#1d70b8" stroke-dasharray="6 4" stroke-width="1.5"/>` +
      `<path class="limit limit-95 limit-95-lower" d="${curve(Z95, 'lower')}" stroke="#1d70b8" stroke-dasharray="6 4" stroke-width="1.5"/>` +
      `<path class="limit limit-998 limit-998-upper" d="${curve(Z998, 'upper')}" stroke="#d4351c" stroke-width="1.5"/>` +
      `<path class="limit limit-998 limit-998-lower" d="${curve(Z998, 'lower')}" stroke="#d4351c" stroke-width="1.5"/></g>`,
  );
  for (const pt of [...input.points].sort(
    (a, b) => Number(a.highlight ?? false) - Number(b.highlight ?? false),
  )) {
    const cx = s.x(pt.n);
    const cy = s.y(pt.rate);
    parts.push(
      `<g class="point${pt.highlight ? ' highlight' : ''}" data-label="${esc(pt.label)}" data-n="${pt.n}" data-rate="${pt.rate}">` +
        `<circle cx="${cx}" cy="${cy}" r="${pt.highlight ? 6 : 4}" fill="${pt.highlight ? '#d4351c' : '#505a5f'}" stroke="#fff"/>` +
        `<text x="${cx + 8}" y="${cy + 4}" font-size="11"${pt.highlight ? ' font-weight="bold"' : ''}>${esc(pt.label)}</text></g>`,
    );
  }
  // Legend, right of the plot.
  const lx = W - M.right + 12;
  parts.push(
    `<g class="legend" font-size="11"><line x1="${lx}" x2="${lx + 20}" y1="${M.top + 10}" y2="${M.top + 10}" stroke="#0b0c0c" stroke-width="1.5"/><text x="${lx + 24}" y="${M.top + 14}">National rate</text>` +
      `<line x1="${lx}" x2="${lx + 20}" y1="${M.top + 30}" y2="${M.top + 30}" stroke="#1d70b8" stroke-dasharray="6 4" stroke-width="1.5"/><text x="${lx + 24}" y="${M.top + 34}">95% limits</text>` +
      `<line x1="${lx}" x2="${lx + 20}" y1="${M.top + 50}" y2="${M.top + 50}" stroke="#d4351c" stroke-width="1.5"/><text x="${lx + 24}" y="${M.top + 54}">99.8% limits</text></g>`,
  );
  return frame(input.id, W, H, input.title, input.description, parts.join(''));
}
