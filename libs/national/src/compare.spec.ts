import { Catalogue } from '#libs/catalogue';
import { compareYears } from './compare.js';
import { buildCoverage, type ReturnHead } from './coverage.js';
import { nationalPeriod } from './period.js';
import { fakeForces } from './testing/fake-counts.js';

const catalogue = new Catalogue();
const head = (forceId: string, state: ReturnHead['state'] = 'accepted'): ReturnHead => ({
  forceId,
  state,
  revision: 1,
  sha256: 'a'.repeat(64),
});

describe('year on year', () => {
  // 2015-16 (366 days) against 2016-17 (365): kent and surrey in both; sussex only in 2016-17; dorset submitted in 2016-17.
  const base = {
    period: nationalPeriod(2015),
    coverage: buildCoverage(
      catalogue,
      nationalPeriod(2015),
      [head('kent'), head('surrey'), head('dorset')],
      'accepted',
    ),
    counts: fakeForces({
      kent: [{ code: '88A', n: 366, age: 13 }],
      surrey: [{ code: '8L', n: 10 }],
      dorset: [{ code: '8L', n: 50 }],
    }),
  };
  const current = {
    period: nationalPeriod(2016),
    coverage: buildCoverage(
      catalogue,
      nationalPeriod(2016),
      [head('kent'), head('surrey'), head('sussex'), head('dorset', 'submitted')],
      'accepted',
    ),
    counts: fakeForces({
      kent: [{ code: '88A', n: 730, age: 13 }],
      surrey: [{ code: '8L', n: 5 }],
      sussex: [{ code: '8L', n: 99 }],
    }),
  };
  const c = compareYears(catalogue, current, base, new Date(0));
  const measure = (name: string) => c.national.measures.find((m) => m.measure === name)!;

  it('uses only the forces accepted in both years and says which were left out', () => {
    expect(c.forcesIncluded.map((f) => f.forceId)).toEqual(['kent', 'surrey']);
    expect(c.forcesExcluded.find((f) => f.forceId === 'sussex')!.reason).toBe(
      '2016-17: included; 2015-16: not received',
    );
    expect(c.forcesExcluded.find((f) => f.forceId === 'dorset')!.reason).toBe(
      '2016-17: received, not accepted; 2015-16: included',
    );
    expect(c.metadata.coverage.text).toBe('2 of 44 forces');
    expect(measure('recordedCrimes')).toEqual({
      measure: 'recordedCrimes',
      base: 376,
      current: 735,
      change: 359,
      pctChange: 95.5,
    });
  });

  it('divides per-day figures by each year’s own days', () => {
    expect(measure('childSexualOffencesPerDay')).toMatchObject({
      base: 1,
      current: 2,
      change: 1,
      pctChange: 100,
    });
    expect(measure('pctFlagged')).toMatchObject({
      base: 100,
      current: 100,
      change: 0,
      pctChange: null,
    });
    expect(c.forces.map((f) => f.id)).toEqual(['kent', 'surrey']);
    expect(c.regions.find((r) => r.id === 'south-east')!.coverage.text).toBe('2 of 5 forces');
  });
});
