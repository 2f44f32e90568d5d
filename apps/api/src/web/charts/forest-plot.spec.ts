import { wilsonInterval } from '#libs/audit-stats';
import { forestPlot, forestScales, type ForestInput } from './forest-plot.js';

// Intervals from the Wilson formula for fixed tallies: each line's ends must sit exactly at the bounds.
const tallies = [
  ['Fraud', 18, 20],
  ['Harassment', 9, 12],
  ['Stalking', 5, 5],
] as const;
const rows = tallies.map(([label, k, n]) => ({ label, ...wilsonInterval(k, n)! }));
const input: ForestInput = {
  id: 'fp',
  title: 'Flag accuracy by offence group',
  description: 'd',
  rows: [...rows, { label: 'Overall', ...wilsonInterval(32, 37)!, overall: true }],
};

describe('forest plot', () => {
  it('draws every interval from its lower to its upper Wilson bound, with the estimate between', () => {
    const svg = forestPlot(input);
    const s = forestScales(input);
    const drawn = [
      ...svg.matchAll(
        /data-label="([^"]+)"[^>]*>.*?<line class="interval" x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)"/g,
      ),
    ].map((m) => ({ label: m[1], x1: Number(m[2]), x2: Number(m[3]), y: Number(m[4]) }));
    expect(drawn).toHaveLength(4);
    input.rows.forEach((r, i) => {
      expect(drawn[i]).toEqual({ label: r.label, x1: s.x(r.lower), x2: s.x(r.upper), y: s.y(i) });
    });
    // 18/20: Wilson 95% is about [0.699, 0.972]; 5/5 reaches 1
    expect(rows[0].lower).toBeCloseTo(0.699, 3);
    expect(rows[0].upper).toBeCloseTo(0.9721, 3);
    expect(drawn[2].x2).toBe(s.x(1));
    expect(s.x(0)).toBe(160);
    expect(s.x(1)).toBe(456);
  });

  it('marks the overall row as a diamond and names the image by its title', () => {
    const svg = forestPlot(input);
    expect(svg.match(/<g class="row overall"/g)).toHaveLength(1);
    expect(svg.match(/<rect class="estimate"/g)).toHaveLength(3);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="fp-title fp-desc"/);
    expect(svg).toContain('<title id="fp-title">Flag accuracy by offence group</title>');
  });
});
