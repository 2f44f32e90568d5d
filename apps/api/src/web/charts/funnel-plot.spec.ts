import { funnelLimits, funnelPlot, funnelScales, type FunnelInput } from './funnel-plot.js';

// A known example: national rate 20%, forces of 100, 400 and 2,500 crimes.
// At n = 100 the standard error is √(0.2·0.8/100) = 0.04, so the limits are 0.2 ± 1.96·0.04 = [0.1216, 0.2784]
// (95%) and 0.2 ± 3.09·0.04 = [0.0764, 0.3236] (99.8%).
const input: FunnelInput = {
  id: 'f',
  title: 'Online flag rate by force',
  description: 'd',
  nationalRate: 0.2,
  points: [
    { label: 'Alpha', n: 100, rate: 0.1 },
    { label: 'Beta & Co', n: 400, rate: 0.22, highlight: true },
    { label: 'Gamma', n: 2500, rate: 0.19 },
  ],
};

function vertices(svg: string, cls: string): { x: number; y: number }[] {
  const m = new RegExp(`class="limit [^"]*${cls}" d="([^"]+)"`).exec(svg);
  if (!m) throw new Error(`no path ${cls}`);
  return [...m[1].matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((v) => ({
    x: Number(v[1]),
    y: Number(v[2]),
  }));
}

describe('funnel plot', () => {
  it('computes the control limits p ± z·√(p(1−p)/n), clipped to [0, 1]', () => {
    expect(funnelLimits(0.2, 100, 1.96).lower).toBeCloseTo(0.1216, 10);
    expect(funnelLimits(0.2, 100, 1.96).upper).toBeCloseTo(0.2784, 10);
    expect(funnelLimits(0.2, 100, 3.09).lower).toBeCloseTo(0.0764, 10);
    expect(funnelLimits(0.2, 100, 3.09).upper).toBeCloseTo(0.3236, 10);
    expect(funnelLimits(0.02, 10, 3.09)).toEqual({
      lower: 0,
      upper: expect.closeTo(0.02 + 3.09 * Math.sqrt(0.0196 / 10), 10),
    });
    expect(funnelLimits(0.9, 2, 3.09).upper).toBe(1);
  });

  it('draws each limit curve through the known values at every force’s n, and the national line at p', () => {
    const svg = funnelPlot(input);
    const s = funnelScales(input);
    const at = (cls: string, n: number) => vertices(svg, cls).find((v) => v.x === s.x(n));
    expect(at('limit-95-upper', 100)?.y).toBe(s.y(0.2784));
    expect(at('limit-95-lower', 100)?.y).toBe(s.y(0.1216));
    expect(at('limit-998-upper', 100)?.y).toBe(s.y(0.3236));
    expect(at('limit-998-lower', 100)?.y).toBe(s.y(0.0764));
    // n = 400: se = 0.02
    expect(at('limit-95-upper', 400)?.y).toBe(s.y(0.2 + 1.96 * 0.02));
    expect(at('limit-998-lower', 400)?.y).toBe(s.y(0.2 - 3.09 * 0.02));
    expect(svg).toContain(`class="national" x1="60" x2="590" y1="${s.y(0.2)}" y2="${s.y(0.2)}"`);
    // the 95% limits lie inside the 99.8% ones everywhere
    const u95 = vertices(svg, 'limit-95-upper');
    const u998 = vertices(svg, 'limit-998-upper');
    u95.forEach((v, i) => expect(v.y).toBeGreaterThanOrEqual(u998[i].y));
  });

  it('labels every force as a dot at (n, rate), escapes names, and is an image named by its title', () => {
    const svg = funnelPlot(input);
    const s = funnelScales(input);
    const dots = [
      ...svg.matchAll(
        /<g class="point[^"]*" data-label="([^"]+)"[^>]*><circle cx="([\d.]+)" cy="([\d.]+)"/g,
      ),
    ].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(dots).toEqual(
      expect.arrayContaining([
        ['Alpha', s.x(100), s.y(0.1)],
        ['Beta &amp; Co', s.x(400), s.y(0.22)],
        ['Gamma', s.x(2500), s.y(0.19)],
      ]),
    );
    expect(dots).toHaveLength(3);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="f-title f-desc"/);
    expect(svg).toContain('<title id="f-title">Online flag rate by force</title>');
    expect(svg).toContain('>Beta &amp; Co</text>');
  });
});
