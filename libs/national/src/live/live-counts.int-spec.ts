// The live national aggregation (one pass over every force's records) must give, force by force, exactly
// the tables computeReturn gives for that force: same definitions, same numbers, same order.
import pg from 'pg';
import { Catalogue } from '#libs/catalogue';
import { financialYearPeriod } from '#libs/recording-rules';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { canonicalJson, computeReturn } from '#libs/returns';
import { insertRecords, type Rec } from '../testing/seed.js';
import { liveCubeFiguresSql, queryLiveCube, queryNationalFlagChanges } from './live-cube.query.js';
import { liveForceCounts, offenceAgeCounts } from './live-counts.js';

// 2021-22, Surrey and Sussex (and Cleveland, with no records).
const YEAR = 2021;
const SURREY: Rec[] = [
  { code: '88A', flag: 'yes', age: 13, times: 3 },
  { code: '88A', flag: 'yes', age: 13, sex: 'male' },
  { code: '19E', flag: 'yes', age: 12 }, // rape, child under 13
  { code: '19H', flag: 'yes', age: 9, sex: 'male' }, // rape, under ten
  { code: '21', flag: 'yes', age: null, sex: 'unknown', warnings: ['CF-AGE-007'] }, // child by code: unknown age row
  { code: '22A', flag: 'yes', age: null }, // unknown age on a code open to adults: not in B
  { code: '19C', flag: 'yes', age: 30 }, // adult
  { code: '19C', flag: 'yes', age: 17 },
  { code: '71', flag: 'yes', age: 16, lateHours: 30 }, // recorded 30 h after the report
  { code: '88A', flag: 'no', age: 14, warnings: ['CF-FLAG-003', 'CF-TIME-001'] },
  { code: '8L', flag: 'yes', age: 25, times: 2 },
  { code: '8L', flag: 'no', age: 40, sex: 'unknown', lateHours: 24 }, // exactly 24 h: within
  { code: '58A', flag: 'no', age: null },
  { code: '8L', flag: 'unknown', age: null, status: 'draft' },
  { code: '8L', flag: 'yes', age: 33, status: 'draft' },
  { code: '88A', flag: 'yes', age: 13, status: 'cancelled', category: 'C3' },
  { code: '8L', flag: 'no', age: 30, status: 'transferred', category: 'C1' },
  { code: '58A', flag: 'yes', age: 45, status: 'cancelled', category: 'C2' },
  { code: '88A', flag: 'yes', age: 15, day: '2022-03-31' }, // last day of the year (UK time)
  { code: '88A', flag: 'yes', age: 15, day: '2022-04-01' }, // next year: not counted
];
const SUSSEX: Rec[] = [
  { code: '17A', flag: 'yes', age: 16, sex: 'male' },
  { code: '73', flag: 'yes', age: 16 },
  { code: '20B', flag: 'yes', age: 4 },
  { code: '35', flag: 'yes', age: 19, sex: 'male', warnings: ['CF-TIME-001'] },
];

interface PlanNode {
  'Relation Name'?: string;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

describe('live national aggregation', () => {
  let pool: pg.Pool;
  let db: Queryable;
  const catalogue = new Catalogue();

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
    db = pgQueryable(pool);
    const [first] = await insertRecords(db, 'surrey', YEAR, SURREY);
    await insertRecords(db, 'sussex', YEAR, SUSSEX);
    // Flag changes made during the year (the first record flipped no → yes → no → yes).
    const history = (version: number, old: string, now: string, at: string) =>
      db.query(
        `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_at, changed_by)
         VALUES ('surrey', $1, $2, 'amended', 'test', $3, $4, 'test')`,
        [first, version, JSON.stringify({ onlineFlag: { old, new: now } }), at],
      );
    await history(2, 'no', 'yes', '2021-06-01T10:00:00Z');
    await history(3, 'yes', 'no', '2021-07-01T10:00:00Z');
    await history(4, 'no', 'yes', '2022-03-31T23:30:00Z'); // 00:30 BST on 1 April 2022: next year's change
  });
  afterAll(async () => {
    await pool.end();
  });

  it('gives each force exactly the tables of its own return', async () => {
    const cube = await queryLiveCube(db, YEAR);
    const p = financialYearPeriod(YEAR);
    const changes = await queryNationalFlagChanges(db, p.start, p.end);
    const live = liveForceCounts(catalogue, ['surrey', 'sussex', 'cleveland'], cube, changes);
    for (const l of live) {
      const r = await computeReturn(db, {
        forceId: l.forceId,
        year: YEAR,
        countingRulesVersion: 't',
        generatedAt: new Date(),
      });
      expect(canonicalJson(l.tableA)).toBe(canonicalJson(r.tableA));
      expect(canonicalJson(l.tableB)).toBe(canonicalJson(r.tableB));
      expect(canonicalJson(l.tableC)).toBe(canonicalJson(r.tableC));
      expect(l.source).toEqual(r.metadata.source);
    }
    const surrey = live[0]!;
    expect(surrey.tableB.summary).toEqual({
      total: 10,
      rapes: 3,
      youngestAge: 9,
      modalAge: 13,
      underTen: 1,
    });
    expect(surrey.tableC.flagChanges).toEqual([
      { direction: 'no-to-yes', changes: 1, records: 1 },
      { direction: 'yes-to-no', changes: 1, records: 1 },
    ]);
    expect(live[2]!.tableA.rows).toEqual([expect.objectContaining({ level: 'total', total: 0 })]); // no records: zeros
  });

  it("reads each force's latest save once, not once per row of the aggregate", async () => {
    // More groups than there are forces (child victims of every age and sex), in a transaction rolled back after:
    // no other test sees them.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const tx = pgQueryable(client);
      const recs: Rec[] = [];
      for (let age = 0; age < 18; age++)
        for (const sex of ['female', 'male', 'unknown'] as const)
          recs.push({ code: '88A', flag: 'yes', age, sex });
      await insertRecords(tx, 'kent', YEAR, recs);
      const [{ n: forces }] = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM forces',
      );
      expect((await queryLiveCube(tx, YEAR)).length).toBeGreaterThan(forces);
      const [{ 'QUERY PLAN': plan }] = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${liveCubeFiguresSql}`,
        [YEAR],
      );
      const crimeScans: PlanNode[] = [];
      const walk = (n: PlanNode) => {
        if (n['Relation Name'] === 'crimes') crimeScans.push(n);
        n.Plans?.forEach(walk);
      };
      walk(plan[0].Plan);
      expect(crimeScans.length).toBeGreaterThan(0);
      for (const scan of crimeScans) expect(scan['Actual Loops']).toBeLessThanOrEqual(forces);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('keeps offence × age detail for table B records only', async () => {
    const ages = offenceAgeCounts(await queryLiveCube(db, YEAR), ['surrey']);
    expect(Object.fromEntries([...ages].map(([code, m]) => [code, Object.fromEntries(m)]))).toEqual(
      {
        '88A': { 13: 4, 15: 1 },
        '19E': { 12: 1 },
        '19H': { 9: 1 },
        '21': { [-1]: 1 },
        '19C': { 17: 1 },
        '71': { 16: 1 },
      },
    );
  });
});
