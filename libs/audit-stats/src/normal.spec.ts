import { erfc, normalCdf, normalQuantile, twoSidedPValue, zForConfidence } from './normal.js';

// Reference values from Python 3 (math.erfc, statistics.NormalDist), i.e. the C library.
describe('standard normal functions', () => {
  it.each([
    [-3, 1.9999779095030015],
    [-1, 1.842700792949715],
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [1.99, 0.004888586800383003],
    [2, 0.004677734981047265],
    [2.5, 0.0004069520174449589],
    [3, 2.2090496998585438e-5],
    [4, 1.541725790028002e-8],
    [5, 1.5374597944280351e-12],
    [6, 2.1519736712498916e-17],
    [10, 2.088487583762545e-45],
  ])('erfc(%d) matches the reference to a relative 1e-12', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
  });

  it('gives the normal CDF', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517796, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301035, 15);
  });

  it('gives two-sided p-values', () => {
    expect(twoSidedPValue(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedPValue(-1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedPValue(0)).toBe(1);
  });

  it.each([
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.02, -2.0537489106318225],
    [0.025, -1.9599639845400538],
    [0.3, -0.5244005127080407],
    [0.5, 0],
    [0.975, 1.9599639845400536],
    [0.995, 2.5758293035489],
    [0.9999, 3.7190164854557084],
  ])('normalQuantile(%d) is %d', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 12);
  });

  it('z for 95% confidence is 1.959964 to 6 decimal places', () => {
    expect(zForConfidence(0.95).toFixed(6)).toBe('1.959964');
    expect(zForConfidence(0.99).toFixed(6)).toBe('2.575829');
  });

  it('refuses probabilities and confidence levels outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => zForConfidence(1)).toThrow(RangeError);
    expect(() => zForConfidence(0)).toThrow(RangeError);
  });
});
