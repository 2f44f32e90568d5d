import { barChart } from './bar-chart.js';
import { niceTicks } from './chart-frame.js';
import { dotPlot } from './dot-plot.js';
import { dumbbell } from './dumbbell.js';

// Marks read back from the SVG string: every element of a class with its numeric attributes.
function marks(svg: string, tag: string, cls: string): Record<string, string>[] {
  const re = new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g');
  return [...svg.matchAll(re)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

describe('dot plot', () => {
  const input = {
    id: 'rate',
    title: 'Online-flag rate by force',
    description: 'Kent is highest.',
    items: [
      { label: 'Kent', value: 12.5 },
      { label: 'Essex', value: 5 },
      { label: 'Dorset & Poole', value: 8 },
    ],
    reference: { label: 'England and Wales', value: 8 },
    unit: '%',
  };

  it('draws one dot per force at its value and the reference line at the national rate', () => {
    const svg = dotPlot(input);
    const dots = marks(svg, 'circle', 'cf-dot');
    expect(dots.map((d) => [d['data-label'], Number(d['data-value'])])).toEqual([
      ['Kent', 12.5],
      ['Essex', 5],
      ['Dorset &amp; Poole', 8],
    ]);
    // scale: ticks 0..15 (step 5) over x 210..650, so 1 unit = 440/15 px
    const px = (v: number) => Math.round((210 + (v / 15) * 440) * 100) / 100;
    expect(dots.map((d) => Number(d.cx))).toEqual([px(12.5), px(5), px(8)]);
    const [ref] = marks(svg, 'line', 'cf-reference-line');
    expect(Number(ref.x1)).toBe(px(8));
    expect(ref.x1).toBe(ref.x2);
    // the force at the national rate sits exactly on the line
    expect(Number(dots[2].cx)).toBe(Number(ref.x1));
  });

  it('is an image named by its title and described by its summary, with text escaped', () => {
    const svg = dotPlot(input);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="rate-title rate-desc"/);
    expect(svg).toContain(
      '<title id="rate-title">Online-flag rate by force</title><desc id="rate-desc">Kent is highest.</desc>',
    );
    expect(svg).not.toContain('Dorset & Poole');
  });

  it('draws no dots and no line for no data', () => {
    const svg = dotPlot({ ...input, items: [], reference: undefined });
    expect(marks(svg, 'circle', 'cf-dot')).toHaveLength(0);
    expect(marks(svg, 'line', 'cf-reference-line')).toHaveLength(0);
  });
});

describe('grouped bar chart', () => {
  it('draws one bar per age band and sex, its length proportional to the count', () => {
    const svg = barChart({
      id: 'cso',
      title: 'Child sexual offences',
      description: 'Most victims are girls aged 13 to 15.',
      categories: ['0-4', '5-9', '10-12', '13-15', '16-17', 'Age not known'],
      series: [
        { name: 'Female', values: [0, 2, 5, 20, 8, 1] },
        { name: 'Male', values: [1, 0, 3, 6, 2, 0] },
      ],
    });
    const bars = marks(svg, 'rect', 'cf-bar');
    expect(bars).toHaveLength(12);
    expect(
      bars.filter((b) => b['data-series'] === 'Female').map((b) => Number(b['data-value'])),
    ).toEqual([0, 2, 5, 20, 8, 1]);
    // ticks 0..20 over x 150..620: width = value × 470 / 20
    for (const b of bars)
      expect(Number(b.width)).toBeCloseTo((Number(b['data-value']) * 470) / 20, 1);
    expect(
      bars.find((b) => b['data-category'] === '13-15' && b['data-series'] === 'Male')?.[
        'data-value'
      ],
    ).toBe('6');
  });
});

describe('dumbbell chart', () => {
  it('draws a pair per force, from the earlier value to the later', () => {
    const svg = dumbbell({
      id: 'yoy',
      title: 'Change by force',
      description: 'Two forces rose.',
      from: '2023-24',
      to: '2024-25',
      items: [
        { label: 'Kent', from: 10, to: 40 },
        { label: 'Essex', from: 30, to: 20 },
      ],
    });
    const from = marks(svg, 'circle', 'cf-from');
    const to = marks(svg, 'circle', 'cf-to');
    const lines = marks(svg, 'line', 'cf-change');
    expect(from).toHaveLength(2);
    expect(to).toHaveLength(2);
    // ticks 0..40 over x 210..650: 11 px per unit
    expect(from.map((c) => Number(c.cx))).toEqual([320, 540]);
    expect(to.map((c) => Number(c.cx))).toEqual([650, 430]);
    expect(lines.map((l) => [Number(l.x1), Number(l.x2)])).toEqual([
      [320, 650],
      [540, 430],
    ]);
  });
});

describe('nice ticks', () => {
  it('steps by 1, 2 or 5 × 10^k and covers the maximum', () => {
    expect(niceTicks(12.5)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
