import fc from 'fast-check';
import pg from 'pg';
import type { CrimeStatus } from '#libs/recording-rules';
import { computeReturn } from '../compute-return.js';
import { pgQueryable } from '#libs/persistence';
import { testOwnerUrl } from '#libs/persistence/testing';
import { insertCrime, type CrimeInput } from '../testing/insert-records.js';
import {
  advanceCompaction,
  compactFigures,
  figuresDifferences,
  figuresToCompact,
  rebuildFigures,
} from './figures.query.js';

// The maintained aggregate (crime_figures, kept by triggers on crimes) must equal a full recomputation from
// the records after any sequence of writes, committed or rolled back, concurrent or not; and so must the monthly
// completeness aggregate (crime_figures_monthly), which figuresDifferences checks with it. Owner connection:
// the triggers are what is tested, whatever path writes crimes. Years 2041-42 to 2043-44 for Kent and
// Essex hold only this file's records (a record of 31 March 2043 23:30 UTC is in 2043-44: 1 April, BST).
const FORCES = ['kent', 'essex'] as const;
const YEARS = [2041, 2042] as const;
const ALL_YEARS = [2041, 2042, 2043];
// Codes of every kind the tables treat differently: table-B codes for children only (17B, 19E, 21) and
// for any age (19C), a non-sexual code with a personal victim, and one without.
const CODES = ['17B', '19C', '19E', '21', '8L', '92A'] as const;

interface Facts {
  code: (typeof CODES)[number];
  year: (typeof YEARS)[number];
  month: number; // 0 = April .. 11 = March
  // Recorded at 23:30 UTC on the month's last day: the next day (and month) in UK summer time.
  edge: boolean;
  flag: 'yes' | 'no' | 'unknown';
  age: number | null;
  sex: 'female' | 'male' | 'unknown';
  status: CrimeStatus;
  warnings: string[];
  late: boolean; // recorded more than 24 hours after the report
}

const factsArb: fc.Arbitrary<Facts> = fc
  .record({
    code: fc.constantFrom(...CODES),
    year: fc.constantFrom(...YEARS),
    month: fc.integer({ min: 0, max: 11 }),
    edge: fc.boolean(),
    flag: fc.constantFrom('yes' as const, 'no' as const, 'unknown' as const),
    age: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    sex: fc.constantFrom('female' as const, 'male' as const, 'unknown' as const),
    status: fc.constantFrom<CrimeStatus>('draft', 'confirmed', 'cancelled', 'transferred'),
    warnings: fc.subarray(['CF-R10', 'CF-R14']),
    late: fc.boolean(),
  })
  // ck_crimes_flag_known: 'unknown' only on drafts.
  .map((f) => (f.flag === 'unknown' && f.status !== 'draft' ? { ...f, status: 'draft' } : f));

type Op =
  | { kind: 'insert'; force: (typeof FORCES)[number]; facts: Facts }
  | { kind: 'update'; pick: number; facts: Facts }
  | { kind: 'delete'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    force: fc.constantFrom(...FORCES),
    facts: factsArb,
  }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), facts: factsArb }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

// A batch of operations, one transaction, committed or rolled back.
const batchArb = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 6 }),
  commit: fc.boolean(),
});

const recordedAt = (f: Facts, n: number): string =>
  new Date(
    f.edge
      ? Date.UTC(f.year, 4 + f.month, 0, 23, 30)
      : Date.UTC(f.year, 3 + f.month, 1 + (n % 28), 10),
  ).toISOString();
const reportedAt = (f: Facts, n: number): string =>
  new Date(new Date(recordedAt(f, n)).getTime() - (f.late ? 30 : 1) * 3_600_000).toISOString();

let seq = 0;
async function apply(c: pg.ClientBase, op: Op): Promise<void> {
  const db = pgQueryable(c);
  const existing = await c.query<{ force_id: string; id: string; version: number }>(
    `SELECT force_id, id, version FROM crimes
     WHERE force_id = ANY($1) AND financial_year = ANY($2) ORDER BY id`,
    [FORCES, ALL_YEARS],
  );
  const n = ++seq;
  if (op.kind === 'insert') {
    const f = op.facts;
    const input: CrimeInput = {
      force: op.force,
      ref: `FIG-${process.pid}-${n}`,
      code: f.code,
      recordedAt: recordedAt(f, n),
      reportedAt: reportedAt(f, n),
      flag: f.flag,
      age: f.age,
      sex: f.sex,
      status: f.status,
      transferredTo: 'surrey',
      warnings: f.warnings,
      updatedAt: recordedAt(f, n),
    };
    await insertCrime(db, input);
    return;
  }
  if (existing.rows.length === 0) return;
  const target = existing.rows[op.pick % existing.rows.length];
  if (op.kind === 'delete') {
    await c.query(`DELETE FROM crimes WHERE force_id = $1 AND id = $2`, [
      target.force_id,
      target.id,
    ]);
    return;
  }
  const f = op.facts;
  const removed = f.status === 'cancelled' || f.status === 'transferred';
  await c.query(
    `UPDATE crimes SET offence_code = $3, recorded_at = $4, reported_at = $5, offence_from = $5::timestamptz - interval '2 days',
       offence_to = NULL, online_flag = $6, victim_age = $7, victim_sex = $8, status = $9, rule_warnings = $10,
       cancellation_category = $11, cancellation_justification = $12, cancelled_at = $13, cancelled_by = $14,
       transferred_to_force_id = $15, version = version + 1, updated_at = $4
     WHERE force_id = $1 AND id = $2`,
    [
      target.force_id,
      target.id,
      f.code,
      recordedAt(f, n),
      reportedAt(f, n),
      f.flag,
      f.age,
      f.sex,
      f.status,
      f.warnings,
      removed ? 'C2' : null,
      removed ? 'Additional verifiable information recorded for the test.' : null,
      removed ? recordedAt(f, n) : null,
      removed ? 'fcr.test' : null,
      f.status === 'transferred' ? 'surrey' : null,
    ],
  );
}

async function assertAggregateExact(c: pg.ClientBase): Promise<void> {
  const diffs = await figuresDifferences(pgQueryable(c), {
    forceIds: [...FORCES],
    years: ALL_YEARS,
  });
  expect(diffs).toEqual([]);
}

async function returnsFromBothSources(c: pg.ClientBase, forceId: string, year: number) {
  const db = pgQueryable(c);
  const base = { forceId, year, countingRulesVersion: 'test', generatedAt: new Date(0) };
  const records = await computeReturn(db, { ...base, source: 'records' });
  const figures = await computeReturn(db, { ...base, source: 'figures' });
  return { records, figures };
}

describe('maintained figures (crime_figures)', () => {
  const owner = new pg.Client({ connectionString: testOwnerUrl() });
  const other = new pg.Client({ connectionString: testOwnerUrl() });

  beforeAll(async () => {
    await owner.connect();
    await other.connect();
  });
  afterAll(async () => {
    await owner.query(`DELETE FROM crimes WHERE force_id = ANY($1) AND financial_year = ANY($2)`, [
      FORCES,
      ALL_YEARS,
    ]);
    await owner.end();
    await other.end();
  });
  beforeEach(async () => {
    await owner.query(`DELETE FROM crimes WHERE force_id = ANY($1) AND financial_year = ANY($2)`, [
      FORCES,
      ALL_YEARS,
    ]);
  });

  it('equals a full recomputation after every batch of inserts, amendments and deletions, committed or rolled back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 5 }), async (batches) => {
        for (const b of batches) {
          await owner.query('BEGIN');
          try {
            for (const op of b.ops) await apply(owner, op);
            await owner.query(b.commit ? 'COMMIT' : 'ROLLBACK');
          } catch (e) {
            await owner.query('ROLLBACK');
            throw e;
          }
          await assertAggregateExact(owner);
        }
        // The tables a return is made of are the same from either source.
        for (const forceId of FORCES)
          for (const year of ALL_YEARS) {
            const { records, figures } = await returnsFromBothSources(owner, forceId, year);
            expect(figures).toEqual(records);
          }
      }),
      { numRuns: 25, seed: 20261206 },
    );
  });

  it('stays exact when two transactions write the same force and year at once, one rolling back, with a compaction in between', async () => {
    const facts: Facts = {
      code: '19C',
      year: 2041,
      month: 2, // June
      edge: false,
      flag: 'yes',
      age: 14,
      sex: 'female',
      status: 'confirmed',
      warnings: [],
      late: false,
    };
    for (let i = 0; i < 5; i++) await apply(owner, { kind: 'insert', force: 'kent', facts });
    await owner.query('BEGIN');
    await other.query('BEGIN');
    await apply(owner, { kind: 'insert', force: 'kent', facts: { ...facts, age: 9 } });
    await apply(other, { kind: 'insert', force: 'kent', facts: { ...facts, flag: 'no' } });
    await apply(other, { kind: 'update', pick: 0, facts: { ...facts, code: '17B', age: 11 } });
    // A compaction while both are in flight folds only committed rows.
    const third = new pg.Client({ connectionString: testOwnerUrl() });
    await third.connect();
    try {
      await third.query(`SELECT compact_crime_figures('kent', 2041::smallint)`);
    } finally {
      await third.end();
    }
    await owner.query('COMMIT');
    await other.query('ROLLBACK');
    await assertAggregateExact(owner);
    const rows = await owner.query<{ n: string }>(
      `SELECT sum(n) AS n FROM crime_figures WHERE force_id = 'kent' AND financial_year = 2041`,
    );
    expect(Number(rows.rows[0].n)).toBe(6);
    const { records, figures } = await returnsFromBothSources(owner, 'kent', 2041);
    expect(figures).toEqual(records);
    expect(figures.tableB.summary.total).toBe(6);
  });

  it('compaction folds a force-year into one row per group without changing a figure', async () => {
    const facts: Facts = {
      code: '8L',
      year: 2042,
      month: 2, // June
      edge: false,
      flag: 'yes',
      age: 30,
      sex: 'male',
      status: 'confirmed',
      warnings: [],
      late: true,
    };
    for (let i = 0; i < 4; i++) await apply(owner, { kind: 'insert', force: 'essex', facts });
    for (let i = 0; i < 4; i++)
      await apply(owner, { kind: 'update', pick: i, facts: { ...facts, flag: 'no' } });
    const count = async () =>
      Number(
        (
          await owner.query<{ n: string }>(
            `SELECT count(*) AS n FROM crime_figures WHERE force_id = 'essex' AND financial_year = 2042`,
          )
        ).rows[0].n,
      );
    expect(await count()).toBeGreaterThan(1);
    const before = await returnsFromBothSources(owner, 'essex', 2042);
    const folded = await owner.query<{ folded: number }>(
      `SELECT compact_crime_figures('essex', 2042::smallint) AS folded`,
    );
    expect(folded.rows[0].folded).toBeGreaterThan(0);
    expect(await count()).toBe(1); // one group left: confirmed, flag no, adult, late
    await assertAggregateExact(owner);
    const after = await returnsFromBothSources(owner, 'essex', 2042);
    expect(after.figures).toEqual(before.records);
  });

  it('compacts a force-year whose change moved only its monthly figures', async () => {
    const db = pgQueryable(owner);
    const facts: Facts = {
      code: '8L',
      year: 2042,
      month: 2, // June
      edge: false,
      flag: 'no',
      age: 30,
      sex: 'male',
      status: 'confirmed',
      warnings: [],
      late: false,
    };
    await apply(owner, { kind: 'insert', force: 'essex', facts });
    await apply(owner, { kind: 'insert', force: 'essex', facts });
    const [moved, other] = (
      await owner.query<{ id: string }>(
        `SELECT id FROM crimes WHERE force_id = 'essex' AND financial_year = 2042 ORDER BY id`,
      )
    ).rows.map((r) => r.id);
    await owner.query(`UPDATE crimes SET version = 2 WHERE force_id = 'essex' AND id = $1`, [
      other,
    ]);
    const first = await figuresToCompact(db);
    for (const fy of first.forceYears) await compactFigures(db, fy.forceId, fy.year);
    // The folded rows take new ids: move the watermark past them too, so nothing is pending.
    await advanceCompaction(db, (await figuresToCompact(db)).through);
    expect((await figuresToCompact(db)).forceYears).toEqual([]);
    // One record three months later and a version up, the other a version down, in one statement: every yearly
    // figure (records, sum of versions) is unchanged, so no crime_figures row; the monthly ones move one record
    // from June to September. (Every change advances a version (migration 1780000027700), so a change that moves
    // only monthly figures takes two records.)
    const later = (column: string) =>
      `${column} = CASE WHEN id = $1 THEN ${column} + interval '3 months' ELSE ${column} END`;
    await owner.query(
      `UPDATE crimes SET ${['recorded_at', 'reported_at', 'offence_from'].map(later).join(', ')},
         version = CASE WHEN id = $1 THEN 2 ELSE 1 END
       WHERE force_id = 'essex' AND id IN ($1, $2)`,
      [moved, other],
    );
    expect((await figuresToCompact(db)).forceYears).toEqual([{ forceId: 'essex', year: 2042 }]);
    expect(await compactFigures(db, 'essex', 2042)).toBe(1); // June +2 -1 folded into one row, September +1
    await assertAggregateExact(owner);
    const months = await owner.query<{ recorded_month: number }>(
      `SELECT recorded_month FROM crime_figures_monthly WHERE force_id = 'essex' AND financial_year = 2042`,
    );
    expect(months.rows.map((r) => r.recorded_month).sort((a, b) => a - b)).toEqual([6, 9]);
  });

  it('verify reports a corrupted aggregate and rebuild repairs it', async () => {
    const facts: Facts = {
      code: '21',
      year: 2041,
      month: 2, // June
      edge: false,
      flag: 'yes',
      age: 11,
      sex: 'female',
      status: 'confirmed',
      warnings: [],
      late: false,
    };
    await apply(owner, { kind: 'insert', force: 'kent', facts });
    await owner.query(
      `UPDATE crime_figures SET n = n + 1 WHERE force_id = 'kent' AND financial_year = 2041`,
    );
    const diffs = await figuresDifferences(pgQueryable(owner), {
      forceIds: ['kent'],
      years: [2041],
    });
    expect(diffs).toEqual([expect.objectContaining({ forceId: 'kent', year: 2041 })]);
    expect(diffs[0].groups).toBeGreaterThan(0);
    const { records, figures } = await returnsFromBothSources(owner, 'kent', 2041);
    expect(figures).not.toEqual(records);
    await owner.query(`SELECT rebuild_crime_figures('kent', 2041::smallint)`);
    await assertAggregateExact(owner);
  });

  it('verify reports a corrupted monthly figure (with the yearly ones intact) and rebuildFigures repairs it', async () => {
    const facts: Facts = {
      code: '8L',
      year: 2042,
      month: 9, // January 2043
      edge: false,
      flag: 'no',
      age: null,
      sex: 'male',
      status: 'draft',
      warnings: [],
      late: false,
    };
    await apply(owner, { kind: 'insert', force: 'essex', facts });
    // The record moved to another month: only the monthly aggregate changes.
    await owner.query(
      `UPDATE crime_figures_monthly SET recorded_month = 2 WHERE force_id = 'essex' AND financial_year = 2042`,
    );
    const diffs = await figuresDifferences(pgQueryable(owner), {
      forceIds: ['essex'],
      years: [2042],
    });
    expect(diffs).toEqual([{ forceId: 'essex', year: 2042, groups: 2 }]);
    expect(await rebuildFigures(pgQueryable(owner), 'essex', 2042)).toBe(2); // one group in each aggregate
    await assertAggregateExact(owner);
    const months = await owner.query<{ recorded_month: number; n: string; unknown_age: string }>(
      `SELECT recorded_month, n, unknown_age FROM crime_figures_monthly_net
       WHERE force_id = 'essex' AND financial_year = 2042`,
    );
    expect(months.rows).toEqual([{ recorded_month: 1, n: '1', unknown_age: '1' }]);
  });
});
