import { wilsonFromProportion, wilsonInterval } from './wilson.js';

// Newcombe RG (1998) Two-sided confidence intervals for the single proportion: comparison of
// seven methods. Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score, no
// continuity correction).
describe('Wilson score interval', () => {
  it.each([
    [81, 263, 0.308, 0.2553, 0.3662],
    [15, 148, 0.1014, 0.0624, 0.1605],
    [0, 10, 0, 0, 0.2775],
  ])('%i/%i matches Newcombe (1998) Table I', (x, n, estimate, lower, upper) => {
    const ci = wilsonInterval(x, n);
    expect(ci).not.toBeNull();
    expect(Math.abs(ci!.estimate - estimate)).toBeLessThan(1e-4);
    expect(Math.abs(ci!.lower - lower)).toBeLessThan(1e-4);
    expect(Math.abs(ci!.upper - upper)).toBeLessThan(1e-4);
  });

  it('gives exactly 0 as the lower limit for 0/n and 1 as the upper limit for n/n', () => {
    expect(wilsonInterval(0, 10)!.lower).toBe(0);
    const all = wilsonInterval(10, 10)!;
    expect(all.upper).toBe(1);
    expect(all.lower).toBeCloseTo(1 - 0.2775, 4); // mirror image of 0/10
  });

  it('returns null when nothing was sampled', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('narrows as confidence falls and widens as it rises', () => {
    const ci90 = wilsonInterval(81, 263, 0.9)!;
    const ci99 = wilsonInterval(81, 263, 0.99)!;
    const ci95 = wilsonInterval(81, 263)!;
    expect(ci90.upper - ci90.lower).toBeLessThan(ci95.upper - ci95.lower);
    expect(ci99.upper - ci99.lower).toBeGreaterThan(ci95.upper - ci95.lower);
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 1.2)).toThrow(RangeError);
  });

  it('collapses to the point for an infinite sample size', () => {
    expect(wilsonFromProportion(0.4, Infinity, 1.96)).toEqual({
      estimate: 0.4,
      lower: 0.4,
      upper: 0.4,
    });
  });
});
