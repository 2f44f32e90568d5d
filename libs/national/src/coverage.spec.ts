import { Catalogue, catalogueData } from '#libs/catalogue';
import { buildCoverage, expectedForces } from './coverage.js';
import { nationalPeriod } from './period.js';

describe('coverage', () => {
  // Two forces merge on 1 October 2020: the old ones owe part of 2020-21, the new one from then on.
  const merged = new Catalogue({
    ...catalogueData,
    forces: [
      ...catalogueData.forces.map((f) =>
        f.id === 'wiltshire' || f.id === 'gloucestershire' ? { ...f, validTo: '2020-09-30' } : f,
      ),
      {
        ...catalogueData.forces.find((f) => f.id === 'wiltshire')!,
        id: 'severn-vale',
        name: 'Severn Vale Police',
        validFrom: '2020-10-01',
      },
    ],
  });

  it('expects the forces valid for any part of the year', () => {
    const ids = (y: number) => expectedForces(merged, nationalPeriod(y)).map((f) => f.id);
    expect(ids(2020)).toEqual(
      expect.arrayContaining(['wiltshire', 'gloucestershire', 'severn-vale']),
    );
    expect(ids(2020)).toHaveLength(45);
    expect(ids(2021)).not.toContain('wiltshire');
    expect(ids(2021)).toContain('severn-vale');
    expect(ids(2019)).not.toContain('severn-vale');
  });

  it('says for every force whether it was received, accepted and counted', () => {
    const rows = buildCoverage(
      merged,
      nationalPeriod(2021),
      [
        { forceId: 'kent', state: 'accepted', revision: 2, sha256: 'b'.repeat(64) },
        { forceId: 'surrey', state: 'locked', revision: 1, sha256: 'c'.repeat(64) },
        { forceId: 'sussex', state: 'returned', revision: 1, sha256: 'd'.repeat(64) },
        { forceId: 'dorset', state: 'draft', revision: 0, sha256: null },
        { forceId: 'wiltshire', state: 'accepted', revision: 1, sha256: 'e'.repeat(64) }, // gone by 2021-22
      ],
      'accepted',
    );
    const by = (id: string) => rows.find((r) => r.forceId === id);
    expect(by('kent')).toMatchObject({
      received: true,
      accepted: true,
      included: true,
      status: 'included',
      revision: 2,
    });
    expect(by('surrey')).toMatchObject({ returnState: 'locked', included: true });
    expect(by('sussex')).toMatchObject({
      received: true,
      accepted: false,
      included: false,
      status: 'received, not accepted',
      revision: null,
    });
    expect(by('dorset')).toMatchObject({ received: false, status: 'not received' });
    expect(by('cumbria')).toMatchObject({
      returnState: 'none',
      status: 'not received',
      expected: true,
    });
    expect(by('wiltshire')).toMatchObject({
      expected: false,
      included: false,
      status: 'not expected',
    });
    expect(rows.filter((r) => r.included)).toHaveLength(2);
  });

  it('includes every expected force in a live preview', () => {
    const rows = buildCoverage(new Catalogue(), nationalPeriod(2020), [], 'live');
    expect(
      rows.every((r) => r.included && r.status === 'included' && r.returnState === 'none'),
    ).toBe(true);
    expect(rows).toHaveLength(44);
  });
});
