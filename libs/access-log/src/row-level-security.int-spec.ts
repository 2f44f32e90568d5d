import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { insertCrimeRow, rowsOf } from '#libs/crimes/testing';

// Row-level security holds even when a query forgets its force filter: the application's database role
// sees no record-level rows without the per-transaction force setting, and only its forces with it.
describe('row-level security for the application role (real PostgreSQL)', () => {
  const url = process.env.TEST_DATABASE_URL;
  const owner = new pg.Client({ connectionString: url });
  const app = new pg.Client({ connectionString: url, options: '-c role=cyberflag_app' });
  const ref = `RLS-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await owner.connect();
    await app.connect();
    for (const force of ['derbyshire', 'lincolnshire']) {
      await insertCrimeRow(rowsOf(owner), { force_id: force, crime_reference: ref });
    }
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const count = async (c: pg.Client) =>
    Number(
      (await c.query(`SELECT count(*) AS n FROM crimes WHERE crime_reference = $1`, [ref])).rows[0]
        .n,
    );

  it('runs as a role that is neither superuser nor owner and cannot bypass RLS', async () => {
    const r = await app.query(
      `SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(r.rows[0]).toEqual({
      current_user: 'cyberflag_app',
      rolsuper: false,
      rolbypassrls: false,
    });
    const owners = await app.query(
      `SELECT tableowner FROM pg_tables WHERE tablename IN ('crimes', 'crime_history')`,
    );
    expect(owners.rows.every((o: { tableowner: string }) => o.tableowner !== 'cyberflag_app')).toBe(
      true,
    );
  });

  it('sees no rows without the force setting, though the rows exist', async () => {
    expect(await count(owner)).toBe(2);
    expect(await count(app)).toBe(0);
    expect(Number((await app.query(`SELECT count(*) AS n FROM crimes`)).rows[0].n)).toBe(0);
    expect(Number((await app.query(`SELECT count(*) AS n FROM crime_history`)).rows[0].n)).toBe(0);
  });

  it('sees only the forces in the transaction scope, and the scope ends with the transaction', async () => {
    await app.query('BEGIN');
    await app.query(`SELECT set_config('cyberflag.forces', 'derbyshire', true)`);
    const rows = await app.query(`SELECT force_id FROM crimes WHERE crime_reference = $1`, [ref]);
    await app.query('COMMIT');
    expect(rows.rows).toEqual([{ force_id: 'derbyshire' }]);
    expect(await count(app)).toBe(0);
  });

  it('refuses to write a row for a force outside the scope', async () => {
    await app.query('BEGIN');
    await app.query(`SELECT set_config('cyberflag.forces', 'derbyshire', true)`);
    await expect(
      app.query(
        `UPDATE crimes SET force_id = 'lincolnshire' WHERE crime_reference = $1 AND force_id = 'derbyshire'`,
        [ref],
      ),
    ).rejects.toThrow(/row-level security/);
    await app.query('ROLLBACK');
  });

  it('cannot rewrite the access log or history', async () => {
    await expect(app.query(`UPDATE access_log SET user_id = 'x'`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(app.query(`DELETE FROM crime_history`)).rejects.toThrow(/permission denied/);
  });
});
