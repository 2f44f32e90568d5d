import pg from 'pg';
import { randomUUID } from 'node:crypto';

// Issue #18 finding 7: the app logs in as its own LOGIN role (TEST_APP_DATABASE_URL, provisioned by global setup as
// `npm start` does), not as the superuser with SET ROLE. RESET ROLE leads nowhere, credentials cannot be read, and
// imports, their rejections and access-log entries of other forces are invisible.
describe('the app login role (real PostgreSQL)', () => {
  const owner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const app = new pg.Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
  const tag = randomUUID().slice(0, 8);
  const ids = { derbyshire: randomUUID(), lincolnshire: randomUUID() };

  beforeAll(async () => {
    await owner.connect();
    await app.connect();
    for (const [force, id] of Object.entries(ids)) {
      await owner.query(
        `INSERT INTO imports (id, created_by, scope, format, mode, state) VALUES ($1, $2, $3, 'csv', 'accept_valid', 'completed')`,
        [id, `importer-${force}-${tag}`, [force]],
      );
      await owner.query(
        `INSERT INTO import_rejections (import_id, line, force_id, codes, message) VALUES ($1, 2, $2, '{X}', 'bad')`,
        [id, force],
      );
      await owner.query(
        `INSERT INTO access_log (user_id, action, force_ids, route, record_count) VALUES ($1, 'consultation', $2, 'TEST', 0)`,
        [`reader-${tag}`, [force]],
      );
    }
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const scoped = async <T>(forces: string, user: string, sql: string, params: unknown[] = []) => {
    await app.query('BEGIN');
    try {
      await app.query(
        `SELECT set_config('cyberflag.forces', $1, true), set_config('cyberflag.user', $2, true)`,
        [forces, user],
      );
      return (await app.query(sql, params)).rows as T[];
    } finally {
      await app.query('ROLLBACK');
    }
  };

  it('logs in as a role that is not a superuser, cannot bypass RLS, owns nothing, and RESET ROLE changes none of it', async () => {
    await app.query('RESET ROLE');
    const [me] = (
      await app.query(
        `SELECT session_user AS login, current_user AS now, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
         FROM pg_roles r WHERE r.rolname = current_user`,
      )
    ).rows;
    expect(me).toEqual({
      login: expect.stringMatching(/_app_login$/),
      now: me.login,
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
    });
    const owned = await app.query(
      `SELECT count(*)::int AS n FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
         AND pg_has_role(current_user, c.relowner, 'USAGE')`,
    );
    expect(owned.rows[0].n).toBe(0);
    const ownerName = (await owner.query(`SELECT current_user AS u`)).rows[0].u as string;
    await expect(app.query(`SET ROLE ${ownerName}`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SET SESSION AUTHORIZATION ${ownerName}`)).rejects.toThrow(
      /permission denied/,
    );
  });

  it('cannot read password hashes, one-time credentials or refresh-token hashes, even after RESET ROLE', async () => {
    await app.query('RESET ROLE');
    for (const sql of [
      'SELECT password_hash FROM users',
      'SELECT one_time_hash FROM users',
      'SELECT * FROM users',
      'SELECT refresh_hash FROM auth_sessions',
    ])
      await expect(app.query(sql)).rejects.toThrow(/permission denied/);
    // Nor write them directly.
    await expect(app.query(`UPDATE users SET password_hash = 'x' WHERE false`)).rejects.toThrow(
      /permission denied/,
    );
    // What it may read: the account without its credentials.
    await expect(
      app.query(`SELECT id, username, roles, must_set_password FROM users`),
    ).resolves.toBeDefined();
  });

  it('sees only the imports and rejections of its forces (or its own), whatever the query forgets', async () => {
    const own = `importer-derbyshire-${tag}`;
    const sql = `SELECT i.id, (SELECT count(*)::int FROM import_rejections r WHERE r.import_id = i.id) AS rejected
                 FROM imports i WHERE i.id = ANY ($1::uuid[]) ORDER BY i.id`;
    const both = [[ids.derbyshire, ids.lincolnshire]];
    expect((await app.query(sql, both)).rows).toEqual([]); // no scope: nothing
    expect(await scoped('derbyshire', 'someone-else', sql, both)).toEqual([
      { id: ids.derbyshire, rejected: 1 },
    ]);
    expect(await scoped('kent', own, sql, both)).toEqual([{ id: ids.derbyshire, rejected: 1 }]); // its creator
    expect(
      await scoped(
        'kent',
        'someone-else',
        `SELECT count(*)::int AS n FROM import_rejections WHERE import_id = ANY ($1::uuid[])`,
        both,
      ),
    ).toEqual([{ n: 0 }]);
    expect((await scoped('*', '', sql, both)).length).toBe(2);
  });

  it('reads only the access-log entries of its forces, and still appends to the one chain', async () => {
    const sql = `SELECT force_ids FROM access_log WHERE user_id = $1 ORDER BY seq`;
    const who = [`reader-${tag}`];
    expect((await app.query(sql, who)).rows).toEqual([]);
    expect(await scoped('lincolnshire', '', sql, who)).toEqual([{ force_ids: ['lincolnshire'] }]);
    expect((await scoped('*', '', sql, who)).length).toBe(2);
    // An append under a narrow scope takes its place in the one order (the sequence), after entries that scope
    // cannot see; the sealer chains it later, under the national scope (access-log-sealer.int-spec.ts).
    await app.query('BEGIN');
    await app.query(`SELECT set_config('cyberflag.forces', 'kent', true)`);
    await app.query(
      `INSERT INTO access_log (user_id, action, force_ids, route, record_count) VALUES ($1, 'consultation', '{kent}', 'TEST', 0)`,
      [`appender-${tag}`],
    );
    await app.query('COMMIT');
    const [last, previous] = (
      await owner.query(`SELECT user_id, seq::text, pos FROM access_log ORDER BY seq DESC LIMIT 2`)
    ).rows as { user_id: string; seq: string; pos: string | null }[];
    expect(last.user_id).toBe(`appender-${tag}`);
    expect(BigInt(last.seq)).toBeGreaterThan(BigInt(previous.seq));
    expect(last.pos).toBeNull(); // not chained at insert: no lock on the request's path
  });

  it('refuses, in the database too, an account holding admin with a data role (finding 6)', async () => {
    await expect(
      owner.query(
        `INSERT INTO users (username, display_name, roles, all_forces, created_by, password_hash)
         VALUES ($1, 'x', '{admin,auditor}', true, 'test', 'x')`,
        [`both-${tag}`],
      ),
    ).rejects.toThrow(/ck_users_admin_alone/);
  });
});
