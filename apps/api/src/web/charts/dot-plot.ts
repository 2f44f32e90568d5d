import { esc, format, linear, niceTicks, svgOpen, xAxis, type ChartText } from './chart-frame.js';

export interface DotPlotInput extends ChartText {
  items: { label: string; value: number }[]; // one dot each, drawn in the order given
  reference?: { label: string; value: number }; // a vertical line across every row (e.g. the England and Wales rate)
  unit?: string; // after each tick value: '%'
}

const ROW = 22;
const LEFT = 210;
const RIGHT = 30;
const TOP = 30;
const WIDTH = 680;

// A dot plot: one row per item with a dot at its value, and an optional reference line. Each dot carries its
// label and value (data-label, data-value) and a <title> tooltip; the caller puts the data table beside it.
export function dotPlot(input: DotPlotInput): string {
  const max = Math.max(0, ...input.items.map((i) => i.value), input.reference?.value ?? 0);
  const ticks = niceTicks(max);
  const x = linear(0, ticks.at(-1)!, LEFT, WIDTH - RIGHT);
  const bottom = TOP + input.items.length * ROW;
  const height = bottom + 40;
  const unit = input.unit ?? '';
  const rows = input.items
    .map((item, i) => {
      const y = TOP + i * ROW + ROW / 2;
      return (
        `<g class="cf-row"><text x="${LEFT - 10}" y="${y + 5}" text-anchor="end" fill="#0b0c0c">${esc(item.label)}</text>` +
        `<line x1="${LEFT}" x2="${x(item.value)}" y1="${y}" y2="${y}" stroke="#b1b4b6" stroke-dasharray="2 3"/>` +
        `<circle class="cf-dot" cx="${x(item.value)}" cy="${y}" r="6" fill="#1d70b8" data-label="${esc(item.label)}" data-value="${item.value}">` +
        `<title>${esc(item.label)}: ${esc(format(item.value))}${esc(unit)}</title></circle></g>`
      );
    })
    .join('');
  const ref = input.reference
    ? `<g class="cf-reference"><line class="cf-reference-line" x1="${x(input.reference.value)}" x2="${x(input.reference.value)}" y1="${TOP - 8}" y2="${bottom}" stroke="#d4351c" stroke-width="2" stroke-dasharray="6 3" data-value="${input.reference.value}"/>` +
      `<text x="${x(input.reference.value)}" y="${TOP - 12}" text-anchor="middle" fill="#d4351c">${esc(input.reference.label)}: ${esc(format(input.reference.value))}${esc(unit)}</text></g>`
    : '';
  return `${svgOpen(input, WIDTH, height, 'cf-dot-plot')}${xAxis(ticks, x, TOP, bottom, unit)}${rows}${ref}</svg>`;
}
