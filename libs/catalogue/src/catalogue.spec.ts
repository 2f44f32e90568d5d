import {
  Catalogue,
  catalogueData,
  normaliseOffenceCode,
  toIsoDate,
  validateCatalogue,
  type CatalogueData,
} from './catalogue.js';
import type { OffenceDefinition } from './catalogue.types.js';

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
    expect(btp).toMatchObject({
      name: 'British Transport Police',
      territorial: false,
      regionId: 'national',
    });
  });

  it('uses the data.police.uk force ids', () => {
    expect(ids(catalogue.forces())).toEqual(
      [
        'avon-and-somerset',
        'bedfordshire',
        'cambridgeshire',
        'cheshire',
        'city-of-london',
        'cleveland',
        'cumbria',
        'derbyshire',
        'devon-and-cornwall',
        'dorset',
        'durham',
        'dyfed-powys',
        'essex',
        'gloucestershire',
        'greater-manchester',
        'gwent',
        'hampshire',
        'hertfordshire',
        'humberside',
        'kent',
        'lancashire',
        'leicestershire',
        'lincolnshire',
        'merseyside',
        'metropolitan',
        'norfolk',
        'north-wales',
        'north-yorkshire',
        'northamptonshire',
        'northumbria',
        'nottinghamshire',
        'south-wales',
        'south-yorkshire',
        'staffordshire',
        'suffolk',
        'surrey',
        'sussex',
        'thames-valley',
        'warwickshire',
        'west-mercia',
        'west-midlands',
        'west-yorkshire',
        'wiltshire',
        'btp',
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
    '19C',
    '19D',
    '19E',
    '19F',
    '19G',
    '19H',
    '17A',
    '17B',
    '20A',
    '20B',
    '21',
    '22A',
    '22B',
    '23',
    '70',
    '71',
    '71/17',
    '72',
    '73',
    '88A',
    '88C',
    '88D',
    '88E',
    '86',
    '86/2',
    // other relevant codes of §6
    '8L',
    '8Q',
    '11A',
    '13',
    '35',
    '106',
    // one or more per other group, so non-sexual crime can be recorded
    '1',
    '8N',
    '105A',
    '34A',
    '34B',
    '28E',
    '30C',
    '45',
    '48',
    '49',
    '46',
    '58A',
    '56A',
    '92A',
    '92D',
    '10A',
    '10C',
    '9A',
    '66',
    '99',
    '802',
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
    expect(catalogue.offence('19E')).toMatchObject({
      victimAgeMax: 12,
      victimAgeMin: null,
      victimSex: 'female',
      rape: true,
    });
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
    for (const code of ['19D', '19G', '22B', '88A', '71/17'])
      expect(limits(code)).toEqual([null, 15]);
    for (const code of ['71', '73', '86/2']) expect(limits(code)).toEqual([null, 17]);
    for (const code of ['11A', '13']) expect(limits(code)).toEqual([null, 15]); // issue 20: a child under 16
    expect(catalogue.offence('73')?.offenderAgeMin).toBe(18);
    expect(catalogue.offence('11A')?.offenderAgeMin).toBe(16);
    expect(catalogue.offence('86/2')?.victimAgeAt).toBe('image');
    expect(catalogue.offence('88A')?.offenderAgeMin).toBe(18);
  });

  it('matches victim sex to the code (R4)', () => {
    for (const code of ['19C', '19D', '19E', '20A', '20B'])
      expect(catalogue.offence(code)?.victimSex).toBe('female');
    for (const code of ['19F', '19G', '19H', '17A', '17B'])
      expect(catalogue.offence(code)?.victimSex).toBe('male');
  });

  it('suggests the under-13 code (R2)', () => {
    const alt = (code: string) => catalogue.offence(code)?.under13Alternative;
    expect([alt('19D'), alt('19G'), alt('22B'), alt('22A')]).toEqual(['19E', '19H', '21', '21']);
  });

  it('flags rape and sexual offences; 86 and 86/2 are not in the sexual offences group', () => {
    const rape = catalogue
      .offences()
      .filter((o) => o.rape)
      .map((o) => o.code)
      .sort();
    expect(rape).toEqual(['19C', '19D', '19E', '19F', '19G', '19H']);
    for (const code of ['17A', '21', '23', '71/17', '72', '88A', '88E']) {
      expect(catalogue.offence(code)).toMatchObject({
        sexualOffence: true,
        group: 'sexual offences',
      });
    }
    for (const code of ['86', '86/2']) {
      expect(catalogue.offence(code)).toMatchObject({
        sexualOffence: false,
        group: 'miscellaneous crimes against society',
      });
    }
    for (const o of catalogue.offences())
      expect(o.sexualOffence).toBe(o.group === 'sexual offences');
  });

  it('marks the R14 usually-online codes', () => {
    for (const code of ['71/17', '86', '86/2', '88A', '35', '8L', '8Q']) {
      expect(catalogue.offence(code)?.usuallyOnline).toBe(true);
    }
  });

  // Issue 20: their names could not be confirmed from any source, so they are no longer offered (data/README.md).
  it('no longer offers 19J and 19K, whose names were never confirmed', () => {
    expect(catalogue.offence('19J')).toBeUndefined();
    expect(catalogue.offence('19K')).toBeUndefined();
  });

  it('finds codes and ids regardless of case and spaces', () => {
    expect(catalogue.offence(' 19e ')?.code).toBe('19E');
    expect(catalogue.offence('nfib52b')?.code).toBe('NFIB52B');
    expect(catalogue.force('BTP')?.id).toBe('btp');
    expect(catalogue.force(' Kent ')?.id).toBe('kent');
    expect(catalogue.region('North-East')?.id).toBe('north-east');
    expect(catalogue.offence('086/02')?.code).toBe('86/2');
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
    const problems = validateCatalogue(
      new Catalogue({ regions: broken.regions, forces, offences }),
    );
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
    const o = offences.find((x) => x.code === '70')!;
    (o as { status: string }).status = 'PROBABLY';
    o.validTo = '2001-01-01';
    const r = offences.find((x) => x.code === '88C')!;
    r.rape = true;
    r.sexualOffence = false;
    offences.find((x) => x.code === '19G')!.under13Alternative = '19E'; // female code for a male one
    const kinds = validateCatalogue({ ...broken, offences }).map((p) => `${p.kind} ${p.ref}`);
    expect(kinds.sort()).toEqual(
      // 88C twice: rape without sexualOffence, and tableB (default on for a sexual offence) without it; and it is
      // out of place in its publication group.
      [
        'date-order offence 70',
        'inconsistent offence 19G',
        'inconsistent offence 88C',
        'inconsistent offence 88C',
        'inconsistent publication group other-sexual-offences',
        'invalid-value offence 70',
      ].sort(),
    );
  });

  it('groups every sexual offence into exactly one publication group, rape codes apart', () => {
    const groups = catalogue.publicationGroups();
    expect(groups.map((g) => g.id)).toEqual([
      'rape',
      'sexual-assault',
      'sexual-activity-with-a-child',
      'grooming-and-exploitation',
      'other-sexual-offences',
    ]);
    const sexual = catalogue
      .offences()
      .filter((o) => o.sexualOffence)
      .map((o) => o.code)
      .sort();
    expect(groups.flatMap((g) => g.codes).sort()).toEqual(sexual);
    expect(catalogue.publicationGroupOf('19e')?.id).toBe('rape');
    expect(catalogue.publicationGroupOf('88A')?.id).toBe('grooming-and-exploitation');
    expect(catalogue.publicationGroupOf('8L')).toBeUndefined();
    const broken = copy();
    const publicationGroups = broken.publicationGroups!.map((g) => ({ ...g, codes: [...g.codes] }));
    publicationGroups[0]!.codes.push('88A'); // a grooming code among the rapes, and in two groups
    publicationGroups[4]!.codes = publicationGroups[4]!.codes.filter((c) => c !== '88E'); // 88E in none
    const kinds = validateCatalogue({ ...broken, publicationGroups }).map(
      (p) => `${p.kind} ${p.ref}`,
    );
    expect(kinds.sort()).toEqual(
      [
        'duplicate-id publication group member 88A',
        'inconsistent publication group rape',
        'missing-field offence 88E',
      ].sort(),
    );
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

describe('dated catalogue (issue 20)', () => {
  const codes = (pred: (o: OffenceDefinition) => boolean) =>
    catalogue
      .offences()
      .filter(pred)
      .map((o) => o.code);

  it('has the dwelling burglary codes until 31 March 2017 and the residential ones from 1 April 2017', () => {
    const old = ['28A', '28B', '28C', '28D', '29', '30A', '30B', '31'];
    const current = ['28E', '28F', '28G', '28H', '29A', '30C', '30D', '31A'];
    for (const code of old) {
      expect(catalogue.offence(code)).toMatchObject({
        validTo: '2017-03-31',
        group: 'theft offences',
      });
      expect(catalogue.offenceValidOn(code, '2015-09-01')).toBe(true);
      expect(catalogue.offenceValidOn(code, '2017-04-01')).toBe(false);
      expect(catalogue.offence(code)!.replacedBy.length).toBeGreaterThan(0);
    }
    for (const code of current) {
      expect(catalogue.offence(code)).toMatchObject({ validFrom: '2017-04-01', validTo: null });
      expect(catalogue.offenceValidOn(code, '2017-03-31')).toBe(false);
    }
    expect(catalogue.offence('28A')!.replacedBy).toEqual(['28E']);
  });

  it('moves trafficking for sexual exploitation (72) to modern slavery (106) on 31 July 2015', () => {
    expect(catalogue.offence('72')).toMatchObject({ validTo: '2015-07-30', replacedBy: ['106'] });
    expect(catalogue.offence('106')).toMatchObject({ validFrom: '2015-07-31', commencedOn: null });
    expect(catalogue.offenceValidOn('72', '2015-07-30')).toBe(true);
    expect(catalogue.offenceValidOn('72', '2015-08-01')).toBe(false);
    expect(catalogue.offenceValidOn('106', '2015-07-31')).toBe(true);
  });

  it('has the homicide sub-codes, with names still unconfirmed', () => {
    expect(codes((o) => o.subgroup === 'homicide').sort()).toEqual(['1', '4.1', '4.10', '4.2']);
    for (const code of ['4.1', '4.2', '4.10'])
      expect(catalogue.offence(code)?.status).toBe('UNCONFIRMED');
    expect(catalogue.offence('4.10')?.name).toBe('Corporate manslaughter');
  });

  it('reads the spellings forces use', () => {
    expect(normaliseOffenceCode(' 86/02 ')).toBe('86/2');
    expect(normaliseOffenceCode('071/017')).toBe('71/17');
    expect(normaliseOffenceCode('4.10')).toBe('4.10'); // not 4.1
    expect(normaliseOffenceCode('028a')).toBe('28A');
    expect(catalogue.canonicalCode('86/02')).toBe('86/2');
    expect(catalogue.canonicalCode('19c')).toBe('19C');
    expect(catalogue.canonicalCode('86/3')).toBeUndefined();
  });

  it('lists offences in law whose codes are not confirmed, with their commencement and sources', () => {
    const unconfirmed = catalogue.unconfirmedOffences();
    const byId = new Map(unconfirmed.map((u) => [u.id, u]));
    expect(byId.get('sca-2015-s76-controlling-coercive')?.inForceFrom).toBe('2015-12-29');
    for (const id of [
      'soa-2003-s66a-cyberflashing',
      'soa-2003-s66b-intimate-images',
      'osa-2023-s179-false-communications',
      'osa-2023-s181-threatening-communications',
      'osa-2023-s184-encouraging-self-harm',
    ]) {
      expect(byId.get(id)?.inForceFrom).toBe('2024-01-31');
    }
    expect(byId.get('cja-1988-s160-possession-iioc')?.candidateCode).toBe('86');
    for (const u of unconfirmed) expect(u.source).toMatch(/UNCONFIRMED/);
  });

  it('carries the review heuristics as data', () => {
    expect(catalogue.offence('8R')?.usuallyOnline).toBe(true);
    expect(catalogue.offence('8L')?.usuallyOnlineMethodKeywords).toEqual([
      'message',
      'social media',
    ]);
    expect(catalogue.offence('8Q')?.usuallyOnlineMethodKeywords).toEqual([
      'message',
      'social media',
    ]);
    expect(codes((o) => o.impliedHateStrands.length > 0).sort()).toEqual([
      '105B',
      '58J',
      '8M',
      '8P',
      '9B',
    ]);
  });

  it('refuses a successor that does not start the day after its predecessor ends', () => {
    const broken = copy();
    const offences = broken.offences.map(mutable);
    offences.find((x) => x.code === '106')!.validFrom = '2015-08-01';
    offences.find((x) => x.code === '28A')!.replacedBy = ['28Z'];
    const kinds = validateCatalogue({ ...broken, offences }).map(
      (p) => `${p.kind} ${p.ref}: ${p.message}`,
    );
    expect(kinds.sort()).toEqual([
      'inconsistent offence 72: replacedBy 106 is not valid on 2015-07-31, the day after 72 ends',
      'unknown-alternative offence 28A: replacedBy 28Z is not a known code',
    ]);
  });

  it('lists investigating authorities outside the 44 forces as transfer targets', () => {
    expect(catalogue.authorities().map((a) => a.id)).toEqual(['police-scotland', 'psni']);
    expect(catalogue.authority('Police-Scotland')?.name).toBe('Police Scotland');
    expect(catalogue.authority('derbyshire')).toBeUndefined();
    const broken = copy();
    const kinds = validateCatalogue({
      ...broken,
      authorities: [
        ...(broken.authorities ?? []),
        { id: 'kent', name: 'Kent', jurisdiction: 'x', source: 'y' },
      ],
    }).map((p) => `${p.kind} ${p.ref}`);
    expect(kinds).toEqual(['inconsistent authority kent']);
  });
});
