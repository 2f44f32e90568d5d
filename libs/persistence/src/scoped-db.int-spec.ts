import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { ScopedDb } from './scoped-db.js';

// The one way to open a scoped transaction: the scope, the isolation level, and the raw-client variant's
// commit, rollbackOnly and rollback on error.
describe('ScopedDb (real PostgreSQL)', () => {
  const ds = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL });
  const db = new ScopedDb(ds);
  const table = `scoped_db_probe_${randomUUID().slice(0, 8)}`;
  const rows = async () =>
    Number((await ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    await ds.initialize();
    await ds.query(`CREATE TABLE ${table} (v text NOT NULL)`);
  });
  afterAll(async () => {
    await ds.query(`DROP TABLE IF EXISTS ${table}`);
    await ds.destroy();
  });

  const setting = `SELECT current_setting('cyberflag.forces', true) AS forces,
    current_setting('transaction_isolation') AS isolation`;

  it('sets the force scope for the transaction only, at READ COMMITTED by default', async () => {
    const [inside] = await db.run(['kent', 'surrey'], (em) => em.query(setting));
    expect(inside).toEqual({ forces: 'kent,surrey', isolation: 'read committed' });
    const [all] = await db.run('all', (em) => em.query(setting));
    expect(all.forces).toBe('*');
    const [after] = await ds.query(setting);
    expect(after.forces ?? '').toBe('');
  });

  it('opens the transaction at the isolation level asked for', async () => {
    const [r] = await db.run(['kent'], (em) => em.query(setting), {
      isolation: 'REPEATABLE READ',
    });
    expect(r).toEqual({ forces: 'kent', isolation: 'repeatable read' });
  });

  it('names the acting user for the transaction only, when asked', async () => {
    const user = `SELECT current_setting('cyberflag.forces', true) AS forces,
      current_setting('cyberflag.user', true) AS user`;
    const [inside] = await db.run(['kent'], (em) => em.query(user), { user: 'u-1' });
    expect(inside).toEqual({ forces: 'kent', user: 'u-1' });
    const [raw] = await db.runRaw('all', (tx) => tx.em.query(user), { user: 'u-2' });
    expect(raw).toEqual({ forces: '*', user: 'u-2' });
    const [after] = await ds.query(user);
    expect(after.user ?? '').toBe('');
  });

  it('refuses a scope holding something that is not a force id', async () => {
    await expect(db.run(["kent','x"], () => Promise.resolve(1))).rejects.toThrow(
      /invalid force id/,
    );
  });

  describe('runRaw', () => {
    it("hands over pg's own client inside the scoped transaction, and commits", async () => {
      const before = await rows();
      const seen = await db.runRaw(['kent'], async (tx) => {
        await tx.client.query(`INSERT INTO ${table} VALUES ('committed')`);
        return (await tx.client.query(setting)).rows[0] as unknown;
      });
      expect(seen).toEqual({ forces: 'kent', isolation: 'read committed' });
      expect(await rows()).toBe(before + 1);
    });

    it('rolls back when the work asks for it (a dry run), and still returns its result', async () => {
      const before = await rows();
      const result = await db.runRaw(
        ['kent'],
        async (tx) => {
          await tx.queryRunner.query(`INSERT INTO ${table} VALUES ('dry run')`);
          tx.rollbackOnly();
          return (await tx.em.query(setting))[0] as unknown;
        },
        { isolation: 'SERIALIZABLE' },
      );
      expect(result).toEqual({ forces: 'kent', isolation: 'serializable' });
      expect(await rows()).toBe(before);
    });

    it('rolls back and rethrows when the work fails', async () => {
      const before = await rows();
      await expect(
        db.runRaw(['kent'], async (tx) => {
          await tx.client.query(`INSERT INTO ${table} VALUES ('failed')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await rows()).toBe(before);
    });
  });

  describe('runStatement (one round trip)', () => {
    it('runs the statement inside the scope, which ends with it', async () => {
      const [r] = await db.runStatement<{ forces: string; isolation: string }>(
        ['kent', 'surrey'],
        setting,
        [],
      );
      expect(r).toEqual({ forces: 'kent,surrey', isolation: 'read committed' });
      const [after] = await ds.query(setting);
      expect(after.forces ?? '').toBe('');
    });

    it('returns the rows of a statement with parameters, and commits what it wrote', async () => {
      const before = await rows();
      const out = await db.runStatement<{ v: string }>(
        'all',
        `WITH w AS (INSERT INTO ${table} VALUES ($1), ($2) RETURNING v) SELECT v FROM w ORDER BY v`,
        ['a', 'b'],
      );
      expect(out).toEqual([{ v: 'a' }, { v: 'b' }]);
      expect(await rows()).toBe(before + 2);
    });

    it('is one transaction: a failure leaves nothing written, as a QueryFailedError, and the pool works on', async () => {
      const before = await rows();
      const failing = db.runStatement(
        ['kent'],
        `WITH w AS (INSERT INTO ${table} VALUES ('lost') RETURNING v) SELECT v::int FROM w`,
        [],
      );
      await expect(failing).rejects.toBeInstanceOf(QueryFailedError);
      await expect(failing).rejects.toMatchObject({ driverError: { code: '22P02' } });
      expect(await rows()).toBe(before);
      // Every pooled connection is still usable and outside any transaction.
      const states = await Promise.all(
        Array.from({ length: 12 }, () =>
          db.runStatement<{ forces: string }>(['surrey'], setting, []),
        ),
      );
      expect(states.every(([r]) => r.forces === 'surrey')).toBe(true);
    });

    it('refuses a scope holding something that is not a force id', async () => {
      await expect(db.runStatement(["kent','x"], 'SELECT 1', [])).rejects.toThrow(
        /invalid force id/,
      );
    });
  });

  it('keeps nested transactions (savepoints) working inside run', async () => {
    const before = await rows();
    await db.run(['kent'], async (em) => {
      await em.query(`INSERT INTO ${table} VALUES ('outer')`);
      await em
        .transaction(async (inner) => {
          await inner.query(`INSERT INTO ${table} VALUES ('inner')`);
          throw new Error('inner fails');
        })
        .catch(() => undefined);
    });
    expect(await rows()).toBe(before + 1);
  });
});
