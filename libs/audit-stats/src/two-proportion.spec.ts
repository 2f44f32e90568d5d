import { compareWithRestOfCountry } from './two-proportion.js';

describe('force against the rest of the country', () => {
  it('computes the pooled two-proportion z-score (hand-worked)', () => {
    // Force: 3 of 100 harassment records flagged online. National: 303 of 2,100.
    // Rest of country: 300 / 2,000 = .15. Pooled: 303 / 2,100 = .1442857.
    // SE = √(.1442857 × .8557143 × (1/100 + 1/2000)) = √(.12346735 × .0105) = √.00129640717 = .0360057
    // z = (.03 − .15) / .0360057 = −3.33281; two-sided p = erfc(3.33281/√2) = .00085974
    const r = compareWithRestOfCountry({ flagged: 3, total: 100 }, { flagged: 303, total: 2100 })!;
    expect(r.forceRate).toBeCloseTo(0.03, 12);
    expect(r.restRate).toBeCloseTo(0.15, 12);
    expect(r.nationalRate).toBeCloseTo(0.1442857, 7);
    expect(r.standardError).toBeCloseTo(0.0360057, 7);
    expect(r.z).toBeCloseTo(-3.33281, 5);
    expect(r.pValue).toBeCloseTo(0.00085974, 8);
  });

  it('compares against the rest of the country, not the national total that includes the force', () => {
    // Force 50/100, national 100/300 → rest 50/200 = .25 (the national .333 would understate the gap).
    // pooled 1/3; SE = √(2/9 × (1/100 + 1/200)) = √(2/9 × .015) = √.0033333 = .0577350; z = .25/.057735 = 4.33013
    const r = compareWithRestOfCountry({ flagged: 50, total: 100 }, { flagged: 100, total: 300 })!;
    expect(r.restRate).toBeCloseTo(0.25, 12);
    expect(r.standardError).toBeCloseTo(0.057735, 6);
    expect(r.z).toBeCloseTo(4.33013, 5);
    expect(r.pValue).toBeCloseTo(1.49e-5, 7);
  });

  it('gives z = 0 and p = 1 when the rates are identical', () => {
    const same = compareWithRestOfCountry(
      { flagged: 10, total: 100 },
      { flagged: 100, total: 1000 },
    )!;
    expect(same.z).toBeCloseTo(0, 12);
    expect(same.pValue).toBeCloseTo(1, 12);
    const none = compareWithRestOfCountry({ flagged: 0, total: 100 }, { flagged: 0, total: 1000 })!;
    expect(none).toMatchObject({ standardError: 0, z: 0, pValue: 1 });
  });

  it('returns null when either side has no records', () => {
    expect(
      compareWithRestOfCountry({ flagged: 0, total: 0 }, { flagged: 5, total: 50 }),
    ).toBeNull();
    expect(
      compareWithRestOfCountry({ flagged: 5, total: 50 }, { flagged: 5, total: 50 }),
    ).toBeNull();
  });

  it('refuses counts that cannot be', () => {
    expect(() =>
      compareWithRestOfCountry({ flagged: 5, total: 50 }, { flagged: 4, total: 100 }),
    ).toThrow(RangeError);
    expect(() =>
      compareWithRestOfCountry({ flagged: 5, total: 50 }, { flagged: 60, total: 60 }),
    ).toThrow(RangeError);
    expect(() =>
      compareWithRestOfCountry({ flagged: 0, total: 10 }, { flagged: 95, total: 100 }),
    ).toThrow(RangeError);
  });
});
