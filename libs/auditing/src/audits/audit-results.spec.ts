import { measureResult } from './audit-results.js';

// Newcombe (1998) worked examples of the Wilson interval: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605.
describe('measureResult', () => {
  it('gives the plain Wilson interval per stratum and leaves "cannot tell" out of n', () => {
    const r = measureResult(
      [
        {
          stratum: 'a',
          populationSize: 10000,
          sampled: 270,
          correct: 81,
          incorrect: 182,
          cannotTell: 7,
        },
      ],
      false,
    );
    const s = r.strata[0];
    expect(s).toMatchObject({ decided: 263, pending: 0, cannotTell: 7 });
    expect(s.accuracy?.lower).toBeCloseTo(0.2553, 4);
    expect(s.accuracy?.upper).toBeCloseTo(0.3662, 4);
    // One stratum without the finite population correction: the overall interval is the same Wilson interval.
    expect(r.overall?.lower).toBeCloseTo(0.2553, 4);
    expect(r.overall?.upper).toBeCloseTo(0.3662, 4);
    expect(r.estimatedWrong?.estimate).toBeCloseTo(10000 * (182 / 263), 6);
  });

  it('counts pending records apart, and has no overall figure while a stratum has no decided verdict', () => {
    const r = measureResult(
      [
        {
          stratum: 'a',
          populationSize: 500,
          sampled: 148,
          correct: 15,
          incorrect: 133,
          cannotTell: 0,
        },
        { stratum: 'b', populationSize: 100, sampled: 10, correct: 0, incorrect: 0, cannotTell: 2 },
      ],
      true,
    );
    expect(r.strata[1]).toMatchObject({
      decided: 0,
      pending: 8,
      accuracy: null,
      populationInterval: null,
    });
    expect(r.strata[0].accuracy?.lower).toBeCloseTo(0.0624, 4);
    expect(r.strata[0].accuracy?.upper).toBeCloseTo(0.1605, 4);
    // With the finite population correction (148 of 500 sampled) the population interval is narrower.
    const pop = r.strata[0].populationInterval;
    expect(pop && pop.upper - pop.lower).toBeLessThan(0.1605 - 0.0624);
    expect(r.overall).toBeNull();
    expect(r.unsampledStrata).toEqual(['b']);
    expect(r.estimatedWrong).toBeNull();
  });

  it('reports a census as an exact figure (no effective sample size)', () => {
    const r = measureResult(
      [{ stratum: 'a', populationSize: 4, sampled: 4, correct: 3, incorrect: 1, cannotTell: 0 }],
      true,
    );
    expect(r.overall).toEqual({
      estimate: 0.75,
      lower: 0.75,
      upper: 0.75,
      effectiveSampleSize: null,
    });
    expect(r.estimatedWrong).toEqual({ estimate: 1, lower: 1, upper: 1 });
  });
});
