// Migration 1780000005000 marks the row-level-security predicate PARALLEL SAFE so national scans can use
// parallel workers. Workers must see the transaction's scope exactly as the leader does.
import pg from 'pg';

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
      await c.query(`
        INSERT INTO crimes (force_id, crime_reference, offence_code, reported_at, recorded_at, offence_from, online_flag, victim_sex,
          domestic_abuse, hate_strands, child_sexual_exploitation, child_sexual_abuse, status, created_by, updated_by)
        SELECT (ARRAY['kent', 'surrey', 'essex'])[1 + g % 3], 'PAR/' || g, '8L', '2040-06-01T10:00:00Z', '2040-06-01T11:00:00Z',
               '2040-05-30T10:00:00Z', 'no', 'female', false, '{}', false, false, 'confirmed', 'test', 'test'
        FROM generate_series(1, 3000) g`);
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
