import { escapeHtml } from '../view-filters.js';

// What every chart of this folder shares: an accessible <svg role="img"> named by its <title> and described by
// its <desc>, a linear scale, and "nice" axis ticks. Charts are strings, rendered on the server: no script needed.
export interface ChartText {
  id: string; // unique on the page: the title and desc ids derive from it
  title: string; // the accessible name: states the main message
  description: string; // the one-sentence text summary
}

export function svgOpen(t: ChartText, width: number, height: number, cls: string): string {
  const id = escapeHtml(t.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="cf-svg ${cls}" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="GDS Transport, arial, sans-serif" font-size="14">` +
    `<title id="${id}-title">${escapeHtml(t.title)}</title><desc id="${id}-desc">${escapeHtml(t.description)}</desc>`
  );
}

export const esc = escapeHtml;

// Pixel position of a value: domain [d0, d1] onto range [r0, r1].
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => round(r0 + ((v - d0) / span) * (r1 - r0));
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

// Ticks at 1, 2 or 5 × 10^k from 0 to at least max, about `count` of them.
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function xAxis(
  ticks: number[],
  x: (v: number) => number,
  top: number,
  bottom: number,
  unit: string,
): string {
  return ticks
    .map(
      (t) =>
        `<g class="cf-tick"><line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${bottom}" stroke="#b1b4b6" stroke-width="1"/>` +
        `<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle" fill="#0b0c0c">${esc(format(t))}${esc(unit)}</text></g>`,
    )
    .join('');
}

export function format(v: number): string {
  return Number.isInteger(v)
    ? v.toLocaleString('en-GB')
    : v.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}
