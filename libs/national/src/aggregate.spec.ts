import { Catalogue, catalogueData } from '#libs/catalogue';
import { aggregate } from './aggregate.js';
import { buildCoverage } from './coverage.js';
import type { AreaAggregate, ReturnCounts } from './national.types.js';
import { nationalPeriod } from './period.js';
import { fakeForces } from './testing/fake-counts.js';

const Y = nationalPeriod(2020);
const data = {
  'avon-and-somerset': [
    { code: '88A', n: 7, age: 13 },
    { code: '8L', n: 20 },
    { code: '8L', flag: 'no' as const, n: 30 },
  ],
  'devon-and-cornwall': [
    { code: '19E', n: 2, age: 11 },
    { code: '8L', flag: 'no' as const, n: 5 },
  ],
  gloucestershire: [
    { code: '88A', n: 3, age: 14, sex: 'male' as const },
    { code: '58A', flag: 'no' as const, n: 9 },
  ],
  kent: [
    { code: '71', n: 4, age: 16 },
    { code: '8L', n: 1 },
  ],
};
const accepted = Object.keys(data).map((forceId) => ({
  forceId,
  state: 'accepted' as const,
  revision: 1,
  sha256: 'a'.repeat(64),
}));

const totalOf = (c: ReturnCounts) => c.tableA.rows.at(-1)!;
const sumOver = (list: ReturnCounts[], f: (c: ReturnCounts) => number) =>
  list.reduce((s, c) => s + f(c), 0);

describe('force → region → England and Wales', () => {
  const catalogue = new Catalogue();
  const coverage = buildCoverage(
    catalogue,
    Y,
    [...accepted, { forceId: 'dorset', state: 'submitted', revision: 1, sha256: null }],
    'accepted',
  );
  const agg = aggregate(catalogue, Y, coverage, fakeForces(data));
  const forces = agg.forces.filter((f): f is AreaAggregate => 'tableA' in f);

  it('makes every regional and national figure the sum of its forces', () => {
    const sw = agg.regions.find((r) => r.id === 'south-west')!;
    const swForces = forces.filter((f) => f.regionId === 'south-west');
    expect(swForces.map((f) => f.id)).toEqual([
      'avon-and-somerset',
      'devon-and-cornwall',
      'gloucestershire',
    ]);
    for (const pick of [
      (c: ReturnCounts) => totalOf(c).total,
      (c: ReturnCounts) => totalOf(c).flagYes,
      (c: ReturnCounts) => c.tableB.summary.total,
      (c: ReturnCounts) => c.tableB.summary.rapes,
    ]) {
      expect(pick(sw)).toBe(sumOver(swForces, pick));
      expect(pick(agg.national)).toBe(sumOver(forces, pick));
      expect(pick(agg.national)).toBe(sumOver(agg.regions, pick));
    }
    expect(totalOf(agg.national)).toMatchObject({
      total: 81,
      flagYes: 37,
      flagNo: 44,
      pctFlagged: 45.7,
    });
    expect(agg.national.tableB.summary).toEqual({
      total: 16,
      rapes: 2,
      youngestAge: 11,
      modalAge: 13,
      underTen: 0,
    });
    // Every table B row adds up too (bands, sexes), not only the summary.
    agg.national.tableB.rows.forEach((row, i) =>
      expect(row.total).toBe(sumOver(forces, (f) => f.tableB.rows[i]!.total)),
    );
  });

  it('states coverage on every total and lists missing forces as rows', () => {
    expect(agg.national.coverage).toEqual({ included: 4, expected: 44, text: '4 of 44 forces' });
    expect(agg.regions.find((r) => r.id === 'south-west')!.coverage.text).toBe('3 of 5 forces');
    expect(agg.regions.find((r) => r.id === 'wales')!.coverage.text).toBe('0 of 4 forces');
    // 10 regions and the catalogue's 'national' grouping of British Transport Police.
    expect(agg.regions.map((r) => r.id)).toHaveLength(11);
    expect(agg.regions.at(-1)).toMatchObject({
      id: 'national',
      coverage: { text: '0 of 1 forces' },
    });
    expect(agg.forces).toHaveLength(44);
    expect(agg.forces.find((f) => f.id === 'dorset')).toEqual({
      level: 'force',
      id: 'dorset',
      name: 'Dorset Police',
      regionId: 'south-west',
      status: 'received, not accepted',
    });
    expect(agg.forces.find((f) => f.id === 'wiltshire')).toMatchObject({ status: 'not received' });
  });

  it('divides per-day figures by the real number of days', () => {
    expect(agg.national.perDay).toEqual({
      days: 365,
      recordedCrimes: 0.2,
      onlineFlagged: 0.1,
      childSexualOffences: 0,
    });
    const leap = aggregate(
      catalogue,
      nationalPeriod(2015),
      buildCoverage(catalogue, nationalPeriod(2015), accepted.slice(3), 'accepted'),
      fakeForces({ kent: [{ code: '8L', n: 366 * 8 }] }),
    );
    expect(leap.national.perDay).toMatchObject({ days: 366, recordedCrimes: 8 });
  });

  it('follows the catalogue when regions are regrouped (data, not code)', () => {
    const regrouped = new Catalogue({
      ...catalogueData,
      regions: [...catalogueData.regions, { id: 'severn', name: 'Severn', source: 'test' }],
      forces: catalogueData.forces.map((f) =>
        f.id === 'gloucestershire' ? { ...f, regionId: 'severn' } : f,
      ),
    });
    const cov = buildCoverage(regrouped, Y, accepted, 'accepted');
    const other = aggregate(regrouped, Y, cov, fakeForces(data, regrouped));
    expect(totalOf(other.regions.find((r) => r.id === 'south-west')!).total).toBe(57 + 7);
    expect(other.regions.find((r) => r.id === 'severn')!.coverage.text).toBe('1 of 1 forces');
    expect(totalOf(other.national).total).toBe(totalOf(agg.national).total);
  });
});
