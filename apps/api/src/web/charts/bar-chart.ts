import { esc, format, linear, niceTicks, svgOpen, xAxis, type ChartText } from './chart-frame.js';

export interface BarChartInput extends ChartText {
  categories: string[]; // one group of bars each (e.g. age bands), top to bottom
  series: { name: string; values: number[] }[]; // one bar per category each (e.g. victim sex); values[i] for categories[i]
  unit?: string;
}

const BAR = 14;
const GAP = 12;
const LEFT = 150;
const RIGHT = 60;
const TOP = 40;
const WIDTH = 680;
// GOV.UK Analysis Function palette's first colours; bars also differ by pattern of position and carry their value as text.
const COLOURS = ['#12436d', '#28a197', '#801650', '#f46a25'];

// A grouped horizontal bar chart: for each category one bar per series, each labelled with its value, and a key.
export function barChart(input: BarChartInput): string {
  const max = Math.max(0, ...input.series.flatMap((s) => s.values));
  const ticks = niceTicks(max);
  const x = linear(0, ticks.at(-1)!, LEFT, WIDTH - RIGHT);
  const group = input.series.length * BAR + GAP;
  const bottom = TOP + input.categories.length * group;
  const key = input.series
    .map(
      (s, k) =>
        `<g class="cf-key"><rect x="${LEFT + k * 130}" y="8" width="14" height="14" fill="${COLOURS[k % COLOURS.length]}"/>` +
        `<text x="${LEFT + k * 130 + 20}" y="20" fill="#0b0c0c">${esc(s.name)}</text></g>`,
    )
    .join('');
  const bars = input.categories
    .map((cat, i) => {
      const y0 = TOP + i * group + GAP / 2;
      const label = `<text x="${LEFT - 10}" y="${y0 + (input.series.length * BAR) / 2 + 5}" text-anchor="end" fill="#0b0c0c">${esc(cat)}</text>`;
      return (
        label +
        input.series
          .map((s, k) => {
            const v = s.values[i] ?? 0;
            const y = y0 + k * BAR;
            return (
              `<rect class="cf-bar" x="${LEFT}" y="${y}" width="${x(v) - LEFT}" height="${BAR - 2}" fill="${COLOURS[k % COLOURS.length]}" data-category="${esc(cat)}" data-series="${esc(s.name)}" data-value="${v}">` +
              `<title>${esc(cat)}, ${esc(s.name)}: ${esc(format(v))}</title></rect>` +
              `<text x="${x(v) + 4}" y="${y + BAR - 3}" font-size="12" fill="#0b0c0c">${esc(format(v))}</text>`
            );
          })
          .join('')
      );
    })
    .join('');
  return `${svgOpen(input, WIDTH, bottom + 40, 'cf-bar-chart')}${key}${xAxis(ticks, x, TOP, bottom, input.unit ?? '')}${bars}</svg>`;
}
