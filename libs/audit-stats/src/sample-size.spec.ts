import { sampleSizeForMargin } from './sample-size.js';

describe('sample size for a margin of error', () => {
  // n0 = 1.959964² × .25 / .05² = 384.146 → 385
  it('is 385 for ±5% at 95% with p = .5 and an infinite population', () => {
    expect(sampleSizeForMargin(0.05)).toBe(385);
  });

  // 384.146 / (1 + 383.146 / 1000) = 277.73 → 278
  it('is 278 for a population of 1,000', () => {
    expect(sampleSizeForMargin(0.05, 0.95, 0.5, 1000)).toBe(278);
  });

  it('handles other margins, confidence levels and expected rates', () => {
    expect(sampleSizeForMargin(0.03)).toBe(1068); // 1067.07
    expect(sampleSizeForMargin(0.05, 0.99)).toBe(664); // 663.49
    expect(sampleSizeForMargin(0.05, 0.95, 0.9)).toBe(139); // 138.29
  });

  it('never exceeds the population and is at least 1', () => {
    expect(sampleSizeForMargin(0.01, 0.95, 0.5, 50)).toBeLessThanOrEqual(50);
    expect(sampleSizeForMargin(0.05, 0.95, 0.5, 1)).toBe(1);
    expect(sampleSizeForMargin(0.05, 0.95, 0, 1000)).toBe(1);
    expect(sampleSizeForMargin(0.05, 0.95, 0.5, 0)).toBe(0);
  });

  it('refuses nonsense', () => {
    expect(() => sampleSizeForMargin(0)).toThrow(RangeError);
    expect(() => sampleSizeForMargin(0.05, 0.95, 1.5)).toThrow(RangeError);
    expect(() => sampleSizeForMargin(0.05, 0.95, 0.5, 10.5)).toThrow(RangeError);
  });
});
