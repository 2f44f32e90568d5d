import fc from 'fast-check';
import pg from 'pg';
import type { CrimeStatus } from '#libs/recording-rules';
import { insertCrimeRows, removal, rowsOf } from '#libs/crimes/testing';
import type { Queryable } from '#libs/persistence';
import { testAppUrl, testOwnerUrl } from '#libs/persistence/testing';
import {
  queryCompleteness,
  queryCompletenessByForce,
  type CompletenessBreakdown,
} from './completeness.query.js';

// Completeness read from the maintained aggregate (crime_figures_monthly) must give exactly what the scan of
// the records gives, for any data: random records (every status, unknown flags and ages, recorded dates on
// the UK-time edges of months and of the year), then random amendments and deletions (so the aggregate holds
// signed deltas), sometimes compacted; compared for every breakdown, with and without months, national and
// per force, and under row-level security as the application role. Three Welsh forces, years 2016-17 to
// 2018-19: this file's database holds nothing else.
const FORCES = ['dyfed-powys', 'gwent', 'north-wales'] as const;
const YEARS = [2016, 2017, 2018] as const;
// Codes of five offence groups; two codes in some groups, so the code breakdown differs from the group one.
const CODES = ['8L', '8Q', '88A', '19C', '35', '58A', '92A'] as const;

interface Facts {
  code: (typeof CODES)[number];
  year: (typeof YEARS)[number];
  month: number; // 0 = April .. 11 = March
  // 23:30 UTC on the month's last day: the next day, month (and, on 31 March, year) in UK summer time.
  edge: boolean;
  day: number;
  flag: 'yes' | 'no' | 'unknown';
  age: number | null;
  status: CrimeStatus;
}

const factsArb: fc.Arbitrary<Facts> = fc
  .record({
    code: fc.constantFrom(...CODES),
    year: fc.constantFrom(...YEARS),
    month: fc.integer({ min: 0, max: 11 }),
    edge: fc.boolean(),
    day: fc.integer({ min: 1, max: 28 }),
    flag: fc.constantFrom('yes' as const, 'no' as const, 'unknown' as const),
    age: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
    status: fc.constantFrom<CrimeStatus>(
      'draft',
      'confirmed',
      'confirmed',
      'cancelled',
      'transferred',
    ),
  })
  // ck_crimes_flag_known: 'unknown' only on drafts.
  .map((f) => (f.flag === 'unknown' && f.status !== 'draft' ? { ...f, status: 'draft' } : f));

const change = fc.oneof(
  fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), facts: factsArb }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

const dataArb = fc.record({
  records: fc.array(fc.record({ force: fc.constantFrom(...FORCES), facts: factsArb }), {
    minLength: 0,
    maxLength: 40,
  }),
  changes: fc.array(change, { maxLength: 12 }),
  compact: fc.boolean(),
  year: fc.constantFrom(...YEARS),
});

function dates(f: Facts) {
  const recorded = f.edge
    ? Date.UTC(f.year, 4 + f.month, 0, 23, 30)
    : Date.UTC(f.year, 3 + f.month, f.day, 10);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    recorded_at: iso(recorded),
    reported_at: iso(recorded - 3_600_000),
    offence_from: iso(recorded - 3 * 86_400_000),
  };
}

function columns(f: Facts) {
  const d = dates(f);
  return {
    offence_code: f.code,
    ...d,
    online_flag: f.flag,
    online_method: f.flag === 'yes' ? 'messages through a social media app' : null,
    victim_age: f.age,
    status: f.status,
    ...removal(f.status, d.recorded_at, 'C2', 'south-wales'),
  };
}

type Data = typeof dataArb extends fc.Arbitrary<infer T> ? T : never;

let seq = 0;
async function load(owner: pg.Client, data: Data): Promise<void> {
  await owner.query(`DELETE FROM crimes WHERE force_id = ANY ($1)`, [FORCES]);
  await insertCrimeRows(
    rowsOf(owner),
    data.records.map((r) => ({
      force_id: r.force,
      crime_reference: `CMP-${++seq}`,
      ...columns(r.facts),
    })),
  );
  for (const c of data.changes) {
    const { rows } = await owner.query<{ force_id: string; id: string }>(
      `SELECT force_id, id FROM crimes WHERE force_id = ANY ($1) ORDER BY id`,
      [FORCES],
    );
    if (rows.length === 0) break;
    const target = rows[c.pick % rows.length];
    if (c.kind === 'delete') {
      await owner.query(`DELETE FROM crimes WHERE force_id = $1 AND id = $2`, [
        target.force_id,
        target.id,
      ]);
      continue;
    }
    const set = columns(c.facts);
    const names = Object.keys(set);
    await owner.query(
      `UPDATE crimes SET ${names.map((n, i) => `${n} = $${i + 3}`).join(', ')}, version = version + 1
       WHERE force_id = $1 AND id = $2`,
      [target.force_id, target.id, ...Object.values(set)],
    );
  }
  if (data.compact)
    for (const force of FORCES)
      for (const year of [...YEARS, 2019])
        await owner.query(`SELECT compact_crime_figures_monthly($1, $2::smallint)`, [force, year]);
}

const queryable = (c: pg.ClientBase): Queryable => ({
  query: async <T>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as T[],
});

describe('completeness from the maintained aggregate', () => {
  const owner = new pg.Client({ connectionString: testOwnerUrl() });
  const app = new pg.Client({ connectionString: testAppUrl() });
  const SCOPE = ['gwent', 'north-wales'];

  beforeAll(async () => {
    await owner.connect();
    await app.connect();
    // The application's session: row-level security applies; two of the three forces in scope.
    await app.query(`SELECT set_config('cyberflag.forces', $1, false)`, [SCOPE.join(',')]);
  });
  afterAll(async () => {
    await owner.query(`DELETE FROM crimes WHERE force_id = ANY ($1)`, [FORCES]);
    await owner.end();
    await app.end();
  });

  it('equals the scan of the records for random records, amendments and deletions', async () => {
    const forceLists: (string[] | null)[] = [null, ['gwent'], ['dyfed-powys', 'north-wales'], []];
    const breakdowns: CompletenessBreakdown[] = ['group', 'code'];
    await fc.assert(
      fc.asyncProperty(dataArb, async (data) => {
        await load(owner, data);
        const db = queryable(owner);
        const year = data.year;
        for (const forceIds of forceLists) {
          for (const by of breakdowns)
            for (const monthly of [false, true]) {
              const p = { forceIds, year, by, monthly };
              expect(await queryCompleteness(db, p, 'figures')).toEqual(
                await queryCompleteness(db, p, 'records'),
              );
            }
          expect(await queryCompletenessByForce(db, { forceIds, year }, 'figures')).toEqual(
            await queryCompletenessByForce(db, { forceIds, year }, 'records'),
          );
        }
        // As the application role: the aggregate's row-level security hides what crimes' hides.
        const p = { forceIds: null, year, by: 'code' as const, monthly: true };
        const scoped = await queryCompleteness(queryable(app), p, 'figures');
        expect(scoped).toEqual(await queryCompleteness(queryable(app), p, 'records'));
        expect(scoped).toEqual(await queryCompleteness(db, { ...p, forceIds: SCOPE }, 'records'));
        expect(await queryCompletenessByForce(queryable(app), { forceIds: null, year })).toEqual(
          await queryCompletenessByForce(db, { forceIds: SCOPE, year }, 'records'),
        );
      }),
      { numRuns: 30, seed: 20261206 },
    );
  });

  it('counts a record on the UK-time side of a month and year edge, as the records do', async () => {
    // 31 March 2018 23:30 UTC is 1 April 2018 00:30 BST: April of 2018-19, not March of 2017-18.
    // 30 April 2017 23:30 UTC is 1 May 00:30 BST: May.
    await load(owner, {
      records: [
        {
          force: 'gwent',
          facts: {
            code: '8L',
            year: 2017,
            month: 11,
            edge: true,
            day: 1,
            flag: 'no',
            age: null,
            status: 'confirmed',
          },
        },
        {
          force: 'gwent',
          facts: {
            code: '8L',
            year: 2017,
            month: 0,
            edge: true,
            day: 1,
            flag: 'unknown',
            age: 12,
            status: 'draft',
          },
        },
      ],
      changes: [],
      compact: false,
      year: 2017,
    });
    const db = queryable(owner);
    const months = async (year: number) =>
      (await queryCompleteness(db, { forceIds: ['gwent'], year, by: 'group', monthly: true }))
        .filter((r) => r.month !== null && r.level === 'total' && r.records > 0)
        .map((r) => [r.month, r.records, r.flag_unknown, r.age_known]);
    expect(await months(2017)).toEqual([['2017-05', 1, 1, 1]]);
    expect(await months(2018)).toEqual([['2018-04', 1, 0, 0]]);
  });
});
