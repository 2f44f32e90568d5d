import { zForConfidence } from './normal.js';
import { stratifiedEstimate, type StratumCounts } from './stratified.js';
import { wilsonFromProportion, wilsonInterval } from './wilson.js';

const z = zForConfidence(0.95);

// Hand-built audit: N = 1600.
//   A: N 1000, n 100, x 90 → p .9,  W .625
//   B: N  500, n  50, x 40 → p .8,  W .3125
//   C: N  100, n  20, x 20 → p 1,   W .0625
// p_st = .625×.9 + .3125×.8 + .0625×1 = .5625 + .25 + .0625 = .875
// Without FPC: v = .625²×.09/100 + .3125²×.16/50 + 0 = .0003515625 + .0003125 = .0006640625
//   n_eff = .875×.125 / .0006640625 = 164.70588…, Wilson(.875, 164.706) = .815799 .. .917108
// With FPC: v = .0003515625×900/999 + .0003125×450/499 = .000598537, n_eff = 182.737
//   Wilson = .819201 .. .915357
// Wrongly flagged: 1000×.1 + 500×.2 + 100×0 = 200 = 1600×(1 − .875)
const audit: StratumCounts[] = [
  { stratum: 'A', populationSize: 1000, sampleSize: 100, successes: 90 },
  { stratum: 'B', populationSize: 500, sampleSize: 50, successes: 40 },
  { stratum: 'C', populationSize: 100, sampleSize: 20, successes: 20 },
];

describe('stratified accuracy estimate', () => {
  it('weights strata by population (no finite population correction)', () => {
    const result = stratifiedEstimate(audit, { finitePopulationCorrection: false });
    expect(result.populationSize).toBe(1600);
    expect(result.sampleSize).toBe(170);
    expect(result.strata.map((s) => s.weight)).toEqual([0.625, 0.3125, 0.0625]);
    const overall = result.overall!;
    expect(overall.estimate).toBeCloseTo(0.875, 12);
    expect(overall.effectiveSampleSize).toBeCloseTo(164.70588235, 6);
    expect(overall.lower).toBeCloseTo(0.815799, 6);
    expect(overall.upper).toBeCloseTo(0.917108, 6);
    expect(result.wrong!.estimate).toBeCloseTo(200, 9);
    expect(result.wrong!.lower).toBeCloseTo(1600 * (1 - 0.9171076), 3);
    expect(result.wrong!.upper).toBeCloseTo(1600 * (1 - 0.8157987), 3);
  });

  it('narrows the interval with the finite population correction (the default)', () => {
    const result = stratifiedEstimate(audit);
    expect(result.finitePopulationCorrection).toBe(true);
    expect(result.overall!.effectiveSampleSize).toBeCloseTo(182.73736, 4);
    expect(result.overall!.lower).toBeCloseTo(0.819201, 6);
    expect(result.overall!.upper).toBeCloseTo(0.915357, 6);
  });

  it('gives per-stratum Wilson intervals', () => {
    const result = stratifiedEstimate(audit, { finitePopulationCorrection: false });
    expect(result.strata[0].interval).toEqual({
      ...wilsonInterval(90, 100),
      effectiveSampleSize: 100,
    });
    expect(result.strata[1].interval).toEqual({
      ...wilsonInterval(40, 50),
      effectiveSampleSize: 50,
    });
    expect(result.strata[2].interval).toEqual({
      ...wilsonInterval(20, 20),
      effectiveSampleSize: 20,
    });
  });

  it('applies the correction per stratum: Wilson at n(N − 1)/(N − n)', () => {
    const result = stratifiedEstimate(audit);
    const interval = result.strata[0].interval!;
    expect(interval.effectiveSampleSize).toBeCloseTo(111, 9); // 100 × 999 / 900
    expect(interval.lower).toBeCloseTo(wilsonFromProportion(0.9, 111, z).lower, 12);
    expect(interval.upper).toBeCloseTo(wilsonFromProportion(0.9, 111, z).upper, 12);
  });

  it('reduces to plain Wilson for one stratum without the correction', () => {
    const one = [{ stratum: 'all', populationSize: 5000, sampleSize: 263, successes: 81 }];
    const result = stratifiedEstimate(one, { finitePopulationCorrection: false });
    const plain = wilsonInterval(81, 263)!;
    expect(result.overall!.estimate).toBeCloseTo(plain.estimate, 14);
    expect(result.overall!.lower).toBeCloseTo(plain.lower, 12);
    expect(result.overall!.upper).toBeCloseTo(plain.upper, 12);
    expect(result.overall!.effectiveSampleSize).toBeCloseTo(263, 9);
  });

  it('falls back to the equal-proportion design effect when every stratum is all correct', () => {
    const perfect = [
      { stratum: 'X', populationSize: 100, sampleSize: 10, successes: 10 },
      { stratum: 'Y', populationSize: 100, sampleSize: 10, successes: 10 },
    ];
    // n_eff = 1 / (.5²/10 + .5²/10) = 20: the same as 20/20 from one simple random sample.
    const result = stratifiedEstimate(perfect, { finitePopulationCorrection: false });
    expect(result.overall!.effectiveSampleSize).toBeCloseTo(20, 12);
    expect(result.overall!.upper).toBe(1);
    expect(result.overall!.lower).toBeCloseTo(wilsonInterval(20, 20)!.lower, 12);
    expect(result.wrong).toEqual({ estimate: 0, lower: 0, upper: expect.any(Number) });
    expect(result.wrong!.upper).toBeGreaterThan(0);
  });

  it('is exact for a full census with the correction', () => {
    const census = [
      { stratum: 'A', populationSize: 40, sampleSize: 40, successes: 30 },
      { stratum: 'B', populationSize: 10, sampleSize: 10, successes: 10 },
    ];
    const result = stratifiedEstimate(census);
    const overall = result.overall!;
    expect(overall.effectiveSampleSize).toBe(Infinity);
    expect(overall.estimate).toBeCloseTo(0.8, 14);
    expect(overall.lower).toBe(overall.estimate);
    expect(overall.upper).toBe(overall.estimate);
    expect(result.wrong!.estimate).toBeCloseTo(10, 12);
    expect(result.wrong!.lower).toBeCloseTo(10, 9);
    expect(result.wrong!.upper).toBeCloseTo(10, 9);
  });

  it('gives no overall figure while a stratum with records has no sample', () => {
    const partial = [...audit, { stratum: 'D', populationSize: 50, sampleSize: 0, successes: 0 }];
    const result = stratifiedEstimate(partial);
    expect(result.unsampledStrata).toEqual(['D']);
    expect(result.overall).toBeNull();
    expect(result.wrong).toBeNull();
    expect(result.strata[3].interval).toBeNull();
    expect(result.strata[0].interval).not.toBeNull();
  });

  it('ignores empty strata', () => {
    const withEmpty = [...audit, { stratum: 'E', populationSize: 0, sampleSize: 0, successes: 0 }];
    expect(stratifiedEstimate(withEmpty).overall).toEqual(stratifiedEstimate(audit).overall);
  });

  it('refuses impossible counts and duplicate strata', () => {
    expect(() =>
      stratifiedEstimate([{ stratum: 'A', populationSize: 10, sampleSize: 11, successes: 1 }]),
    ).toThrow(RangeError);
    expect(() =>
      stratifiedEstimate([{ stratum: 'A', populationSize: 10, sampleSize: 5, successes: 6 }]),
    ).toThrow(RangeError);
    expect(() => stratifiedEstimate([audit[0], audit[0]])).toThrow(RangeError);
  });
});
