// Migration 1780000005000 marks the row-level-security predicate PARALLEL SAFE so national scans can use
// parallel workers. Workers must see the transaction's scope exactly as the leader does.
import pg from 'pg';
import { insertCrimeRows, rowsOf } from '#libs/crimes/testing';

describe('row-level security in parallel workers', () => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
  });

  it('keeps the force scope in every worker of a parallel plan', async () => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      // Records of three forces, rolled back at the end.
      await insertCrimeRows(
        rowsOf(c),
        Array.from({ length: 3000 }, (_, i) => ({
          force_id: ['kent', 'surrey', 'essex'][(i + 1) % 3],
          crime_reference: `PAR/${i + 1}`,
          reported_at: '2040-06-01T10:00:00Z',
          recorded_at: '2040-06-01T11:00:00Z',
          offence_from: '2040-05-30T10:00:00Z',
          victim_sex: 'female',
        })),
      );
      await c.query(`SET LOCAL ROLE cyberflag_app`);
      await c.query(`SELECT set_config('cyberflag.forces', 'kent,surrey', true)`);
      for (const s of [
        'parallel_setup_cost = 0',
        'parallel_tuple_cost = 0',
        'min_parallel_table_scan_size = 0',
        'max_parallel_workers_per_gather = 2',
      ]) {
        await c.query(`SET LOCAL ${s}`);
      }
      const sql = `SELECT force_id, count(*)::int AS n FROM crimes WHERE financial_year = 2040 GROUP BY force_id ORDER BY force_id`;
      const plan = (await c.query(`EXPLAIN (COSTS OFF) ${sql}`)).rows
        .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).toMatch(/Gather[\s\S]*Parallel (Seq|Bitmap Heap) Scan on crimes/);
      expect((await c.query(sql)).rows).toEqual([
        { force_id: 'kent', n: 1000 },
        { force_id: 'surrey', n: 1000 },
      ]);
      await c.query(`SELECT set_config('cyberflag.forces', '', true)`);
      expect((await c.query(sql)).rows).toEqual([]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});
