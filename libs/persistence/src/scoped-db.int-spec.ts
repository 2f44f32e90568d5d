import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { ScopedDb } from './scoped-db.js';
import { MAX_PREPARED_PARAMS, MAX_PREPARED_PER_CONNECTION } from './scoped-statement.js';

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

  // One pooled connection, so that every statement meets the same connection's prepared statements; prepared()
  // lists them, oldest first.
  const oneConnection = () => {
    const one = new DataSource({
      type: 'postgres',
      url: process.env.TEST_DATABASE_URL,
      poolSize: 1,
    });
    const single = new ScopedDb(one);
    const prepared = async () =>
      (
        await single.runStatement<{ statement: string }>(
          'all',
          'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
          [],
        )
      ).map((r) => r.statement);
    return { one, single, prepared };
  };

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

    describe('prepared', () => {
      const { one, single, prepared } = oneConnection();
      const insert = `WITH w AS (INSERT INTO ${table} VALUES ($1) RETURNING v) SELECT v, current_setting('cyberflag.forces') AS forces FROM w`;
      beforeAll(() => one.initialize());
      afterAll(() => one.destroy());

      // pg-pool gives out the client released last first, and a terminated backend's socket end may come after
      // the release: without dropping that client, the next statement meets the dead connection.
      it('drops a connection the server ended, so the next statement on the pool is served', async () => {
        const [{ pid }] = await single.runStatement<{ pid: number }>(
          'all',
          'SELECT pg_backend_pid() AS pid',
          [],
        );
        const sleeping = single.runStatement('all', 'SELECT pg_sleep(30)', []);
        for (let i = 0; ; i++) {
          const [w] = await ds.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%'`,
            [pid],
          );
          if (Number(w.n) === 1) break;
          if (i > 200) throw new Error('the statement did not start');
          await new Promise((r) => setTimeout(r, 10));
        }
        await ds.query('SELECT pg_terminate_backend($1)', [pid]);
        // The next statement starts as soon as the first has failed, before anything else can run.
        const next = await sleeping.then(
          () => {
            throw new Error('the terminated statement succeeded');
          },
          (e: unknown) => {
            expect(e).toBeInstanceOf(QueryFailedError);
            expect((e as QueryFailedError).driverError).toMatchObject({ code: '57P01' });
            return single.runStatement<{ pid: number }>(
              'all',
              'SELECT pg_backend_pid() AS pid',
              [],
            );
          },
        );
        expect(next).toHaveLength(1);
        expect(next[0]!.pid).not.toBe(pid);
      });

      it('is parsed once per connection, then run again by name, in the scope of each run', async () => {
        const before = await rows();
        const a = await single.runStatement(['kent'], insert, ['p1'], { prepare: true });
        const b = await single.runStatement(['surrey'], insert, ['p2'], { prepare: true });
        expect([a, b]).toEqual([[{ v: 'p1', forces: 'kent' }], [{ v: 'p2', forces: 'surrey' }]]);
        expect((await prepared()).filter((s) => s === insert)).toHaveLength(1);
        expect(await rows()).toBe(before + 2);
        // Not asked for: unnamed, as before.
        await single.runStatement(['kent'], `${insert} `, ['p3']);
        expect(await prepared()).not.toContain(`${insert} `);
      });

      it('stays usable after its run fails, and after a statement that failed to parse', async () => {
        const strict = `WITH w AS (INSERT INTO ${table} VALUES ($1) RETURNING v) SELECT v::int AS n FROM w`;
        await expect(
          single.runStatement(['kent'], strict, ['not a number'], { prepare: true }),
        ).rejects.toMatchObject({ driverError: { code: '22P02' } });
        expect(await single.runStatement(['kent'], strict, ['7'], { prepare: true })).toEqual([
          { n: 7 },
        ]);
        const broken = `SELECT v FROM ${table} WHERE v = $1 AND no_such_column`;
        for (let i = 0; i < 2; i++)
          await expect(
            single.runStatement(['kent'], broken, ['x'], { prepare: true }),
          ).rejects.toMatchObject({ driverError: { code: '42703' } });
        expect(await prepared()).not.toContain(broken);
        expect(await single.runStatement(['kent'], strict, ['8'], { prepare: true })).toEqual([
          { n: 8 },
        ]);
      });

      it(`keeps none with more than ${MAX_PREPARED_PARAMS} values`, async () => {
        const values = Array.from({ length: MAX_PREPARED_PARAMS + 1 }, (_, i) => `w${i}`);
        const many = `SELECT count(*)::int AS n FROM (VALUES ${values.map((_, i) => `($${i + 1}::text)`).join(', ')}) AS x(v)`;
        expect(await single.runStatement(['kent'], many, values, { prepare: true })).toEqual([
          { n: MAX_PREPARED_PARAMS + 1 },
        ]);
        expect(await prepared()).not.toContain(many);
      });

      it(`keeps at most ${MAX_PREPARED_PER_CONNECTION} on a connection, then runs statements unnamed`, async () => {
        for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 3; i++)
          expect(
            await single.runStatement<{ i: number }>(
              ['kent'],
              `SELECT ${i} AS i, $1::int AS j`,
              [i],
              {
                prepare: true,
              },
            ),
          ).toEqual([{ i, j: i }]);
        expect((await prepared()).length).toBe(MAX_PREPARED_PER_CONNECTION);
      });
    });
  });

  // Several statements, one transaction, one round trip (a cycle of creates and amendments).
  describe('runStatements', () => {
    const { one, single, prepared } = oneConnection();
    const insert = `WITH w AS (INSERT INTO ${table} VALUES ($1) RETURNING v) SELECT v, txid_current() AS tx, current_setting('cyberflag.forces') AS forces FROM w`;
    const typed = `SELECT $1::timestamptz AS at, $2::text[] AS list, $3::jsonb AS doc, txid_current() AS tx`;
    beforeAll(() => one.initialize());
    afterAll(() => one.destroy());

    it("runs them in order in one scoped transaction, and gives each one's rows", async () => {
      const before = await rows();
      const at = new Date('2026-04-01T10:00:00Z');
      const [first, second, third] = await single.runStatements<Record<string, unknown>>(
        ['kent'],
        [
          { sql: insert, params: ['m1'] },
          { sql: typed, params: [at, ['a', 'b'], { k: 1 }] },
          { sql: insert, params: ['m2'] },
        ],
      );
      expect(first).toEqual([{ v: 'm1', tx: expect.any(String), forces: 'kent' }]);
      // Each value is converted as pg converts a query's own (a Date, an array, an object as JSON).
      expect(second).toEqual([{ at, list: ['a', 'b'], doc: { k: 1 }, tx: first![0]!.tx }]);
      expect(third).toEqual([{ v: 'm2', tx: first![0]!.tx, forces: 'kent' }]);
      expect(await rows()).toBe(before + 2);
      const [after] = await ds.query(setting);
      expect(after.forces ?? '').toBe('');
    });

    it('writes nothing when a later one fails, as a QueryFailedError, and the connection works on', async () => {
      const before = await rows();
      const failing = single.runStatements(
        ['kent'],
        [
          { sql: insert, params: ['lost'] },
          { sql: `SELECT $1::int AS n`, params: ['not a number'] },
        ],
      );
      await expect(failing).rejects.toBeInstanceOf(QueryFailedError);
      await expect(failing).rejects.toMatchObject({ driverError: { code: '22P02' } });
      expect(await rows()).toBe(before);
      expect(await single.runStatements(['surrey'], [{ sql: setting, params: [] }])).toEqual([
        [{ forces: 'surrey', isolation: 'read committed' }],
      ]);
    });

    it('prepares each once per connection, also when a run failed after its Parse', async () => {
      const earlier = `SELECT $1::text || '-earlier' AS e`;
      const strict = `SELECT $1::int AS n`;
      // The earlier statement is parsed, then the last fails: whether its Parse ran is not known, so the next run
      // closes and parses it again, and still finds one.
      await expect(
        single.runStatements(
          ['kent'],
          [
            { sql: earlier, params: ['x'] },
            { sql: strict, params: ['no'] },
          ],
          { prepare: true },
        ),
      ).rejects.toMatchObject({ driverError: { code: '22P02' } });
      for (const n of [1, 2])
        expect(
          await single.runStatements(
            ['kent'],
            [
              { sql: earlier, params: [`r${n}`] },
              { sql: strict, params: [String(n)] },
            ],
            { prepare: true },
          ),
        ).toEqual([[{ e: `r${n}-earlier` }], [{ n }]]);
      // An earlier statement of one run is the last of another, and the reverse: each is known by its name.
      expect(await single.runStatement(['kent'], earlier, ['alone'], { prepare: true })).toEqual([
        { e: 'alone-earlier' },
      ]);
      expect(
        await single.runStatements(
          ['kent'],
          [
            { sql: strict, params: ['3'] },
            { sql: earlier, params: ['last'] },
          ],
          { prepare: true },
        ),
      ).toEqual([[{ n: 3 }], [{ e: 'last-earlier' }]]);
      const held = await prepared();
      expect(held.filter((s) => s === earlier)).toHaveLength(1);
      expect(held.filter((s) => s === strict)).toHaveLength(1);
    });
  });

  // ScopedStatementText's replan: why, in its comment.
  describe('replan', () => {
    const { one, single } = oneConnection();
    const wide = `${table}_wide`;
    // Two records at once, as amendments are written together; rows about as wide as a record, so that the nearly
    // empty table looks small enough to scan whole.
    const amend = `UPDATE ${wide} t SET v = x.v FROM (VALUES ($1::text, $2::uuid, $3::int), ($4, $5, $6)) AS x(k, id, v)
      WHERE t.k = x.k AND t.id = x.id RETURNING t.v`;
    const scans = {
      sql: `SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_xact_user_tables WHERE relname = '${wide}'`,
      params: [],
    };
    const args = (v: number) => ['kent', randomUUID(), v, 'kent', randomUUID(), v];
    const plans = async (text: string) =>
      (
        await single.runStatement<{ generic: number; custom: number }>(
          'all',
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1`,
          [text],
        )
      )[0];
    beforeAll(async () => {
      await one.initialize();
      // Never analysed, as a table is between autovacuum's visits (or always, with autovacuum off).
      await ds.query(`CREATE TABLE ${wide} (k text NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(),
        v int NOT NULL, pad char(600) NOT NULL DEFAULT '', PRIMARY KEY (k, id))`);
      await ds.query(`INSERT INTO ${wide} (k, v) SELECT 'kent', g FROM generate_series(1, 10) g`);
    });
    afterAll(async () => {
      await ds.query(`DROP TABLE IF EXISTS ${wide}`);
      await one.destroy();
    });

    it("plans the statement at every run, and only it: the others of the transaction keep PostgreSQL's choice", async () => {
      const kept = `SELECT $1::int + 1 AS n`;
      for (let i = 0; i < 7; i++) {
        const [before, written, after] = await single.runStatements<Record<string, unknown>>(
          ['kent'],
          [
            { sql: kept, params: [i] },
            { sql: amend, params: args(i), replan: true },
            { sql: `${kept} `, params: [i] },
          ],
          { prepare: true },
        );
        // The plan modes set between them are not among the results.
        expect([before, written, after]).toEqual([[{ n: i + 1 }], [], [{ n: i + 1 }]]);
      }
      expect(await plans(amend)).toEqual({ generic: 0, custom: 7 });
      expect((await plans(kept))!.generic).toBeGreaterThan(0);
      expect((await plans(`${kept} `))!.generic).toBeGreaterThan(0);
      // The mode ends with the transaction.
      const [{ mode }] = await single.runStatement<{ mode: string }>(
        'all',
        `SELECT current_setting('plan_cache_mode') AS mode`,
        [],
      );
      expect(mode).toBe('auto');
    });

    it("finds rows by key once the table has grown, where a kept plan goes on scanning the small table's way", async () => {
      const kept = `${amend} `;
      for (let i = 0; i < 6; i++) {
        await single.runStatement(['kent'], amend, args(i), { prepare: true, replan: true });
        await single.runStatement(['kent'], kept, args(i), { prepare: true });
      }
      await ds.query(`INSERT INTO ${wide} (k, v) SELECT 'kent', g FROM generate_series(1, 5000) g`);
      // The scans of the statement alone: the counters are the session's not yet reported, before and after it.
      const run = async (st: { sql: string; replan?: boolean }) => {
        const [[before], , [after]] = await single.runStatements<{ seq: number; idx: number }>(
          ['kent'],
          [scans, { ...st, params: args(9) }, scans],
          { prepare: true },
        );
        return { seq: after!.seq - before!.seq, idx: after!.idx - before!.idx };
      };
      expect(await run({ sql: amend, replan: true })).toEqual({ seq: 0, idx: 2 });
      // The control: the same steps without replan (PostgreSQL's default) scan the whole table at every run.
      expect(await run({ sql: kept })).toEqual({ seq: 1, idx: 0 });
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
