import { Catalogue } from '#libs/catalogue';
import { attackPublishedTable, type DisclosureConfig } from '#libs/disclosure';
import { buildCoverage } from '../coverage.js';
import { nationalPeriod } from '../period.js';
import { fakeForces, fakeOffenceAges, type FakeRow } from '../testing/fake-counts.js';
import { buildPublication } from './build-publication.js';
import { impossibleBand } from './count-tables.js';

const catalogue = new Catalogue();
const Y = nationalPeriod(2020);
const data: Record<string, FakeRow[]> = {
  'avon-and-somerset': [
    { code: '88A', n: 40, age: 13 },
    { code: '88A', n: 12, age: 14, sex: 'male' },
    { code: '19E', n: 3, age: 11 },
    { code: '71', n: 9, age: 16 },
    { code: '8L', n: 120 },
    { code: '8L', flag: 'no', n: 400 },
  ],
  'devon-and-cornwall': [
    { code: '88A', n: 25, age: 15 },
    { code: '19C', n: 6, age: 17 },
    { code: '8L', n: 60 },
    { code: '8L', flag: 'no', n: 300 },
  ],
  gloucestershire: [
    { code: '88A', n: 2, age: 13 },
    { code: '8L', n: 30 },
    { code: '58A', flag: 'no', n: 150 },
  ],
  kent: [
    { code: '88A', n: 33, age: 13 },
    { code: '21', n: 7, age: null, sex: 'unknown' },
    { code: '8L', n: 90 },
    { code: '8L', flag: 'no', n: 500 },
  ],
};
const heads = Object.keys(data).map((forceId, i) => ({
  forceId,
  state: 'accepted' as const,
  revision: 1,
  sha256: String(i).repeat(64),
}));

function publish(disclosure: DisclosureConfig, withAges = true) {
  return buildPublication({
    title: 'Test',
    period: Y,
    disclosure,
    catalogue,
    coverage: buildCoverage(catalogue, Y, heads, 'accepted'),
    forces: fakeForces(data),
    offenceAges: withAges ? fakeOffenceAges(data) : null,
    offenceAgesNote: withAges ? null : 'records changed',
    definitions: {},
    generatedAt: new Date('2021-06-01T00:00:00Z'),
  });
}

describe('publication tables', () => {
  const p = publish({ method: 'threshold' });
  const table = (id: string) => p.tables.find((t) => t.id === id)!;

  it('publishes force × flag with small counts suppressed and no hidden figure recoverable', () => {
    const t = table('force-by-flag');
    expect(t.rowKeys).toEqual([
      'avon-and-somerset',
      'devon-and-cornwall',
      'gloucestershire',
      'kent',
    ]);
    expect(t.table.cells[2]![0]).toBe('[c]'); // Gloucestershire: 2 child sexual offences
    expect(t.table.cells[0]).toEqual(['64', '120', '400']);
    for (const id of ['force-by-flag', 'csa-band-by-sex', 'csa-offence-by-band']) {
      for (const hit of attackPublishedTable(table(id).table, { method: 'threshold' }))
        expect(hit.range.max - hit.range.min).toBeGreaterThanOrEqual(1);
      expect(table(id).allProtected).toBe(true);
    }
    expect(t.coverage.text).toBe('4 of 44 forces');
    expect(t.notPublishedRows).toContainEqual({
      key: 'dorset',
      label: 'Dorset Police',
      status: 'not received',
    });
    expect(t.methodologyNote).toMatch(/Counts of 1 to 4 .* are shown as \[c\]/);
    expect(t.countingUnit).toBe('crimes; one crime per victim');
  });

  it('derives regions from published force figures only', () => {
    const r = table('region-by-flag');
    expect(r.rowKeys).toEqual(['south-east', 'south-west']);
    expect(r.rowCoverage).toEqual(['1 of 5 forces', '3 of 5 forces']);
    expect(r.table.cells[0]).toEqual(table('force-by-flag').table.cells[3]);
    expect(r.table.cells[1]![0]).toBe('[c]'); // contains Gloucestershire's hidden figure
    expect(r.notPublishedRows.map((x) => x.key)).toContain('wales');
  });

  it('groups offences as the catalogue says, marks impossible combinations [z] and keeps shared figures identical', () => {
    const o = table('csa-offence-by-band');
    const row = (key: string) => o.table.cells[o.rowKeys.indexOf(key)]!;
    expect(o.rowKeys).toEqual([
      'rape',
      'sexual-assault',
      'sexual-activity-with-a-child',
      'grooming-and-exploitation',
      'other-sexual-offences',
    ]);
    expect(o.table.rowLabels).toEqual([
      'Rape',
      'Sexual assault',
      'Sexual activity with a child',
      'Grooming and exploitation',
      'Other sexual offences',
    ]);
    expect(o.table.columnLabels).toEqual(['0-4', '5-9', '10-12', '13-15', '16-17', 'unknown']);
    // 70, 88C, 88D and 88E are open to adults, so an unknown age is not counted in table B on them
    expect(row('other-sexual-offences')[5]).toBe('[z]');
    expect(o.table.cells.flat().filter((v) => v === '[z]')).toHaveLength(1);
    expect(row('grooming-and-exploitation')[3]).toBe('112'); // 88A aged 13-15
    const bandSex = table('csa-band-by-sex').table;
    expect(o.table.grandTotal).toBe(bandSex.grandTotal);
    expect(o.table.columnTotals).toEqual(bandSex.rowTotals);
    expect(table('force-by-flag').table.columnTotals[0]).toBe(bandSex.grandTotal);
  });

  it('withholds extreme values at force level when few share them', () => {
    const aands = p.summary.forces.find((f) => f.forceId === 'avon-and-somerset')!;
    expect(aands).toMatchObject({ childSexualOffences: '64', youngestAge: null, modalAge: 13 }); // 3 aged 11: withheld
    expect(p.summary.national).toMatchObject({
      childSexualOffences: '137',
      childSexualOffencesPerDay: '0.4',
      youngestAge: null,
      modalAge: 13,
    });
    // Headline figures are kept published: the three 11-year-olds (rape, 10-12) are protected by other
    // cells, not by the rape row or the bands under ten (no child under ten here: under ten is 0).
    expect(p.summary.national).toMatchObject({ underTen: '0', rapes: '9' });
    expect(table('csa-offence-by-band').table.cells[0]![2]).toBe('[c]');
  });

  it('applies ONS 10-5 and leaves out the offence table when the records moved', () => {
    const ons = publish({ method: 'ons-10-5' }, false);
    expect(ons.tables.map((t) => t.id)).toEqual([
      'force-by-flag',
      'region-by-flag',
      'csa-band-by-sex',
    ]);
    expect(ons.notes).toContain('records changed');
    for (const t of ons.tables) {
      for (const v of [
        ...t.table.cells.flat(),
        ...t.table.rowTotals,
        ...t.table.columnTotals,
        t.table.grandTotal,
      ]) {
        if (/^\d+$/.test(v))
          expect(Number(v) === 0 || (Number(v) >= 10 && Number(v) % 5 === 0)).toBe(true);
      }
    }
    expect(ons.metadata.disclosure).toMatchObject({
      method: 'ons-10-5',
      threshold: 10,
      roundingBase: 5,
    });
  });

  it('reads structural zeros from the catalogue age limits', () => {
    const o = (code: string) => catalogue.offence(code)!;
    expect(impossibleBand(o('19E'), '13-15')).toBe(true);
    expect(impossibleBand(o('19E'), '10-12')).toBe(false);
    expect(impossibleBand(o('19D'), '16-17')).toBe(true);
    expect(impossibleBand(o('17A'), '10-12')).toBe(true);
    expect(impossibleBand(o('17A'), '13-15')).toBe(false);
    expect(impossibleBand(o('21'), 'unknown')).toBe(false);
    expect(impossibleBand(o('22A'), 'unknown')).toBe(true);
  });
});
