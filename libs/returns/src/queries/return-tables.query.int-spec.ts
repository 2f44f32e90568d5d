import pg from 'pg';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { insertCrime, type CrimeInput } from '../testing/insert-records.js';
import { queryChildSexualOffences } from './child-sexual-offences.query.js';
import { queryOffencesByFlag } from './offences-by-flag.query.js';
import { queryQuality } from './quality.query.js';
import { queryRemovals } from './removals.query.js';
import { queryReturnMetadata } from './return-metadata.query.js';
import { queryReturnTables } from './return-tables.query.js';
import { queryRuleWarnings } from './rule-warnings.query.js';

// The one-statement query computeReturn runs and the per-table runners read the same aggregate
// (fy) through the same table SQL: they must give the same rows. Suffolk 2017-18.
const s = (
  ref: string,
  code: string,
  flag: CrimeInput['flag'],
  age: number | null,
  extra: Partial<CrimeInput> = {},
): CrimeInput => ({
  force: 'suffolk',
  ref,
  code,
  recordedAt: '2017-06-01T10:00:00Z',
  flag,
  age,
  sex: 'female',
  ...extra,
});
const DATASET: CrimeInput[] = [
  s('SUF-1', '88A', 'yes', 13),
  s('SUF-2', '19C', 'yes', 17, { warnings: ['CF-FLAG-003'] }),
  s('SUF-3', '8L', 'no', 40, { reportedAt: '2017-05-20T10:00:00Z' }),
  s('SUF-4', '21', 'yes', null, { sex: 'unknown' }),
  s('SUF-5', '8L', 'yes', 25, { status: 'cancelled', category: 'C2' }),
  s('SUF-6', '8L', 'unknown', null, { status: 'draft' }),
];

describe('return tables in one statement (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  let db: Queryable;

  beforeAll(async () => {
    await client.connect();
    db = pgQueryable(client);
    for (const c of DATASET) await insertCrime(db, c);
  });
  afterAll(async () => {
    await client.end();
  });

  it('gives the same rows as each table query run on its own', async () => {
    const p = { forceId: 'suffolk', year: 2017 };
    const all = await queryReturnTables(db, p);
    const strip = <T extends object>(rows: T[]) =>
      rows.map(({ ord: _ord, ...rest }: T & { ord?: unknown }) => rest);
    expect(strip(all.table_a)).toEqual(await queryOffencesByFlag(db, p));
    expect(strip(all.table_b)).toEqual(await queryChildSexualOffences(db, p));
    expect([all.quality]).toEqual(await queryQuality(db, p));
    expect(strip(all.removals)).toEqual(await queryRemovals(db, p));
    expect(strip(all.rule_warnings)).toEqual(await queryRuleWarnings(db, p));
    expect([all.metadata]).toEqual(await queryReturnMetadata(db, p));
    expect(all.table_a.at(-1)).toMatchObject({ level: 'total', flag_yes: 3, flag_no: 1, total: 4 });
    expect(all.quality).toMatchObject({
      counted: 4,
      recorded_within_24h: 3,
      drafts: 1,
      drafts_unknown_flag: 1,
      unknown_victim_age: 1,
    });
  });

  it('answers no metadata for an unknown force, and empty tables for an empty year', async () => {
    expect((await queryReturnTables(db, { forceId: 'atlantis', year: 2017 })).metadata).toBeNull();
    const empty = await queryReturnTables(db, { forceId: 'suffolk', year: 2003 });
    expect(empty.table_a).toEqual([
      expect.objectContaining({ level: 'total', total: 0, pct_flagged: null }),
    ]);
    expect(empty.table_b).toHaveLength(26);
    expect(empty.rule_warnings).toEqual([]);
    expect(empty.metadata).toMatchObject({ record_count: 0, version_sum: 0, max_updated_at: null });
  });
});
