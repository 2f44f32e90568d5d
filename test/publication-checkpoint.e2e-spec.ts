import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import {
  entryMac,
  verifyAccessLog,
  writeCheckpoint,
  type AccessLogChainConfig,
  type Checkpoint,
} from '#libs/access-log';
import { insertRecords, seedReturn } from '#libs/national/testing';
import { pgQueryable, typeormOptions } from '#libs/persistence';
import { canonicalJson, sha256Hex } from '#libs/returns';
import { main as cli } from '../apps/api/src/cli/commands.js';
import {
  createTestApp,
  testAccessLogChain,
  testAppDatabaseUrl,
  testDatabaseUrl,
} from './support/create-test-app.js';
import { downloadPublication } from './support/downloads.js';
import { personas, type Personas } from './factories/identity.js';

// Issue #18 finding 8: every publication carries the access log's signed head (checkpoint) taken when it was made,
// so the log's head is anchored in every copy of the publication, outside the database and its data folder; and
// `cyberflag audit verify --checkpoint` checks the chain against it.

// The files of a zip (central directory: deflated or stored entries), to read what a download really holds.
function unzip(zip: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  for (
    let i = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])), o = zip.readUInt32LE(i + 16);
    ;
  ) {
    if (zip.readUInt32LE(o) !== 0x02014b50) break;
    const method = zip.readUInt16LE(o + 10);
    const size = zip.readUInt32LE(o + 20);
    const [n, e, c] = [
      zip.readUInt16LE(o + 28),
      zip.readUInt16LE(o + 30),
      zip.readUInt16LE(o + 32),
    ];
    const name = zip.toString('utf8', o + 46, o + 46 + n);
    const local = zip.readUInt32LE(o + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    o += 46 + n + e + c;
  }
  return files;
}

describe('publications carry the access log checkpoint', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let pool: pg.Pool;
  let ds: DataSource;
  let published: { id: string; sha256: string; content: object; accessLogCheckpoint: Checkpoint };
  let zipped: Map<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'cyberflag-publication-copy-'));
  const copy = join(dir, 'publication.json'); // the copy a reader downloaded, kept away from the server
  const http = () => request(app.getHttpServer());
  const chain = testAccessLogChain();
  // The same key, without the data folder's checkpoint: what the publication's checkpoint alone catches.
  const noFolder: AccessLogChainConfig = { key: chain.key, checkpointDir: null };
  const verify = async (...args: string[]) => {
    const out: string[] = [];
    const code = await cli(['audit', 'verify', ...args], (l) => out.push(l));
    return { code, text: out.join('\n') };
  };
  // As the owner with the triggers off: what someone with the database (not the app) can do.
  const asOwner = async (work: (c: pg.PoolClient) => Promise<void>) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SET LOCAL session_replication_role = replica');
      await work(c);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  };
  const saved = { url: process.env.DATABASE_URL, app: process.env.DATABASE_APP_URL };

  beforeAll(async () => {
    app = await createTestApp({ publication: { minCoverage: 0 } });
    who = await personas(app);
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    ds = new DataSource(typeormOptions({ url: testDatabaseUrl(), poolSize: 2 }));
    await ds.initialize();
    const owner = pgQueryable(pool);
    await insertRecords(owner, 'essex', 2021, [
      { code: '88A', flag: 'yes', age: 13, times: 12 },
      { code: '8L', flag: 'no', age: 30, times: 40 },
    ]);
    await seedReturn(owner, 'essex', 2021, 'accepted');
    await http().get('/crimes').set(who.derbyshireRegistrar).expect(200); // entries before the publication
    published = (
      await http()
        .post('/national/2021-22/publications')
        .set(who.statistician)
        .send({ title: 'Checkpointed', disclosure: { method: 'threshold' } })
        .expect(201)
    ).body;
    const zip = await downloadPublication(app, published.id, 'csv', who.nationalAuditor);
    zipped = unzip(zip.body as Buffer);
    writeFileSync(copy, zipped.get('publication.json')!);
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.DATABASE_APP_URL = testAppDatabaseUrl();
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved.url;
    process.env.DATABASE_APP_URL = saved.app;
    rmSync(dir, { recursive: true, force: true });
    await ds.destroy();
    await pool.end();
    await app.close();
  });

  it('stores the sealed, signed head in the publication and its downloads, outside the hashed content', async () => {
    const c = published.accessLogCheckpoint;
    expect(c).toEqual({
      chainId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      pos: expect.stringMatching(/^\d+$/),
      seq: expect.stringMatching(/^\d+$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      at: expect.any(String),
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The head at publication: it covers the entries logged before (the GET /crimes above).
    const { rows } = await pool.query(
      `SELECT (SELECT id::text FROM access_log_chain) AS chain, encode(hash, 'hex') AS hash,
         (SELECT max(seq)::text FROM access_log WHERE route LIKE 'GET /crimes%') AS read
       FROM access_log WHERE pos = $1`,
      [c.pos],
    );
    expect(rows[0]).toMatchObject({ chain: c.chainId, hash: c.hash });
    expect(BigInt(c.seq)).toBeGreaterThanOrEqual(BigInt(rows[0].read));
    // The figures' hash is unchanged by it (earlier publications and their checks stay as they were).
    expect(published.sha256).toBe(sha256Hex(canonicalJson(published.content)));
    const got = await http().get(`/publications/${published.id}`).set(who.admin).expect(200);
    expect(got.body).toMatchObject({ verified: true, accessLogCheckpoint: c });
    const list = await http().get('/national/2021-22/publications').set(who.admin).expect(200);
    expect(list.body[0].accessLogCheckpoint).toEqual(c);
    expect(JSON.parse(zipped.get('access-log-checkpoint.json')!)).toEqual(c);
    expect(JSON.parse(zipped.get('publication.json')!).accessLogCheckpoint).toEqual(c);
    const xlsx = await downloadPublication(app, published.id, 'xlsx', who.statistician);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const cover = wb.getWorksheet('Cover')!.getRows(1, 60)!;
    const text = cover
      .find((r) => r.getCell(1).value === 'Access log checkpoint')!
      .getCell(2).value;
    expect(JSON.parse(String(text))).toEqual(c);
    // The same publication downloads to the same bytes (the checkpoint is stored, not taken again).
    const again = await downloadPublication(app, published.id, 'csv', who.statistician);
    expect(unzip(again.body as Buffer)).toEqual(zipped);
  });

  it('verifies against the checkpoint of a downloaded copy or of a publication id', async () => {
    const byFile = await verify('--checkpoint', copy);
    expect(byFile.code).toBe(0);
    expect(byFile.text).toContain(
      `checkpoint from publication ${published.id} (${copy}): position ${published.accessLogCheckpoint.pos}`,
    );
    expect(byFile.text).toContain('access log verified');
    expect(await verify('--checkpoint', published.id)).toMatchObject({ code: 0 });
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify({ ...published.accessLogCheckpoint, pos: '1', seq: '1' }));
    const bad = await verify('--checkpoint', forged);
    expect(bad.code).toBe(1);
    expect(bad.text).toContain(`the checkpoint from ${forged} is not signed with the chain key`);
    const none = await verify('--checkpoint', join(dir, 'missing.json'));
    expect(none.code).toBe(1);
  });

  it('catches the newest entries deleted below the publication checkpoint, even without the data folder', async () => {
    const c = published.accessLogCheckpoint;
    expect(await verify()).toMatchObject({ code: 0 }); // everything committed so far is sealed
    const anchor = [{ source: `publication ${published.id}`, checkpoint: c }];
    const rowsOf = (o: pg.PoolClient) =>
      ({ query: (sql: string, p?: unknown[]) => o.query(sql, p).then((r) => r.rows) }) as never;
    await asOwner(async (o) => {
      await o.query(`SELECT pg_advisory_xact_lock(hashtext('cyberflag.access_log.sealer'))`);
      await o.query(`CREATE TABLE gone_tail AS SELECT * FROM access_log WHERE pos >= $1`, [c.pos]);
      await o.query(`DELETE FROM access_log WHERE pos >= $1`, [c.pos]);
      // Without a checkpoint kept apart, the shortened chain is consistent: that is the attack.
      expect((await verifyAccessLog(rowsOf(o), noFolder)).ok).toBe(true);
      const v = await verifyAccessLog(rowsOf(o), noFolder, anchor);
      expect(v.ok).toBe(false);
      expect(v.broken.map((b) => b.problem)).toContain(
        `the newest sealed entries are missing: the checkpoint from publication ${published.id} names position ${c.pos} (#${c.seq}), the chain ends at ${BigInt(c.pos) - 1n}`,
      );
    });
    // The same through the command, against the downloaded copy.
    const r = await verify('--checkpoint', copy);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      new RegExp(
        `TAMPERED at #\\d+: the newest sealed entries are missing: the checkpoint from publication ${published.id} \\(.*\\) names position ${c.pos} `,
      ),
    );
    expect(r.text).toContain('access log verification FAILED');
    await asOwner(async (o) => {
      await o.query(`INSERT INTO access_log SELECT * FROM gone_tail`);
      await o.query(`DROP TABLE gone_tail`);
    });
    expect(await verify('--checkpoint', copy)).toMatchObject({ code: 0 });
  });

  it('catches a chain recomputed with the key behind the publication checkpoint', async () => {
    const c = published.accessLogCheckpoint;
    const [{ id: chainId }] = await ds.query(`SELECT id::text FROM access_log_chain`);
    // Someone holding the database, the data folder and the key edits an early entry and re-chains everything
    // after it, then signs a new checkpoint in the folder: only copies made before (the publication) can tell.
    expect(await verify()).toMatchObject({ code: 0 }); // all sealed: nothing left for the app's sealer
    await asOwner(async (o) => {
      // Holding the sealer's lock, so the app's sealer does not chain a new entry onto the old head meanwhile.
      await o.query(`SELECT pg_advisory_xact_lock(hashtext('cyberflag.access_log.sealer'))`);
      const { rows } = await o.query(
        `SELECT pos::text FROM access_log a WHERE a.pos < $1 ORDER BY a.pos DESC LIMIT 1`,
        [c.pos],
      );
      const from = rows[0].pos as string;
      await o.query(`UPDATE access_log SET user_id = 'someone-else' WHERE pos = $1`, [from]);
      const { rows: chainRows } = await o.query(
        `SELECT pos::text, seq::text, access_log_payload(a) AS payload,
                (SELECT encode(hash, 'hex') FROM access_log p WHERE p.pos = a.pos - 1) AS prev
         FROM access_log a WHERE a.pos >= $1 ORDER BY a.pos`, // a.pos: "pos" alone would sort the text column
        [from],
      );
      let prev = chainRows[0].prev ?? '';
      let head = { pos: '', seq: '', hash: '' };
      for (const r of chainRows) {
        const hash = entryMac(chain.key, chainId, r.pos, prev, r.payload);
        await o.query(
          `UPDATE access_log SET prev_hash = decode($2, 'hex'), hash = decode($3, 'hex') WHERE pos = $1`,
          [r.pos, prev, hash],
        );
        head = { pos: r.pos, seq: r.seq, hash };
        prev = hash;
      }
      rmSync(join(chain.checkpointDir!, `access-log-checkpoint-${chainId}.json`), { force: true });
      writeCheckpoint(chain, { chainId, ...head });
    });
    expect(await verify()).toMatchObject({ code: 0 }); // the folder was rewritten too
    const r = await verify('--checkpoint', copy);
    expect(r.code).toBe(1);
    expect(r.text).toContain(
      `TAMPERED at #${c.seq}: entry differs from the checkpoint from publication ${published.id} (${copy}) (the chain was recomputed)`,
    );
  });
});
