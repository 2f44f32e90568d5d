import pg from 'pg';
import { DataSource } from 'typeorm';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { computeReturn } from './compute-return.js';
import { pgQueryable, type Queryable } from '#libs/persistence';
import type { ForceReturnTables, TableARow, TableBRow } from './return-tables.js';
import { insertCrime, insertHistory, type CrimeInput } from './testing/insert-records.js';

// A hand-built force-year for Cumbria 2015-16 (a leap year: 366 days) and its neighbours, with
// every expected count written out below.
//
// Confirmed in 2015-16 (19): CUM-001..012, 014, 019..024. Removed (4): 015, 016, 017, 026.
// Drafts (2): 018, 025. Not in 2015-16: CUM-013 (1 April 00:00 BST = 2016-17), CUM-1415
// (31 March 2015 23:30 BST = 2014-15), DOR-001 (another force).
const F = 'female' as const;
const M = 'male' as const;
const U = 'unknown' as const;
const cumbria = (
  ref: string,
  code: string,
  recordedAt: string,
  flag: CrimeInput['flag'],
  age: number | null,
  sex: CrimeInput['sex'],
  extra: Partial<CrimeInput> = {},
): CrimeInput => ({
  force: 'cumbria',
  ref,
  code,
  recordedAt,
  flag,
  age,
  sex,
  ...extra,
});
const DATASET: CrimeInput[] = [
  cumbria('CUM-001', '88A', '2015-06-01T10:00:00Z', 'yes', 13, F, { version: 2 }),
  cumbria('CUM-002', '88A', '2015-06-15T10:00:00Z', 'yes', 13, M),
  cumbria('CUM-003', '71', '2015-07-01T10:00:00Z', 'yes', 16, F, { version: 2 }), // age exactly 16 → 16-17
  cumbria('CUM-004', '19E', '2015-08-01T10:00:00Z', 'yes', 12, F), // rape
  cumbria('CUM-005', '19H', '2015-09-01T10:00:00Z', 'yes', 9, M), // rape, under ten
  cumbria('CUM-006', '21', '2015-10-01T10:00:00Z', 'yes', null, U, { warnings: ['CF-AGE-007'] }), // child by code: unknown age row
  cumbria('CUM-007', '22A', '2015-11-01T10:00:00Z', 'yes', null, F), // unknown age, code open to adults: not in B
  cumbria('CUM-008', '19C', '2015-12-01T10:00:00Z', 'yes', 17, F), // rape, child
  cumbria('CUM-009', '19C', '2016-01-05T10:00:00Z', 'yes', 30, F), // adult: not in B
  cumbria('CUM-010', '88A', '2015-06-20T10:00:00Z', 'no', 14, F, {
    warnings: ['CF-FLAG-003'],
    version: 2,
  }), // not flagged: not in B
  // Leap day; recorded 26 h after the report.
  cumbria('CUM-011', '88A', '2016-02-29T12:00:00Z', 'yes', 15, F, {
    reportedAt: '2016-02-28T10:00:00Z',
    warnings: ['CF-TIME-001'],
  }),
  // 31 March 2016 23:59 BST: still 2015-16.
  cumbria('CUM-012', '20B', '2016-03-31T22:59:00Z', 'yes', 4, F, {
    reportedAt: '2016-03-31T22:00:00Z',
  }),
  // 1 April 2016 00:00 BST: 2016-17.
  cumbria('CUM-013', '88A', '2016-03-31T23:00:00Z', 'yes', 13, F, {
    reportedAt: '2016-03-31T22:00:00Z',
    version: 2,
    updatedAt: '2016-06-01T00:00:00Z',
  }),
  // Reclassified 88A → 19D: counts under 19D only. Age exactly 13 → 13-15.
  cumbria('CUM-014', '19D', '2015-11-15T10:00:00Z', 'yes', 13, F, { version: 2 }),
  cumbria('CUM-015', '88A', '2015-09-10T10:00:00Z', 'yes', 13, F, {
    status: 'cancelled',
    category: 'C3',
    warnings: ['CF-TIME-001'],
  }),
  cumbria('CUM-016', '8L', '2015-09-11T10:00:00Z', 'no', 30, F, {
    status: 'transferred',
    category: 'C1',
    transferredTo: 'dorset',
  }),
  cumbria('CUM-017', '8L', '2015-09-12T10:00:00Z', 'yes', 28, M, {
    status: 'cancelled',
    category: 'C2',
  }),
  cumbria('CUM-018', '8L', '2016-01-10T10:00:00Z', 'unknown', null, F, { status: 'draft' }),
  cumbria('CUM-019', '8L', '2015-05-05T10:00:00Z', 'yes', 25, F, { version: 4 }),
  // Recorded exactly 24 h after the report: within 24 h.
  cumbria('CUM-020', '8L', '2015-05-06T10:00:00Z', 'no', 40, M, {
    reportedAt: '2015-05-05T10:00:00Z',
    warnings: ['CF-FLAG-003'],
  }),
  cumbria('CUM-021', '58A', '2015-12-20T10:00:00Z', 'no', 50, U),
  // Recorded three days after the report.
  cumbria('CUM-022', '35', '2015-10-10T10:00:00Z', 'yes', 19, M, {
    reportedAt: '2015-10-07T10:00:00Z',
    warnings: ['CF-TIME-001'],
  }),
  cumbria('CUM-023', '17A', '2016-01-20T10:00:00Z', 'yes', 16, M),
  cumbria('CUM-024', '73', '2016-02-10T10:00:00Z', 'yes', 16, F, {
    updatedAt: '2016-05-01T12:34:56.789123Z',
  }),
  cumbria('CUM-025', '8L', '2016-02-15T10:00:00Z', 'yes', 33, F, { status: 'draft' }),
  cumbria('CUM-026', '58A', '2015-08-20T10:00:00Z', 'no', 45, F, {
    status: 'cancelled',
    category: 'C2',
  }),
  // 31 March 2015 23:30 BST: 2014-15.
  cumbria('CUM-1415', '8L', '2015-03-31T22:30:00Z', 'yes', 22, F, { version: 2 }),
  {
    force: 'dorset',
    ref: 'DOR-001',
    code: '88A',
    recordedAt: '2015-06-01T10:00:00Z',
    flag: 'yes',
    age: 13,
    sex: F,
    version: 2,
  },
];

type History = [
  force: string,
  ref: string,
  version: number,
  action: 'amended' | 'reclassified' | 'confirmed',
  changes: Record<string, { old: unknown; new: unknown }>,
  changedAt: string,
];
const flag = (o: string, n: string) => ({ onlineFlag: { old: o, new: n } });
const HISTORY: History[] = [
  ['cumbria', 'CUM-001', 2, 'amended', flag('no', 'yes'), '2015-06-02T10:00:00Z'],
  [
    'cumbria',
    'CUM-003',
    2,
    'confirmed',
    { ...flag('unknown', 'yes'), status: { old: 'draft', new: 'confirmed' } },
    '2015-07-02T10:00:00Z',
  ],
  ['cumbria', 'CUM-010', 2, 'amended', flag('yes', 'no'), '2015-07-01T10:00:00Z'],
  [
    'cumbria',
    'CUM-014',
    2,
    'reclassified',
    { offenceCode: { old: '88A', new: '19D' } },
    '2015-11-20T10:00:00Z',
  ],
  ['cumbria', 'CUM-019', 2, 'amended', flag('no', 'yes'), '2015-08-01T10:00:00Z'],
  ['cumbria', 'CUM-019', 3, 'amended', flag('yes', 'no'), '2015-09-01T10:00:00Z'],
  ['cumbria', 'CUM-019', 4, 'amended', flag('no', 'yes'), '2015-10-01T10:00:00Z'],
  // Exactly 1 April 2016 00:00 BST: a 2016-17 change.
  ['cumbria', 'CUM-013', 2, 'amended', flag('no', 'yes'), '2016-03-31T23:00:00Z'],
  // Exactly 1 April 2015 00:00 BST: a 2015-16 change to a 2014-15 record (changes go by when made).
  ['cumbria', 'CUM-1415', 2, 'amended', flag('no', 'yes'), '2015-03-31T23:00:00Z'],
  ['dorset', 'DOR-001', 2, 'amended', flag('no', 'yes'), '2015-09-01T10:00:00Z'],
];

const GENERATED_AT = new Date('2016-05-02T09:00:00Z');
const VERSION = 'HOCR 2015-16 (test)';

const aRow = (
  level: TableARow['level'],
  group: string | null,
  code: string | null,
  yes: number,
  no: number,
  pct: number | null,
): Partial<TableARow> => ({
  level,
  group,
  offenceCode: code,
  flagYes: yes,
  flagNo: no,
  flagUnknown: 0,
  total: yes + no,
  pctFlagged: pct,
});
const bRow = (
  level: TableBRow['level'],
  band: TableBRow['band'],
  age: number | null,
  female: number,
  male: number,
  unknownSex: number,
  rapes: number,
): TableBRow => ({
  level,
  band,
  age,
  female,
  male,
  unknownSex,
  total: female + male + unknownSex,
  rapes,
});
const zeroAges = (from: number, to: number, band: TableBRow['band']) =>
  Array.from({ length: to - from + 1 }, (_, i) => bRow('age', band, from + i, 0, 0, 0, 0));

describe('computeReturn (real PostgreSQL, hand-built dataset)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  let db: Queryable;
  let r2015: ForceReturnTables;

  beforeAll(async () => {
    await client.connect();
    db = pgQueryable(client);
    const ids = new Map<string, string>();
    for (const c of DATASET) ids.set(c.ref, await insertCrime(db, c));
    for (const [force, ref, version, action, changes, changedAt] of HISTORY) {
      await insertHistory(db, {
        force,
        crimeId: ids.get(ref) ?? '',
        version,
        action,
        changes,
        changedAt,
      });
    }
    r2015 = await computeReturn(db, {
      forceId: 'cumbria',
      year: 2015,
      countingRulesVersion: VERSION,
      generatedAt: GENERATED_AT,
    });
  });
  afterAll(async () => {
    await client.end();
  });

  describe('metadata', () => {
    it('describes the force, region, period (366 days in 2015-16) and inputs', () => {
      expect(r2015.metadata).toEqual({
        force: { id: 'cumbria', name: 'Cumbria Constabulary' },
        region: { id: 'north-west', name: 'North West' },
        year: {
          startYear: 2015,
          label: '2015-16',
          periodStart: '2015-03-31T23:00:00.000Z',
          periodEnd: '2016-03-31T23:00:00.000Z',
          firstDay: '2015-04-01',
          lastDay: '2016-03-31',
          days: 366,
        },
        countingRulesVersion: VERSION,
        generatedAt: '2016-05-02T09:00:00.000Z',
        countingUnits: {
          tableA: 'crimes; one crime per victim',
          tableB:
            'offences (crimes; one crime per victim per offence), not children: a child victim of two offences is counted twice',
          tableC: 'crimes; one crime per victim',
        },
        definitions: expect.objectContaining({
          onlineFlag: expect.stringContaining('computer-enabled device'),
        }),
        // 25 records of every status; versions 25 + 1 + 1 + 1 + 1 + 3; the latest save to the microsecond.
        source: { recordCount: 25, versionSum: 32, maxUpdatedAt: '2016-05-01T12:34:56.789123Z' },
      });
    });
  });

  describe('table A', () => {
    it('counts confirmed records by offence × flag with group and grand totals, in a fixed order', () => {
      expect(r2015.tableA.rows).toEqual(
        [
          aRow('offence', 'criminal damage and arson', '58A', 0, 1, 0),
          aRow('group', 'criminal damage and arson', null, 0, 1, 0),
          aRow('offence', 'sexual offences', '17A', 1, 0, 100),
          aRow('offence', 'sexual offences', '19C', 2, 0, 100),
          aRow('offence', 'sexual offences', '19D', 1, 0, 100), // the reclassified record
          aRow('offence', 'sexual offences', '19E', 1, 0, 100),
          aRow('offence', 'sexual offences', '19H', 1, 0, 100),
          aRow('offence', 'sexual offences', '20B', 1, 0, 100), // 31 March 23:59 BST
          aRow('offence', 'sexual offences', '21', 1, 0, 100),
          aRow('offence', 'sexual offences', '22A', 1, 0, 100),
          aRow('offence', 'sexual offences', '71', 1, 0, 100),
          aRow('offence', 'sexual offences', '73', 1, 0, 100),
          aRow('offence', 'sexual offences', '88A', 3, 1, 75), // leap day included; cancelled 015 and 2016-17's 013 not
          aRow('group', 'sexual offences', null, 14, 1, 93.3),
          aRow('offence', 'theft offences', '35', 1, 0, 100),
          aRow('group', 'theft offences', null, 1, 0, 100),
          aRow('offence', 'violence against the person', '8L', 1, 1, 50), // drafts and removed 8L records not counted
          aRow('group', 'violence against the person', null, 1, 1, 50),
          aRow('total', null, null, 16, 3, 84.2),
        ].map((row) => expect.objectContaining(row)),
      );
    });

    it('carries the catalogue names on offence rows only', () => {
      const r19d = r2015.tableA.rows.find((r) => r.offenceCode === '19D');
      expect(r19d).toEqual({
        level: 'offence',
        group: 'sexual offences',
        subgroup: 'rape',
        offenceCode: '19D',
        offenceName: 'Rape of a female child under 16',
        sexualOffence: true,
        flagYes: 1,
        flagNo: 0,
        flagUnknown: 0,
        total: 1,
        pctFlagged: 100,
      });
      expect(
        r2015.tableA.rows
          .filter((r) => r.level !== 'offence')
          .every((r) => r.offenceName === null && r.sexualOffence === null),
      ).toBe(true);
      expect(r2015.tableA.rows.some((r) => r.offenceCode === '88A' && r.total === 5)).toBe(false);
    });
  });

  describe('table B', () => {
    it('counts online-flagged child sexual offences by single year, band and sex', () => {
      expect(r2015.tableB.rows).toEqual([
        ...zeroAges(0, 3, '0-4'),
        bRow('age', '0-4', 4, 1, 0, 0, 0),
        ...zeroAges(5, 8, '5-9'),
        bRow('age', '5-9', 9, 0, 1, 0, 1),
        ...zeroAges(10, 11, '10-12'),
        bRow('age', '10-12', 12, 1, 0, 0, 1),
        bRow('age', '13-15', 13, 2, 1, 0, 1), // exactly 13: CUM-001, 002, and the reclassified 19D rape
        bRow('age', '13-15', 14, 0, 0, 0, 0), // CUM-010 is flagged 'no'
        bRow('age', '13-15', 15, 1, 0, 0, 0), // leap day
        bRow('age', '16-17', 16, 2, 1, 0, 0), // exactly 16: 71, 17A, 73
        bRow('age', '16-17', 17, 1, 0, 0, 1), // 19C rape of a 17-year-old
        bRow('age', 'unknown', null, 0, 0, 1, 0), // 21 with unknown age: a child by the code
        bRow('band', '0-4', null, 1, 0, 0, 0),
        bRow('band', '5-9', null, 0, 1, 0, 1),
        bRow('band', '10-12', null, 1, 0, 0, 1),
        bRow('band', '13-15', null, 3, 1, 0, 1),
        bRow('band', '16-17', null, 3, 1, 0, 1),
        bRow('band', 'unknown', null, 0, 0, 1, 0),
        bRow('total', null, null, 8, 3, 1, 4),
      ]);
    });

    it('summarises: total, rapes, youngest, modal age (13 and 16 tie: the youngest wins), under ten', () => {
      expect(r2015.tableB.summary).toEqual({
        total: 12,
        rapes: 4,
        youngestAge: 4,
        modalAge: 13,
        underTen: 2,
      });
    });
  });

  describe('table C', () => {
    it('reports timeliness, unknown ages and sexes over counted records, and drafts apart', () => {
      expect(r2015.tableC.quality).toEqual({
        counted: 19,
        recordedWithin24h: 17, // all but CUM-011 (26 h) and CUM-022 (72 h); CUM-020 at exactly 24 h is within
        pctRecordedWithin24h: 89.5,
        unknownVictimAge: 2, // CUM-006, 007
        unknownVictimSex: 2, // CUM-006, 021
        drafts: 2,
        draftsUnknownFlag: 1, // CUM-018
        draftsUnknownVictimAge: 1,
      });
    });

    it('counts flag changes made in the year, by this force, between no and yes only', () => {
      expect(r2015.tableC.flagChanges).toEqual([
        { direction: 'no-to-yes', changes: 4, records: 3 }, // CUM-001, 019 twice, 1415 at 1 April 00:00 BST
        { direction: 'yes-to-no', changes: 2, records: 2 }, // CUM-010, 019
      ]);
    });

    it('lists transferred and cancelled records by status and category, online-flagged apart', () => {
      expect(r2015.tableC.removals).toEqual([
        {
          level: 'category',
          status: 'cancelled',
          category: 'C2',
          onlineFlagged: 1,
          notOnlineFlagged: 1,
          total: 2,
        },
        {
          level: 'category',
          status: 'cancelled',
          category: 'C3',
          onlineFlagged: 1,
          notOnlineFlagged: 0,
          total: 1,
        },
        {
          level: 'category',
          status: 'transferred',
          category: 'C1',
          onlineFlagged: 0,
          notOnlineFlagged: 1,
          total: 1,
        },
        {
          level: 'total',
          status: null,
          category: null,
          onlineFlagged: 2,
          notOnlineFlagged: 2,
          total: 4,
        },
      ]);
    });

    it('counts outstanding rule warnings on counted records only', () => {
      expect(r2015.tableC.ruleWarnings).toEqual([
        { ruleCode: 'CF-AGE-007', records: 1, onlineFlagged: 1 },
        { ruleCode: 'CF-FLAG-003', records: 2, onlineFlagged: 0 },
        { ruleCode: 'CF-TIME-001', records: 2, onlineFlagged: 2 }, // cancelled CUM-015's warning is not outstanding
      ]);
    });
  });

  describe('neighbouring years and forces', () => {
    it('puts 1 April 00:00 BST into 2016-17 (365 days), with the change made at that instant', async () => {
      const r = await computeReturn(db, {
        forceId: 'cumbria',
        year: 2016,
        countingRulesVersion: VERSION,
        generatedAt: GENERATED_AT,
      });
      expect(r.metadata.year).toMatchObject({
        label: '2016-17',
        days: 365,
        firstDay: '2016-04-01',
        lastDay: '2017-03-31',
      });
      expect(r.metadata.source).toEqual({
        recordCount: 1,
        versionSum: 2,
        maxUpdatedAt: '2016-06-01T00:00:00.000000Z',
      });
      expect(r.tableA.rows.map((x) => [x.level, x.offenceCode, x.flagYes, x.total])).toEqual([
        ['offence', '88A', 1, 1],
        ['group', null, 1, 1],
        ['total', null, 1, 1],
      ]);
      expect(r.tableB.summary).toEqual({
        total: 1,
        rapes: 0,
        youngestAge: 13,
        modalAge: 13,
        underTen: 0,
      });
      expect(r.tableC.flagChanges).toEqual([
        { direction: 'no-to-yes', changes: 1, records: 1 },
        { direction: 'yes-to-no', changes: 0, records: 0 },
      ]);
    });

    it('puts 31 March 2015 23:30 BST into 2014-15', async () => {
      const r = await computeReturn(db, {
        forceId: 'cumbria',
        year: 2014,
        countingRulesVersion: VERSION,
        generatedAt: GENERATED_AT,
      });
      expect(r.tableA.rows.at(-1)).toMatchObject({ level: 'total', total: 1, flagYes: 1 });
      expect(r.metadata.year.days).toBe(365);
    });

    it("keeps another force's records and history out", async () => {
      const r = await computeReturn(db, {
        forceId: 'dorset',
        year: 2015,
        countingRulesVersion: VERSION,
        generatedAt: GENERATED_AT,
      });
      expect(r.metadata.region).toEqual({ id: 'south-west', name: 'South West' });
      expect(r.tableA.rows.at(-1)).toMatchObject({ total: 1 });
      expect(r.tableC.flagChanges[0]).toEqual({ direction: 'no-to-yes', changes: 1, records: 1 });
    });

    it('returns the full structure with zeros and nulls for an empty force-year', async () => {
      const r = await computeReturn(db, {
        forceId: 'cumbria',
        year: 2020,
        countingRulesVersion: VERSION,
        generatedAt: GENERATED_AT,
      });
      expect(r.tableA.rows).toEqual([
        {
          level: 'total',
          group: null,
          subgroup: null,
          offenceCode: null,
          offenceName: null,
          sexualOffence: null,
          flagYes: 0,
          flagNo: 0,
          flagUnknown: 0,
          total: 0,
          pctFlagged: null,
        },
      ]);
      expect(r.tableB.rows).toHaveLength(26);
      expect(r.tableB.rows.every((x) => x.total === 0)).toBe(true);
      expect(r.tableB.summary).toEqual({
        total: 0,
        rapes: 0,
        youngestAge: null,
        modalAge: null,
        underTen: 0,
      });
      expect(r.tableC.quality).toMatchObject({ counted: 0, pctRecordedWithin24h: null, drafts: 0 });
      expect(r.tableC.removals).toEqual([
        {
          level: 'total',
          status: null,
          category: null,
          onlineFlagged: 0,
          notOnlineFlagged: 0,
          total: 0,
        },
      ]);
      expect(r.tableC.ruleWarnings).toEqual([]);
      expect(r.metadata.source).toEqual({ recordCount: 0, versionSum: 0, maxUpdatedAt: null });
    });

    it('refuses an unknown force and a malformed year', async () => {
      await expect(
        computeReturn(db, {
          forceId: 'atlantis',
          year: 2015,
          countingRulesVersion: VERSION,
          generatedAt: GENERATED_AT,
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        computeReturn(db, {
          forceId: 'cumbria',
          year: 15,
          countingRulesVersion: VERSION,
          generatedAt: GENERATED_AT,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });

  describe('serialisation', () => {
    it('is plain JSON: it round-trips unchanged, so its hash is reproducible', async () => {
      expect(JSON.parse(JSON.stringify(r2015))).toEqual(r2015);
      const again = await computeReturn(db, {
        forceId: 'cumbria',
        year: 2015,
        countingRulesVersion: VERSION,
        generatedAt: GENERATED_AT,
      });
      expect(sha256Hex(canonicalJson(again))).toBe(sha256Hex(canonicalJson(r2015)));
    });

    it('gives the same tables through a TypeORM DataSource as through pg', async () => {
      const ds = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL });
      await ds.initialize();
      try {
        const viaTypeorm = await computeReturn(ds, {
          forceId: 'cumbria',
          year: 2015,
          countingRulesVersion: VERSION,
          generatedAt: GENERATED_AT,
        });
        expect(canonicalJson(viaTypeorm)).toBe(canonicalJson(r2015));
      } finally {
        await ds.destroy();
      }
    });
  });

  // Issue 20 §4, in Cumbria 2019-20.
  describe('counting units', () => {
    let r2019: ForceReturnTables;
    beforeAll(async () => {
      for (const c of [
        cumbria('CUM-19-01', '88A', '2019-06-01T10:00:00Z', 'yes', 13, F), // one child, groomed by two offenders:
        cumbria('CUM-19-02', '88A', '2019-06-01T11:00:00Z', 'yes', 13, F), // two offences, two crimes
        cumbria('CUM-19-03', '8L', '2019-07-01T10:00:00Z', 'no', null, F), // personal victim, age unknown
        cumbria('CUM-19-04', '92D', '2019-07-02T10:00:00Z', 'no', null, U), // drug possession: no victim
        cumbria('CUM-19-05', '46', '2019-07-03T10:00:00Z', 'no', null, U), // shoplifting: a business victim
      ])
        await insertCrime(db, c);
      r2019 = await computeReturn(db, {
        forceId: 'cumbria',
        year: 2019,
        countingRulesVersion: VERSION,
        generatedAt: GENERATED_AT,
      });
    });

    it('table B counts offences, not children: a child groomed by two offenders appears twice', () => {
      expect(r2019.tableB.summary).toEqual({
        total: 2,
        rapes: 0,
        youngestAge: 13,
        modalAge: 13,
        underTen: 0,
      });
      expect(r2019.tableB.countingUnit).toContain('not children');
      expect(r2019.metadata.definitions.tableBCountingUnit).toContain(
        'a child groomed by two offenders appears twice',
      );
    });

    it("table C's unknown victim age counts only offences with a personal victim", () => {
      expect(r2019.tableC.quality).toMatchObject({ counted: 5, unknownVictimAge: 1 });
    });
  });
});
