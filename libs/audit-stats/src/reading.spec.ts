import { describeOnlineFlagRate, formatPercent } from './reading.js';

describe('plain-language readings', () => {
  it('reads a force rate against the national rate', () => {
    expect(describeOnlineFlagRate('harassment', 0.03, 0.15)).toBe(
      'flags 3% of harassment online against 15% nationally',
    );
    expect(describeOnlineFlagRate('stalking', 0.004, 0.012)).toBe(
      'flags 0.4% of stalking online against 1% nationally',
    );
  });

  it.each([
    [0, '0%'],
    [1, '100%'],
    [0.0004, 'under 0.1%'],
    [0.0006, '0.1%'],
    [0.0049, '0.5%'],
    [0.0099, '1.0%'],
    [0.01, '1%'],
    [0.125, '13%'],
    [0.3449, '34%'],
    [0.99, '99%'],
    [0.994, '99.4%'],
    [0.9996, 'over 99.9%'],
  ])('formats %d as %s', (rate, text) => {
    expect(formatPercent(rate)).toBe(text);
  });

  it('refuses a rate outside [0, 1]', () => {
    expect(() => formatPercent(1.2)).toThrow(RangeError);
    expect(() => formatPercent(Number.NaN)).toThrow(RangeError);
  });
});
