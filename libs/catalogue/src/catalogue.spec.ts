import { Catalogue, catalogueData, toIsoDate, validateCatalogue, type CatalogueData } from './catalogue.js';

const catalogue = new Catalogue();
const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id).sort();
const copy = (): CatalogueData => structuredClone(catalogueData) as CatalogueData;
// The copy is deliberately mutated below; the types are readonly, the clone is not.
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const mutable = <T>(x: T): Mutable<T> => x as Mutable<T>;

describe('forces and regions (domain.md §8)', () => {
  it('has 43 territorial forces plus British Transport Police', () => {
    expect(catalogue.forces()).toHaveLength(44);
    expect(catalogue.forces().filter((f) => f.territorial)).toHaveLength(43);
    const btp = catalogue.force('btp');
    expect(btp).toMatchObject({ name: 'British Transport Police', territorial: false, regionId: 'national' });
  });

  it('uses the data.police.uk force ids', () => {
    expect(ids(catalogue.forces())).toEqual(
      [
        'avon-and-somerset', 'bedfordshire', 'cambridgeshire', 'cheshire', 'city-of-london', 'cleveland',
        'cumbria', 'derbyshire', 'devon-and-cornwall', 'dorset', 'durham', 'dyfed-powys', 'essex',
        'gloucestershire', 'greater-manchester', 'gwent', 'hampshire', 'hertfordshire', 'humberside', 'kent',
        'lancashire', 'leicestershire', 'lincolnshire', 'merseyside', 'metropolitan', 'norfolk', 'north-wales',
        'north-yorkshire', 'northamptonshire', 'northumbria', 'nottinghamshire', 'south-wales',
        'south-yorkshire', 'staffordshire', 'suffolk', 'surrey', 'sussex', 'thames-valley', 'warwickshire',
        'west-mercia', 'west-midlands', 'west-yorkshire', 'wiltshire', 'btp',
      ].sort(),
    );
  });

  it('has 10 territorial regions with the force counts of §8', () => {
    const counts = Object.fromEntries(
      catalogue
        .regions()
        .filter((r) => r.id !== 'national')
        .map((r) => [r.id, catalogue.forcesInRegion(r.id).length]),
    );
    expect(counts).toEqual({
      'north-east': 3,
      'north-west': 5,
      'yorkshire-and-the-humber': 4,
      'east-midlands': 5,
      'west-midlands': 4,
      'east-of-england': 6,
      london: 2,
      'south-east': 5,
      'south-west': 5,
      wales: 4,
    });
    expect(catalogue.regions()).toHaveLength(11);
    expect(ids(catalogue.forcesInRegion('national'))).toEqual(['btp']);
  });

  it('puts exactly the five §8 forces in the East Midlands (Northamptonshire included)', () => {
    expect(ids(catalogue.forcesInRegion('east-midlands'))).toEqual([
      'derbyshire',
      'leicestershire',
      'lincolnshire',
      'northamptonshire',
      'nottinghamshire',
    ]);
  });

  it('dates forces from the NCRS start', () => {
    expect(catalogue.forcesValidOn('2002-04-01')).toHaveLength(44);
    expect(catalogue.forcesValidOn('2002-03-31')).toHaveLength(0);
    expect(catalogue.forcesValidOn(new Date('2025-06-30T12:00:00Z'))).toHaveLength(44);
  });
});

describe('offences (domain.md §6, §14)', () => {
  const required = [
    // §6 table
    '19C', '19D', '19E', '19F', '19G', '19H', '17A', '17B', '20A', '20B', '21', '22A', '22B', '23', '70', '71',
    '71/17', '72', '73', '88A', '88C', '88D', '88E', '86', '86/2',
    // other relevant codes of §6
    '8L', '8Q', '11A', '13', '35', '106',
    // one or more per other group, so non-sexual crime can be recorded
    '1', '8N', '105A', '34A', '34B', '28E', '30C', '45', '48', '49', '46', '58A', '56A', '92A', '92D', '10A',
    '10C', '9A', '66', '99', '802',
  ];

  it.each(required)('has code %s', (code) => {
    expect(catalogue.offence(code)?.code).toBe(code);
  });

  it('has Action Fraud / NFIB entries for R15', () => {
    const nfib = catalogue.offences().filter((o) => o.recordedBy === 'action_fraud');
    expect(nfib.length).toBeGreaterThanOrEqual(2);
    for (const o of nfib) expect(catalogue.isActionFraudCode(o.code)).toBe(true);
    expect(catalogue.isActionFraudCode('NFIB1H')).toBe(true); // not listed, still an NFIB code
    expect(catalogue.isActionFraudCode('19C')).toBe(false);
  });

  it('19E: female victim under 13 (R1, R4)', () => {
    expect(catalogue.offence('19E')).toMatchObject({ victimAgeMax: 12, victimAgeMin: null, victimSex: 'female', rape: true });
  });

  it('71/17: from 2017-04-03, victim under 16, offender 18 or over (R5)', () => {
    expect(catalogue.offence('71/17')).toMatchObject({
      validFrom: '2017-04-03',
      commencedOn: '2017-04-03',
      offenderAgeMin: 18,
      victimAgeMax: 15,
      usuallyOnline: true,
    });
    expect(catalogue.offenceValidOn('71/17', '2017-04-02')).toBe(false);
    expect(catalogue.offenceValidOn('71/17', '2017-04-03')).toBe(true);
    // 00:30 BST on 3 April 2017 is 2 April in UTC: dates are read in Europe/London.
    expect(catalogue.offenceValidOn('71/17', new Date('2017-04-02T23:30:00Z'))).toBe(true);
    expect(catalogue.offenceValidOn('NOPE', '2020-01-01')).toBe(false);
  });

  it('encodes the inclusive age limits of §6.1', () => {
    const limits = (code: string) => {
      const o = catalogue.offence(code)!;
      return [o.victimAgeMin, o.victimAgeMax];
    };
    expect(limits('19C')).toEqual([16, null]);
    expect(limits('19F')).toEqual([16, null]);
    expect(limits('17A')).toEqual([13, null]);
    expect(limits('20A')).toEqual([13, null]);
    for (const code of ['19E', '19H', '17B', '20B', '21']) expect(limits(code)).toEqual([null, 12]);
    for (const code of ['19D', '19G', '22B', '88A', '71/17']) expect(limits(code)).toEqual([null, 15]);
    for (const code of ['71', '73', '86/2']) expect(limits(code)).toEqual([null, 17]);
    expect(catalogue.offence('88A')?.offenderAgeMin).toBe(18);
  });

  it('matches victim sex to the code (R4)', () => {
    for (const code of ['19C', '19D', '19E', '20A', '20B']) expect(catalogue.offence(code)?.victimSex).toBe('female');
    for (const code of ['19F', '19G', '19H', '17A', '17B']) expect(catalogue.offence(code)?.victimSex).toBe('male');
  });

  it('suggests the under-13 code (R2)', () => {
    const alt = (code: string) => catalogue.offence(code)?.under13Alternative;
    expect([alt('19D'), alt('19G'), alt('22B')]).toEqual(['19E', '19H', '21']);
  });

  it('flags rape and sexual offences; 86 and 86/2 are not in the sexual offences group', () => {
    const rape = catalogue.offences().filter((o) => o.rape).map((o) => o.code).sort();
    expect(rape).toEqual(['19C', '19D', '19E', '19F', '19G', '19H', '19J', '19K']);
    for (const code of ['17A', '21', '23', '71/17', '72', '88A', '88E']) {
      expect(catalogue.offence(code)).toMatchObject({ sexualOffence: true, group: 'sexual offences' });
    }
    for (const code of ['86', '86/2']) {
      expect(catalogue.offence(code)).toMatchObject({ sexualOffence: false, group: 'miscellaneous crimes against society' });
    }
    for (const o of catalogue.offences()) expect(o.sexualOffence).toBe(o.group === 'sexual offences');
  });

  it('marks the R14 usually-online codes', () => {
    for (const code of ['71/17', '86', '86/2', '88A', '35', '8L', '8Q']) {
      expect(catalogue.offence(code)?.usuallyOnline).toBe(true);
    }
  });

  it('labels 19J and 19K UNCONFIRMED', () => {
    expect(catalogue.offence('19J')?.status).toBe('UNCONFIRMED');
    expect(catalogue.offence('19K')?.status).toBe('UNCONFIRMED');
  });

  it('finds codes and ids regardless of case and spaces', () => {
    expect(catalogue.offence(' 19e ')?.code).toBe('19E');
    expect(catalogue.offence('nfib52b')?.code).toBe('NFIB52B');
    expect(catalogue.force('BTP')?.id).toBe('btp');
  });
});

describe('integrity', () => {
  it('gives every entry a non-empty source', () => {
    const all = [...catalogue.regions(), ...catalogue.forces(), ...catalogue.offences()];
    for (const x of all) expect(x.source.trim()).not.toBe('');
  });

  it('finds no problems in the shipped data', () => {
    expect(validateCatalogue(catalogue)).toEqual([]);
    expect(validateCatalogue(catalogueData)).toEqual([]);
  });

  it('reports a dangling region, duplicates, a bad alternative, min > max and a missing source', () => {
    const broken = copy();
    const forces = broken.forces.map(mutable);
    const offences = broken.offences.map(mutable);
    forces.find((f) => f.id === 'derbyshire')!.regionId = 'midlands';
    forces.push({ ...forces[0]! });
    offences.find((o) => o.code === '19D')!.under13Alternative = '19Z';
    const o22b = offences.find((o) => o.code === '22B')!;
    o22b.victimAgeMin = 16;
    offences.find((o) => o.code === '8L')!.source = ' ';
    offences.push({ ...offences.find((o) => o.code === '19C')!, code: '19c' });
    const problems = validateCatalogue(new Catalogue({ regions: broken.regions, forces, offences }));
    expect(problems.map((p) => [p.kind, p.ref])).toEqual(
      expect.arrayContaining([
        ['dangling-region', 'force derbyshire'],
        ['duplicate-id', 'force avon-and-somerset'],
        ['unknown-alternative', 'offence 19D'],
        ['age-range', 'offence 22B'],
        ['missing-source', 'offence 8L'],
        ['duplicate-id', 'offence 19C'],
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('reports bad enum values, dates and inconsistent flags', () => {
    const broken = copy();
    const offences = broken.offences.map(mutable);
    const o = offences.find((x) => x.code === '72')!;
    (o as { status: string }).status = 'PROBABLY';
    o.validTo = '2001-01-01';
    const r = offences.find((x) => x.code === '88C')!;
    r.rape = true;
    r.sexualOffence = false;
    offences.find((x) => x.code === '19G')!.under13Alternative = '19E'; // female code for a male one
    const kinds = validateCatalogue({ ...broken, offences }).map((p) => `${p.kind} ${p.ref}`);
    expect(kinds.sort()).toEqual(
      // 88C, no longer a sexual offence, is also out of place in its publication group
      ['date-order offence 72', 'inconsistent offence 19G', 'inconsistent offence 88C', 'inconsistent publication group other-sexual-offences', 'invalid-value offence 72'].sort(),
    );
  });

  it('groups every sexual offence into exactly one publication group, rape codes apart', () => {
    const groups = catalogue.publicationGroups();
    expect(groups.map((g) => g.id)).toEqual(['rape', 'sexual-assault', 'sexual-activity-with-a-child', 'grooming-and-exploitation', 'other-sexual-offences']);
    const sexual = catalogue.offences().filter((o) => o.sexualOffence).map((o) => o.code).sort();
    expect(groups.flatMap((g) => g.codes).sort()).toEqual(sexual);
    expect(catalogue.publicationGroupOf('19e')?.id).toBe('rape');
    expect(catalogue.publicationGroupOf('88A')?.id).toBe('grooming-and-exploitation');
    expect(catalogue.publicationGroupOf('8L')).toBeUndefined();
    const broken = copy();
    const publicationGroups = broken.publicationGroups!.map((g) => ({ ...g, codes: [...g.codes] }));
    publicationGroups[0]!.codes.push('88A'); // a grooming code among the rapes, and in two groups
    publicationGroups[4]!.codes = publicationGroups[4]!.codes.filter((c) => c !== '88E'); // 88E in none
    const kinds = validateCatalogue({ ...broken, publicationGroups }).map((p) => `${p.kind} ${p.ref}`);
    expect(kinds.sort()).toEqual(['duplicate-id publication group member 88A', 'inconsistent publication group rape', 'missing-field offence 88E'].sort());
  });

  it('does not let callers change the shared data', () => {
    const f = catalogue.force('derbyshire')!;
    expect(() => {
      (f as { regionId: string }).regionId = 'x';
    }).toThrow(TypeError);
    const list = catalogue.forces();
    list.pop();
    expect(catalogue.forces()).toHaveLength(44);
  });

  it('reads Dates as calendar dates in England and Wales', () => {
    expect(toIsoDate(new Date('2024-03-31T23:30:00Z'))).toBe('2024-04-01'); // BST
    expect(toIsoDate(new Date('2024-01-31T23:30:00Z'))).toBe('2024-01-31'); // GMT
    expect(() => toIsoDate('2024-02-30')).toThrow(RangeError);
  });
});
