import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { typeormOptions } from '#libs/persistence';
import { ChainSealer, SEAL_SETTINGS, SEAL_UPDATE } from './access-log-sealer.js';
import { verifyAccessLog } from './access-log-verify.js';
import type { AccessLogChainConfig } from './access-log-key.js';

// The sealed chain (issue #21, issue #18 finding 8): entries take a seq at insert with no lock, and one sealer chains
// the committed ones in seq order with a keyed hash, never past a transaction still in flight.
describe('access log sealer (real PostgreSQL)', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const ds = new DataSource(typeormOptions({ url, poolSize: 4 }));
  // The run's key (other specs' entries are sealed with it); checkpoints of this spec in a folder of its own.
  const chain: AccessLogChainConfig = {
    key: Buffer.from(process.env.ACCESS_LOG_KEY!, 'utf8'),
    checkpointDir: mkdtempSync(join(tmpdir(), 'cyberflag-sealer-spec-')),
  };
  const sealer = new ChainSealer(ds, chain);
  const run = randomUUID().slice(0, 8);
  const owner = new pg.Client({ connectionString: url });
  const em = (c: pg.ClientBase) =>
    ({
      query: (sql: string, p?: unknown[]) => c.query(sql, p).then((r) => r.rows),
    }) as unknown as EntityManager;
  const insert = (c: pg.ClientBase, user: string) =>
    c
      .query(
        `INSERT INTO access_log (user_id, action, force_ids, route, record_ids, record_count)
         VALUES ($1, 'consultation', '{derbyshire}', 'sealer spec', $2::uuid[], 1) RETURNING seq::text`,
        [user, [randomUUID()]],
      )
      .then((r) => r.rows[0].seq as string);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    await ds.initialize();
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await ds.destroy();
    if (chain.checkpointDir) rmSync(chain.checkpointDir, { recursive: true, force: true });
  });

  it('leaves a complete chain with no gap and no rolled-back entry after concurrent transactions', async () => {
    const clients = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    const committed: string[] = [];
    const rolledBack: string[] = [];
    let writing = true;
    const sealing = (async () => {
      while (writing) {
        await sealer.tick();
        await sleep(2);
      }
    })();
    try {
      await Promise.all(
        clients.map(async (c, ci) => {
          for (let i = 0; i < 8; i++) {
            const user = `sealer-${run}-${ci}-${i}`;
            await c.query('BEGIN');
            await insert(c, user);
            await sleep((ci * 7 + i * 13) % 9); // transactions overlap and commit out of seq order
            if (i % 3 === 1) {
              await c.query('ROLLBACK');
              rolledBack.push(user);
            } else {
              if (i % 4 === 0) await insert(c, `${user}-second`);
              await c.query('COMMIT');
              committed.push(user);
              if (i % 4 === 0) committed.push(`${user}-second`);
            }
          }
        }),
      );
    } finally {
      writing = false;
      await sealing;
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await sealer.sealNow()).toBe(true);
    const mine = (
      await owner.query(
        `SELECT user_id, pos::text FROM access_log WHERE user_id LIKE $1 ORDER BY access_log.seq`,
        [`sealer-${run}-%`],
      )
    ).rows;
    expect(mine.map((r) => r.user_id).sort()).toEqual([...committed].sort());
    expect(mine.every((r) => r.pos !== null)).toBe(true);
    for (const u of rolledBack) expect(mine.map((r) => r.user_id)).not.toContain(u);
    const v = await verifyAccessLog(ds, chain);
    expect(v.broken).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.unsealed.entries).toBe(0);
    // Positions are 1..n with no gap, and follow seq.
    const [{ gaps }] = (
      await owner.query(`SELECT count(*)::int AS gaps FROM (
        SELECT pos, lag(pos) OVER (ORDER BY pos) AS prev_pos, seq, lag(seq) OVER (ORDER BY pos) AS prev_seq
        FROM access_log WHERE pos IS NOT NULL) x
        WHERE pos <> COALESCE(prev_pos, 0) + 1 OR seq <= prev_seq`)
    ).rows;
    expect(gaps).toBe(0);
  });

  it('never seals past an entry whose transaction is still in flight', async () => {
    const slow = new pg.Client({ connectionString: url });
    const quick = new pg.Client({ connectionString: url });
    await Promise.all([slow.connect(), quick.connect()]);
    try {
      await slow.query('BEGIN');
      const held = await insert(slow, `sealer-${run}-slow`);
      const later = await insert(quick, `sealer-${run}-quick`); // autocommit: committed, after the held seq
      expect(BigInt(later)).toBeGreaterThan(BigInt(held));
      for (let i = 0; i < 3; i++) await sealer.tick();
      expect(await sealer.sealNow(200)).toBe(false);
      const sealedAfter = async () =>
        (
          await owner.query(
            `SELECT count(*)::int AS n FROM access_log WHERE pos IS NOT NULL AND seq >= $1`,
            [held],
          )
        ).rows[0].n;
      expect(await sealedAfter()).toBe(0);
      const waiting = await verifyAccessLog(ds, chain);
      expect(waiting.ok).toBe(true);
      expect(waiting.unsealed.entries).toBeGreaterThanOrEqual(1); // the quick one, reported as the tail
      await slow.query('COMMIT');
      expect(await sealer.sealNow()).toBe(true);
      expect(await sealedAfter()).toBe(2);
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      await Promise.all([slow.end(), quick.end()]);
    }
  });

  // Row-level security's filter makes the planner expect about one row of access_log; left to itself it chose a
  // nested loop over the whole log, rescanning the batch for every entry (seconds a batch under load, issue #21).
  it('plans a batch over its own span of the log, without a nested loop, as the app role sees it', async () => {
    const app = new pg.Client({ connectionString: url, options: '-c role=cyberflag_app' });
    await app.connect();
    try {
      // A log much larger than a batch, with a batch unsealed at the end: what the sealer meets under load. (A
      // batch that is a large share of the log may fairly be read by a scan of the whole table.)
      await owner.query(
        `INSERT INTO access_log (user_id, action, force_ids, route, record_ids, record_count)
         SELECT 'sealer-${run}-plan-' || i, 'consultation', '{derbyshire}', 'sealer spec', '{}', 0
         FROM generate_series(1, 3000) i`,
      );
      expect(await sealer.sealNow()).toBe(true);
      const batch = (
        await owner.query(
          `WITH b AS (INSERT INTO access_log (user_id, action, force_ids, route, record_ids, record_count)
             SELECT 'sealer-${run}-batch-' || i, 'consultation', '{derbyshire}', 'sealer spec', '{}', 0
             FROM generate_series(1, 100) i RETURNING seq)
           SELECT seq::text FROM b ORDER BY seq`,
        )
      ).rows.map((r) => r.seq as string);
      await app.query('BEGIN');
      await app.query(SEAL_SETTINGS);
      const [{ 'QUERY PLAN': plan }] = (
        await app.query(`EXPLAIN (FORMAT JSON) ${SEAL_UPDATE}`, [
          batch,
          batch.map((_, i) => String(i + 1)),
          batch.map(() => ''),
          batch.map(() => ''),
          batch[0],
          batch.at(-1),
        ])
      ).rows;
      await app.query('ROLLBACK');
      const nodes: { 'Node Type': string; 'Relation Name'?: string }[] = [];
      const walk = (n: { Plans?: unknown[] }) => {
        nodes.push(n as (typeof nodes)[number]);
        for (const c of n.Plans ?? []) walk(c as { Plans?: unknown[] });
      };
      walk(plan[0].Plan);
      // Whatever reads the batch's entries (an index or bitmap scan), never the whole log, and never per entry.
      expect(nodes.map((n) => n['Node Type'])).not.toContain('Nested Loop');
      expect(
        nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'access_log'),
      ).toBe(false);
      expect(await sealer.sealNow()).toBe(true);
      const v = await verifyAccessLog(ds, chain);
      expect(v.ok).toBe(true);
      expect(v.unsealed.entries).toBe(0);
    } finally {
      await app.query('ROLLBACK').catch(() => undefined);
      await app.end();
    }
  });

  it('allows no change to an entry but sealing it', async () => {
    const seq = await insert(owner, `sealer-${run}-guard`);
    await expect(
      owner.query(`UPDATE access_log SET user_id = 'x' WHERE seq = $1`, [seq]),
    ).rejects.toThrow(/append-only/);
    await expect(
      owner.query(
        `UPDATE access_log SET user_id = 'x', pos = 999999999, prev_hash = '\\x00', hash = '\\x00' WHERE seq = $1`,
        [seq],
      ),
    ).rejects.toThrow(/append-only/);
    await sealer.sealNow();
    await expect(
      owner.query(`UPDATE access_log SET hash = '\\x00' WHERE seq = $1`, [seq]),
    ).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM access_log WHERE seq = $1`, [seq])).rejects.toThrow(
      /append-only/,
    );
  });

  // The guard compares the columns themselves (migration 1780000027600): every column but the seal's, so one added
  // to the table later must be added to the guard too, or this fails.
  it('refuses a seal that changes any other column of the entry', async () => {
    const columns: string[] = (
      await owner.query(
        `SELECT column_name::text AS c FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'access_log' ORDER BY ordinal_position`,
      )
    ).rows.map((r: { c: string }) => r.c);
    const others = columns.filter((c) => !['pos', 'prev_hash', 'hash'].includes(c));
    expect(others.length).toBeGreaterThanOrEqual(13);
    const seq = await insert(owner, `sealer-${run}-columns`);
    // A value of each column's type that differs from the inserted entry's.
    const changed: Record<string, string> = {
      seq: 'seq + 1000000000',
      at: `at + interval '1 second'`,
      user_id: `'x'`,
      action: `'disclosure'`,
      force_ids: `'{kent}'`,
      purpose: `'other'`,
      justification: `'other'`,
      route: `'other'`,
      query: `'{"a":1}'::jsonb`,
      record_ids: `'{}'::uuid[]`,
      record_count: 'record_count + 1',
      request_id: `'other'`,
      payload_version: '2',
    };
    for (const c of others) {
      expect(changed[c]).toBeDefined();
      await expect(
        owner.query(
          `UPDATE access_log SET ${c} = ${changed[c]}, pos = 999999999, prev_hash = '\\x00', hash = '\\x00'
           WHERE seq = $1`,
          [seq],
        ),
      ).rejects.toThrow(/append-only/);
    }
    // Sealing alone is allowed (and then never again).
    await owner.query('BEGIN');
    try {
      await owner.query(
        `UPDATE access_log SET pos = 999999999, prev_hash = '\\x00', hash = '\\x00' WHERE seq = $1`,
        [seq],
      );
      await expect(
        owner.query(`UPDATE access_log SET pos = 999999998 WHERE seq = $1`, [seq]),
      ).rejects.toThrow(/append-only/);
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  describe('detects tampering by someone who can write to the database but has not the key', () => {
    // Each attack runs in a transaction as a superuser with the triggers off, is verified, then rolled back.
    const attack = async (work: (c: pg.ClientBase) => Promise<void>) => {
      await owner.query('BEGIN');
      try {
        await owner.query('SET LOCAL session_replication_role = replica');
        await work(owner);
        return await verifyAccessLog(em(owner), chain);
      } finally {
        await owner.query('ROLLBACK');
      }
    };
    const sealedTail = async (n: number) =>
      (
        await owner.query(
          `SELECT seq::text, pos::text, user_id FROM access_log a WHERE a.pos IS NOT NULL ORDER BY a.pos DESC LIMIT $1`,
          [n],
        )
      ).rows.reverse() as { seq: string; pos: string; user_id: string }[];
    const problems = (v: { broken: { problem: string }[] }) =>
      v.broken.map((b) => b.problem).join('\n');

    beforeAll(async () => {
      for (let i = 0; i < 5; i++) await insert(owner, `sealer-${run}-tamper-${i}`);
      await sealer.sealNow();
      expect((await verifyAccessLog(ds, chain)).ok).toBe(true);
      expect(readdirSync(chain.checkpointDir!).length).toBe(1);
    });
    afterAll(async () => {
      expect((await verifyAccessLog(ds, chain)).ok).toBe(true); // every attack was rolled back
    });

    it('an edited entry', async () => {
      const [e] = await sealedTail(3);
      const v = await attack(async (c) => {
        await c.query(`UPDATE access_log SET user_id = 'someone-else' WHERE seq = $1`, [e!.seq]);
      });
      expect(v.ok).toBe(false);
      expect(v.broken).toContainEqual({
        seq: e!.seq,
        problem: 'entry content does not match its hash',
      });
    });

    it('an edited entry with the hashes recomputed forward with the database’s own function', async () => {
      const tail = await sealedTail(3);
      const v = await attack(async (c) => {
        await c.query(`UPDATE access_log SET user_id = 'someone-else' WHERE seq = $1`, [
          tail[0]!.seq,
        ]);
        for (const e of tail)
          await c
            .query(
              `UPDATE access_log a SET hash = sha256(prev_hash || convert_to(access_log_payload(a), 'UTF8')) WHERE seq = $1;`,
              [e.seq],
            )
            .then(() =>
              c.query(
                `UPDATE access_log a SET prev_hash = (SELECT hash FROM access_log WHERE pos = a.pos - 1) WHERE pos = $1 + 1`,
                [e.pos],
              ),
            );
      });
      expect(v.ok).toBe(false);
      expect(problems(v)).toContain('entry content does not match its hash');
    });

    it('the whole chain passed off as unkeyed and recomputed (caught by the checkpoint outside the database)', async () => {
      const v = await attack(async (c) => {
        await c.query(`UPDATE access_log SET payload_version = 2 WHERE payload_version = 3`);
        const { rows } = await c.query(
          `SELECT pos::text FROM access_log a WHERE a.pos IS NOT NULL ORDER BY a.pos`,
        );
        for (const r of rows)
          await c.query(
            `UPDATE access_log a SET prev_hash = COALESCE((SELECT hash FROM access_log WHERE pos = a.pos - 1), '\\x'::bytea),
               hash = sha256(COALESCE((SELECT hash FROM access_log WHERE pos = a.pos - 1), '\\x'::bytea) || convert_to(access_log_payload(a), 'UTF8'))
             WHERE pos = $1`,
            [r.pos],
          );
      });
      expect(v.ok).toBe(false);
      expect(problems(v)).toContain('differs from the checkpoint kept outside the database');
    });

    it('a deleted entry', async () => {
      const [e] = await sealedTail(3);
      const v = await attack(async (c) => {
        await c.query(`DELETE FROM access_log WHERE seq = $1`, [e!.seq]);
      });
      expect(v.ok).toBe(false);
      expect(problems(v)).toContain('sequence gap before this entry');
    });

    it('the newest entries removed (truncation)', async () => {
      const tail = await sealedTail(2);
      const v = await attack(async (c) => {
        await c.query(`DELETE FROM access_log WHERE pos >= $1`, [tail[0]!.pos]);
      });
      expect(v.ok).toBe(false);
      expect(problems(v)).toContain('the newest sealed entries are missing');
    });

    it('an inserted entry, sealed by hand or left unsealed below the head', async () => {
      const [e] = await sealedTail(1);
      const forged = await attack(async (c) => {
        await c.query(
          `INSERT INTO access_log (seq, pos, at, user_id, action, force_ids, route, record_count, payload_version, prev_hash, hash)
           SELECT seq + 1000000, pos + 1, now(), 'forger', 'consultation', '{kent}', 'forged', 0, 3, hash, sha256(hash)
           FROM access_log WHERE seq = $1`,
          [e!.seq],
        );
      });
      expect(forged.ok).toBe(false);
      expect(problems(forged)).toContain('entry content does not match its hash');
      const slipped = await attack(async (c) => {
        // Into a seq left free by a rolled-back transaction, below the sealed head.
        await c.query(
          `INSERT INTO access_log (seq, at, user_id, action, force_ids, route, record_count, payload_version)
           SELECT s, now(), 'forger', 'consultation', '{kent}', 'forged', 0, 3 FROM generate_series(1, $1::bigint) s
           WHERE NOT EXISTS (SELECT 1 FROM access_log WHERE seq = s) ORDER BY s DESC LIMIT 1`,
          [e!.seq],
        );
      });
      expect(slipped.ok).toBe(false);
      expect(problems(slipped)).toContain('unsealed entry older than the sealed head');
    });

    it('a checkpoint file that was rewritten without the key', async () => {
      const [file] = readdirSync(chain.checkpointDir!);
      const path = join(chain.checkpointDir!, file!);
      const saved = readFileSync(path, 'utf8');
      try {
        writeFileSync(path, JSON.stringify({ ...JSON.parse(saved), pos: '1', seq: '1' }));
        const v = await verifyAccessLog(ds, chain);
        expect(v.ok).toBe(false);
        expect(problems(v)).toContain('not signed with the chain key');
      } finally {
        writeFileSync(path, saved);
      }
    });
  });
});
