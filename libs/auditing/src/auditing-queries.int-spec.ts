import pg from 'pg';
import type { Queryable } from '#libs/persistence';
import { defaultAuditingConfig } from './auditing-config.js';
import {
  queryCompleteness,
  queryCompletenessByForce,
  type CompletenessRow,
} from './completeness/completeness.query.js';
import { listReviewItems, refreshReviewItems } from './review-queue/review-items.query.js';
import { insertCrimes, insertFlagChange } from './testing/seed-crimes.js';
import { queryForceFlagRates, queryNationalFlagRates } from './under-use/under-use.query.js';
import { underUseOutliers, underUseRows } from './under-use/under-use.js';

// A hand-built 2017-18 for the four Welsh forces, with every expected figure written out below.
// The file's own database holds nothing else, so the national totals of that year are exactly this data
// (under-use compares against them). Year 2017 = 1 Apr 2017 00:00 BST .. 1 Apr 2018.
//
// gwent, violence against the person (VAP):
//   8L yes x1 (10 May, method missing: CF-FLAG-002)       8L no x29 (15 June; 20 with age, 9 without)
//   8Q yes x1 + no x9 (31 Dec 23:30 GMT: December)         8L unknown x2 drafts (30 Apr 23:30Z = 1 May 00:30 BST)
//   8L yes x1 cancelled (July): left out everywhere
// gwent, sexual offences:
//   88A yes x10 (31 Mar 2018 23:59 BST: still 2017-18)     88A no x2 (Sept, CF-FLAG-003)   88A yes x1 draft (Sept, age unknown)
//   88A yes x1 at 1 Apr 2018 00:00 BST (2018-19) and 8L no x1 at 31 Mar 2017 23:30 BST (2016-17): not in the year
// dyfed-powys: VAP 8L 5 yes + 15 no (3 of them CF-FLAG-003); theft (35) 2 yes + 38 no
// north-wales: VAP 8L 9 yes + 21 no; sexual 88A 9 yes + 1 no; theft (35) 20 yes + 20 no
// south-wales: VAP 8L 10 yes + 40 no; sexual 88A 18 yes + 2 no, 19C 15 no
const G = 'gwent';
const byRef = new Map<string, string>();

async function seed(db: Queryable): Promise<void> {
  const add = async (b: Parameters<typeof insertCrimes>[1]) => {
    const ids = await insertCrimes(db, b);
    const refs = await db.query<{ id: string; crime_reference: string }>(
      `SELECT id, crime_reference FROM crimes WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    for (const r of refs) byRef.set(r.crime_reference, r.id);
  };
  await add({
    force: G,
    ref: 'GW-8LY',
    code: '8L',
    recordedAt: '2017-05-10T10:00:00Z',
    flag: 'yes',
    method: null,
    warnings: ['CF-FLAG-002'],
  });
  await add({
    force: G,
    ref: 'GW-8LN',
    code: '8L',
    recordedAt: '2017-06-15T10:00:00Z',
    flag: 'no',
    count: 29,
    ageKnown: 20,
  });
  await add({
    force: G,
    ref: 'GW-8QY',
    code: '8Q',
    recordedAt: '2017-12-31T23:30:00Z',
    flag: 'yes',
    age: 40,
  });
  await add({
    force: G,
    ref: 'GW-8QN',
    code: '8Q',
    recordedAt: '2017-12-31T23:30:00Z',
    flag: 'no',
    count: 9,
    age: 40,
  });
  await add({
    force: G,
    ref: 'GW-DRAFT',
    code: '8L',
    recordedAt: '2017-04-30T23:30:00Z',
    flag: 'unknown',
    count: 2,
    age: null,
    status: 'draft',
  });
  await add({
    force: G,
    ref: 'GW-CANC',
    code: '8L',
    recordedAt: '2017-07-01T10:00:00Z',
    flag: 'yes',
    status: 'cancelled',
  });
  await add({
    force: G,
    ref: 'GW-88Y',
    code: '88A',
    recordedAt: '2018-03-31T22:59:00Z',
    flag: 'yes',
    count: 10,
    age: 14,
  });
  await add({
    force: G,
    ref: 'GW-88N',
    code: '88A',
    recordedAt: '2017-09-01T10:00:00Z',
    flag: 'no',
    count: 2,
    age: 13,
    warnings: ['CF-FLAG-003'],
  });
  await add({
    force: G,
    ref: 'GW-88D',
    code: '88A',
    recordedAt: '2017-09-02T10:00:00Z',
    flag: 'yes',
    age: null,
    status: 'draft',
  });
  await add({
    force: G,
    ref: 'GW-NEXT',
    code: '88A',
    recordedAt: '2018-03-31T23:00:00Z',
    flag: 'yes',
    age: 14,
  });
  await add({
    force: G,
    ref: 'GW-PREV',
    code: '8L',
    recordedAt: '2017-03-31T22:30:00Z',
    flag: 'no',
  });
  await add({
    force: 'dyfed-powys',
    ref: 'DP-8LY',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'yes',
    count: 5,
  });
  await add({
    force: 'dyfed-powys',
    ref: 'DP-8LW',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    count: 3,
    warnings: ['CF-FLAG-003'],
  });
  await add({
    force: 'dyfed-powys',
    ref: 'DP-8LN',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    count: 12,
  });
  await add({
    force: 'dyfed-powys',
    ref: 'DP-35Y',
    code: '35',
    recordedAt: '2017-10-01T10:00:00Z',
    flag: 'yes',
    count: 2,
  });
  await add({
    force: 'dyfed-powys',
    ref: 'DP-35N',
    code: '35',
    recordedAt: '2017-10-01T10:00:00Z',
    flag: 'no',
    count: 38,
  });
  await add({
    force: 'north-wales',
    ref: 'NW-8LY',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'yes',
    count: 9,
  });
  await add({
    force: 'north-wales',
    ref: 'NW-8LN',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    count: 21,
  });
  await add({
    force: 'north-wales',
    ref: 'NW-88Y',
    code: '88A',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'yes',
    count: 9,
    age: 14,
  });
  await add({
    force: 'north-wales',
    ref: 'NW-88N',
    code: '88A',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    age: 14,
  });
  await add({
    force: 'north-wales',
    ref: 'NW-35Y',
    code: '35',
    recordedAt: '2017-10-01T10:00:00Z',
    flag: 'yes',
    count: 20,
  });
  await add({
    force: 'north-wales',
    ref: 'NW-35N',
    code: '35',
    recordedAt: '2017-10-01T10:00:00Z',
    flag: 'no',
    count: 20,
  });
  await add({
    force: 'south-wales',
    ref: 'SW-8LY',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'yes',
    count: 10,
  });
  await add({
    force: 'south-wales',
    ref: 'SW-8LN',
    code: '8L',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    count: 40,
  });
  await add({
    force: 'south-wales',
    ref: 'SW-88Y',
    code: '88A',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'yes',
    count: 18,
    age: 14,
  });
  await add({
    force: 'south-wales',
    ref: 'SW-88N',
    code: '88A',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    count: 2,
    age: 14,
  });
  await add({
    force: 'south-wales',
    ref: 'SW-19C',
    code: '19C',
    recordedAt: '2017-08-01T10:00:00Z',
    flag: 'no',
    count: 15,
    age: 25,
  });

  // Flag changes (recorded 15 June 2017 10:00 UTC unless said): days after recording decide "late" (> 30).
  const change = (
    ref: string,
    version: number,
    from: string,
    to: string,
    changedAt: string,
    force = G,
  ) => insertFlagChange(db, { force, crimeId: byRef.get(ref) ?? '', version, from, to, changedAt });
  await change('GW-8LN-1', 2, 'yes', 'no', '2017-07-16T10:00:01Z'); // 31 days: late
  await change('GW-8LN-2', 2, 'no', 'yes', '2017-06-25T10:00:00Z'); // 10 days: in time
  await change('GW-8LN-2', 3, 'yes', 'no', '2017-07-30T10:00:00Z'); // 45 days: late (the one kept)
  await change('GW-8LN-3', 2, 'unknown', 'no', '2017-08-30T10:00:00Z'); // completing a draft: not a change of mind
  await change('GW-8LN-4', 2, 'yes', 'no', '2017-07-15T10:00:00Z'); // exactly 30 days: not late
  await change('GW-CANC-1', 2, 'no', 'yes', '2017-12-01T10:00:00Z'); // cancelled record: not counted
  await change('GW-PREV-1', 2, 'yes', 'no', '2017-12-01T10:00:00Z'); // 2016-17 record: not in the year
  await change('DP-8LN-1', 2, 'yes', 'no', '2017-12-01T10:00:00Z', 'dyfed-powys'); // another force
}

const fig = (records: number, yes: number, no: number, unknown: number, ageKnown: number) => ({
  records,
  flag_yes: yes,
  flag_no: no,
  flag_unknown: unknown,
  age_known: ageKnown,
});
const share = (n: number, d: number) => Math.round((n / d) * 10000) / 10000;

describe('auditing queries (real PostgreSQL, hand-built 2017-18)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  let db: Queryable;

  beforeAll(async () => {
    await client.connect();
    db = {
      query: async <T>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params)).rows as T[],
    };
    await seed(db);
  });
  afterAll(async () => {
    await client.end();
  });

  describe('completeness', () => {
    let rows: CompletenessRow[];
    beforeAll(async () => {
      rows = await queryCompleteness(db, { forceIds: [G], year: 2017, by: 'group', monthly: true });
    });
    const yearRows = () => rows.filter((r) => r.month === null);

    it('counts drafts and confirmed records of the year by offence group, with the total first', () => {
      expect(yearRows()).toEqual([
        expect.objectContaining({ level: 'total', group_name: null, ...fig(55, 13, 40, 2, 43) }),
        expect.objectContaining({
          level: 'group',
          group_name: 'sexual offences',
          offence_code: null,
          ...fig(13, 11, 2, 0, 12),
        }),
        expect.objectContaining({
          level: 'group',
          group_name: 'violence against the person',
          ...fig(42, 2, 38, 2, 31),
        }),
      ]);
    });

    it('gives shares of the records to 4 decimal places', () => {
      const [total, , vap] = yearRows();
      expect(total).toMatchObject({
        flag_set_share: share(53, 55),
        flag_unknown_share: share(2, 55),
        age_known_share: share(43, 55),
      });
      expect(total.flag_set_share).toBe(0.9636);
      expect(vap).toMatchObject({
        flag_set_share: 0.9524,
        flag_unknown_share: 0.0476,
        age_known_share: 0.7381,
      });
    });

    it('gives twelve monthly totals by recorded month in UK time, zero-filled, with group rows where there are records', () => {
      const totals = rows.filter((r) => r.month !== null && r.level === 'total');
      expect(totals.map((r) => [r.month, r.records])).toEqual([
        ['2017-04', 0],
        ['2017-05', 3],
        ['2017-06', 29],
        ['2017-07', 0],
        ['2017-08', 0],
        ['2017-09', 3],
        ['2017-10', 0],
        ['2017-11', 0],
        ['2017-12', 10],
        ['2018-01', 0],
        ['2018-02', 0],
        ['2018-03', 10],
      ]);
      // 1 May 00:30 BST is May; 31 Dec 23:30 GMT is December; 31 March 23:59 BST is March of the same year.
      expect(totals.find((r) => r.month === '2017-05')).toMatchObject({
        ...fig(3, 1, 0, 2, 1),
        flag_set_share: 0.3333,
        age_known_share: 0.3333,
      });
      expect(totals.find((r) => r.month === '2017-04')).toMatchObject({
        flag_set_share: null,
        age_known_share: null,
      });
      const monthGroups = rows
        .filter((r) => r.month !== null && r.level === 'group')
        .map((r) => [r.month, r.group_name, r.records]);
      expect(monthGroups).toEqual([
        ['2017-05', 'violence against the person', 3],
        ['2017-06', 'violence against the person', 29],
        ['2017-09', 'sexual offences', 3],
        ['2017-12', 'violence against the person', 10],
        ['2018-03', 'sexual offences', 10],
      ]);
    });

    it('breaks down by offence code', async () => {
      const byCode = await queryCompleteness(db, {
        forceIds: [G],
        year: 2017,
        by: 'code',
        monthly: false,
      });
      expect(
        byCode.map((r) => [
          r.level,
          r.group_name,
          r.offence_code,
          r.records,
          r.flag_unknown,
          r.age_known,
        ]),
      ).toEqual([
        ['total', null, null, 55, 2, 43],
        ['code', 'sexual offences', '88A', 13, 0, 12],
        ['code', 'violence against the person', '8L', 32, 2, 21],
        ['code', 'violence against the person', '8Q', 10, 0, 10],
      ]);
    });

    it('covers every force when no force list is given (national), and gives a zero total for an empty year', async () => {
      const national = await queryCompleteness(db, {
        forceIds: null,
        year: 2017,
        by: 'group',
        monthly: false,
      });
      // gwent 55 + dyfed-powys 60 + north-wales 80 + south-wales 85; the two drafts are gwent's.
      expect(national.find((r) => r.level === 'total')).toMatchObject({
        records: 280,
        flag_unknown: 2,
      });
      const empty = await queryCompleteness(db, {
        forceIds: ['gwent'],
        year: 2003,
        by: 'group',
        monthly: false,
      });
      expect(empty).toEqual([
        expect.objectContaining({ level: 'total', records: 0, flag_set_share: null }),
      ]);
    });

    it('gives every force its year figures by group in one query, equal to the query for that force alone', async () => {
      const welsh = ['dyfed-powys', G, 'north-wales', 'south-wales'];
      const byForce = await queryCompletenessByForce(db, { forceIds: welsh, year: 2017 });
      expect([...new Set(byForce.map((r) => r.force_id))]).toEqual(welsh);
      const pick = (r: CompletenessRow) => [
        r.level,
        r.group_name,
        r.records,
        r.flag_yes,
        r.flag_no,
        r.flag_unknown,
        r.age_known,
        r.flag_set_share,
        r.flag_unknown_share,
        r.age_known_share,
      ];
      for (const force of welsh) {
        const alone = await queryCompleteness(db, {
          forceIds: [force],
          year: 2017,
          by: 'group',
          monthly: false,
        });
        expect(byForce.filter((r) => r.force_id === force).map(pick)).toEqual(alone.map(pick));
      }
      // Gwent: 55 records (2 drafts with the flag unknown), first its total.
      expect(byForce.find((r) => r.force_id === G)).toMatchObject({
        level: 'total',
        records: 55,
        flag_unknown: 2,
      });
      // A force with no records in the year has no rows.
      expect(await queryCompletenessByForce(db, { forceIds: [G], year: 2003 })).toEqual([]);
    });
  });

  describe('under-use', () => {
    it("counts each force's confirmed records per group, only for the forces asked", async () => {
      expect(await queryForceFlagRates(db, { forceIds: [G], year: 2017, group: null })).toEqual([
        { force_id: G, group_name: 'sexual offences', flagged: 10, total: 12 },
        { force_id: G, group_name: 'violence against the person', flagged: 2, total: 40 },
      ]);
    });

    it('returns national totals per group only: no force, no record', async () => {
      const national = await queryNationalFlagRates(db, { year: 2017, group: null });
      expect(national).toEqual([
        { group_name: 'sexual offences', flagged: 37, total: 57 },
        { group_name: 'theft offences', flagged: 22, total: 80 },
        { group_name: 'violence against the person', flagged: 26, total: 140 },
      ]);
      expect(await queryNationalFlagRates(db, { year: 2017, group: 'theft offences' })).toEqual([
        national[1],
      ]);
    });

    it('scores each force against the rest of the country and ranks the outliers (n >= 30 on both sides)', async () => {
      const t = {
        minRecords: defaultAuditingConfig.underUseMinRecords,
        zThreshold: defaultAuditingConfig.underUseZThreshold,
      };
      const rows = underUseRows(
        await queryForceFlagRates(db, { forceIds: null, year: 2017, group: null }),
        await queryNationalFlagRates(db, { year: 2017, group: null }),
        t,
      );
      const gwent = rows.find((r) => r.forceId === G && r.group === 'violence against the person');
      expect(gwent).toMatchObject({
        flagged: 2,
        total: 40,
        rate: 0.05,
        rest: { flagged: 24, total: 100, rate: 0.24 },
        ranked: true,
      });
      expect(gwent?.nationalRate).toBeCloseTo(26 / 140, 12);
      expect(gwent?.z).toBeCloseTo(-2.611611, 5);
      expect(gwent?.pValue).toBeCloseTo(0.00901167, 6);
      expect(gwent?.reading).toBe(
        'flags 5% of violence against the person online against 19% nationally',
      );
      // Too few records: dyfed-powys has 20 VAP records; south-wales's rest of country has 22 sexual offences.
      expect(
        rows.find((r) => r.forceId === 'dyfed-powys' && r.group === 'violence against the person'),
      ).toMatchObject({ ranked: false });
      const sw = rows.find((r) => r.forceId === 'south-wales' && r.group === 'sexual offences');
      expect(sw).toMatchObject({ ranked: false });
      expect(sw?.z).toBeCloseTo(-2.690472, 5);

      const outliers = underUseOutliers(rows, t);
      expect(outliers.map((r) => [r.forceId, r.group, Number(r.z?.toFixed(4))])).toEqual([
        ['dyfed-powys', 'theft offences', -4.507],
        [G, 'violence against the person', -2.6116],
      ]);
      expect(outliers[0].reading).toBe('flags 5% of theft offences online against 28% nationally');
    });
  });

  describe('review queue refresh', () => {
    it('adds one item per record and reason for the force and year, and nothing the second time', async () => {
      const first = await refreshReviewItems(db, {
        forceIds: [G],
        year: 2017,
        lateDays: 30,
        by: 'int-test',
      });
      expect(first).toEqual([
        { reason: 'flag_changed_late', found: 2, added: 2 },
        { reason: 'online_without_method', found: 1, added: 1 },
        { reason: 'usually_online_not_flagged', found: 2, added: 2 },
      ]);
      const again = await refreshReviewItems(db, {
        forceIds: [G],
        year: 2017,
        lateDays: 30,
        by: 'int-test',
      });
      expect(again.map((r) => r.added)).toEqual([0, 0, 0]);

      const items = await listReviewItems(db, {
        forceIds: [G],
        status: null,
        reason: null,
        year: 2017,
        afterSeq: null,
        addedBy: null,
        limit: 100,
      });
      expect(items).toHaveLength(5);
      const late = items
        .filter((i) => i.reason === 'flag_changed_late')
        .map((i) => [i.crime_reference, i.details]);
      expect(late.sort()).toEqual([
        [
          'GW-8LN-1',
          expect.objectContaining({
            version: 2,
            from: 'yes',
            to: 'no',
            daysAfterRecording: 31,
            thresholdDays: 30,
          }),
        ],
        [
          'GW-8LN-2',
          expect.objectContaining({ version: 3, from: 'yes', to: 'no', daysAfterRecording: 45 }),
        ],
      ]);
      expect(
        items.every((i) => i.force_id === G && i.status === 'open' && i.created_by === 'int-test'),
      ).toBe(true);
    });

    it('pages through the queue by insertion order', async () => {
      await refreshReviewItems(db, {
        forceIds: ['dyfed-powys'],
        year: 2017,
        lateDays: 30,
        by: 'int-test',
      });
      const all = await listReviewItems(db, {
        forceIds: [G, 'dyfed-powys'],
        status: null,
        reason: null,
        year: 2017,
        afterSeq: null,
        addedBy: null,
        limit: 100,
      });
      expect(all).toHaveLength(9); // gwent 5; dyfed-powys 3 CF-FLAG-003 + 1 late change
      const first = await listReviewItems(db, {
        forceIds: [G, 'dyfed-powys'],
        status: null,
        reason: null,
        year: 2017,
        afterSeq: null,
        addedBy: null,
        limit: 4,
      });
      const second = await listReviewItems(db, {
        forceIds: [G, 'dyfed-powys'],
        status: null,
        reason: null,
        year: 2017,
        afterSeq: first[3].seq,
        addedBy: null,
        limit: 100,
      });
      expect([...first, ...second].map((i) => i.id)).toEqual(all.map((i) => i.id));
      const dp = await listReviewItems(db, {
        forceIds: ['dyfed-powys'],
        status: 'open',
        reason: 'usually_online_not_flagged',
        year: 2017,
        afterSeq: null,
        addedBy: null,
        limit: 100,
      });
      expect(dp.map((i) => i.crime_reference).sort()).toEqual(['DP-8LW-1', 'DP-8LW-2', 'DP-8LW-3']);
    });

    it('filters by who added the item', async () => {
      const base = { forceIds: [G, 'dyfed-powys'], status: null, reason: null, year: 2017 };
      const page = { afterSeq: null, limit: 100 };
      const all = await listReviewItems(db, { ...base, ...page, addedBy: null });
      const byRefresher = await listReviewItems(db, { ...base, ...page, addedBy: 'int-test' });
      const byOther = await listReviewItems(db, { ...base, ...page, addedBy: 'someone.else' });
      expect(all.length).toBeGreaterThan(0);
      expect(byRefresher.map((i) => i.id)).toEqual(all.map((i) => i.id));
      expect(byOther).toEqual([]);
    });
  });
});
