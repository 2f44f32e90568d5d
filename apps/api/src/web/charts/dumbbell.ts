import { esc, format, linear, niceTicks, svgOpen, xAxis, type ChartText } from './chart-frame.js';

export interface DumbbellInput extends ChartText {
  from: string; // the earlier year's label
  to: string; // the later year's
  items: { label: string; from: number; to: number }[];
  unit?: string;
}

const ROW = 24;
const LEFT = 210;
const RIGHT = 30;
const TOP = 40;
const WIDTH = 680;

// A dumbbell chart of change: per row an open circle at the earlier value, a filled one at the later, joined.
export function dumbbell(input: DumbbellInput): string {
  const max = Math.max(0, ...input.items.flatMap((i) => [i.from, i.to]));
  const ticks = niceTicks(max);
  const x = linear(0, ticks.at(-1)!, LEFT, WIDTH - RIGHT);
  const bottom = TOP + input.items.length * ROW;
  const unit = input.unit ?? '';
  const key =
    `<g class="cf-key"><circle cx="${LEFT + 6}" cy="16" r="6" fill="#ffffff" stroke="#12436d" stroke-width="2"/><text x="${LEFT + 18}" y="21" fill="#0b0c0c">${esc(input.from)}</text>` +
    `<circle cx="${LEFT + 126}" cy="16" r="6" fill="#12436d"/><text x="${LEFT + 138}" y="21" fill="#0b0c0c">${esc(input.to)}</text></g>`;
  const rows = input.items
    .map((item, i) => {
      const y = TOP + i * ROW + ROW / 2;
      const title = `${item.label}: ${format(item.from)}${unit} in ${input.from}, ${format(item.to)}${unit} in ${input.to}`;
      return (
        `<g class="cf-pair" data-label="${esc(item.label)}" data-from="${item.from}" data-to="${item.to}"><title>${esc(title)}</title>` +
        `<text x="${LEFT - 10}" y="${y + 5}" text-anchor="end" fill="#0b0c0c">${esc(item.label)}</text>` +
        `<line class="cf-change" x1="${x(item.from)}" x2="${x(item.to)}" y1="${y}" y2="${y}" stroke="#12436d" stroke-width="3"/>` +
        `<circle class="cf-from" cx="${x(item.from)}" cy="${y}" r="6" fill="#ffffff" stroke="#12436d" stroke-width="2"/>` +
        `<circle class="cf-to" cx="${x(item.to)}" cy="${y}" r="6" fill="#12436d"/></g>`
      );
    })
    .join('');
  return `${svgOpen(input, WIDTH, bottom + 40, 'cf-dumbbell')}${key}${xAxis(ticks, x, TOP, bottom, unit)}${rows}</svg>`;
}
