import { suppressExtremes } from './index.js';

describe('extreme values (youngest victim age at force level)', () => {
  it('withholds the youngest age when fewer than the threshold share it', () => {
    // one victim aged 9 among 50: publishing "youngest victim: 9" points at one child (FOIA s.40(2))
    expect(suppressExtremes({ value: 9, count: 1, populationCount: 50 })).toBeNull();
    expect(suppressExtremes({ value: 9, count: 4 })).toBeNull();
  });

  it('publishes it when enough victims share it', () => {
    expect(suppressExtremes({ value: 12, count: 5, populationCount: 50 })).toBe(12);
  });

  it('also withholds it when the whole group is small', () => {
    expect(suppressExtremes({ value: 12, count: 5, populationCount: 5 })).toBe(12);
    expect(suppressExtremes({ value: 12, count: 5, populationCount: 4 })).toBeNull();
  });

  it('uses the publication threshold (10 under ONS 10-5)', () => {
    expect(suppressExtremes({ value: 12, count: 7 }, { method: 'ons-10-5' })).toBeNull();
    expect(suppressExtremes({ value: 12, count: 10 }, { method: 'ons-10-5' })).toBe(12);
    expect(suppressExtremes({ value: 12, count: 3 }, { method: 'threshold', threshold: 3 })).toBe(
      12,
    );
  });

  it('passes null through and refuses bad counts', () => {
    expect(suppressExtremes({ value: null, count: 40 })).toBeNull();
    expect(() => suppressExtremes({ value: 1, count: -1 })).toThrow(RangeError);
  });
});
