import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { typeormOptions } from '#libs/persistence';
import { entryMac } from './access-log-key.js';
import { ChainSealer } from './access-log-sealer.js';

// The access log's hash chain (migrations 1780000001000, 1780000009000 and 1780000022000): entries since payload
// version 2 hash a digest of their record ids' binary form; version 1 entries keep their original payload and still
// verify. Version 3 entries (sealed, keyed) are chained by the sealer with an HMAC after they commit.
describe('access log hash chain payload versions (real PostgreSQL)', () => {
  const owner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const ds = new DataSource(typeormOptions({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  const key = Buffer.from(process.env.ACCESS_LOG_KEY!, 'utf8');
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  let seq: string;
  beforeAll(async () => {
    await owner.connect();
    await ds.initialize();
    // The caller asks for version 1 and sets a hash and a position; the trigger overrides them all.
    const r = await owner.query(
      `INSERT INTO access_log (user_id, action, force_ids, route, record_ids, record_count, payload_version, pos, prev_hash, hash)
       VALUES ('chain-spec', 'collection', '{derbyshire}', 'spec', $1::uuid[], 3, 1, 1, '\\x00', '\\x00') RETURNING seq::text`,
      [ids],
    );
    seq = r.rows[0].seq;
  });
  afterAll(async () => {
    await owner.end();
    await ds.destroy();
  });
  const verifies = async (c: pg.ClientBase) => {
    const {
      rows: [e],
    } = await c.query(
      `SELECT pos::text, encode(prev_hash, 'hex') AS prev, encode(hash, 'hex') AS hash, access_log_payload(a) AS payload,
         (SELECT id::text FROM access_log_chain) AS chain
       FROM access_log a WHERE seq = $1`,
      [seq],
    );
    return e.hash === entryMac(key, e.chain, e.pos, e.prev, e.payload);
  };
  it('writes new entries as version 3, unsealed, hashing a digest of the record ids instead of their text', async () => {
    const {
      rows: [e],
    } = await owner.query(
      `SELECT payload_version, pos, hash, access_log_payload(a) AS payload,
         encode(sha256(array_send(record_ids)), 'hex') AS digest
       FROM access_log a WHERE seq = $1`,
      [seq],
    );
    expect(e.payload_version).toBe(3);
    expect(e.pos).toBeNull();
    expect(e.hash).toBeNull();
    const payload = JSON.parse(e.payload);
    expect(payload[0]).toBe(3);
    expect(payload[1]).toBe(Number(seq));
    expect(payload).toContain(e.digest);
    for (const id of ids) expect(e.payload).not.toContain(id);
  });
  it('seals it with a keyed hash, and detects a changed record id', async () => {
    await new ChainSealer(ds, { key, checkpointDir: null }).sealNow();
    expect(await verifies(owner)).toBe(true);
    await owner.query('BEGIN');
    try {
      await owner.query(`SET LOCAL session_replication_role = replica`); // a superuser with the triggers off
      await owner.query(`UPDATE access_log SET record_ids = $2::uuid[] WHERE seq = $1`, [
        seq,
        [ids[0], ids[1], randomUUID()],
      ]);
      expect(await verifies(owner)).toBe(false);
      await owner.query(`UPDATE access_log SET record_ids = $2::uuid[] WHERE seq = $1`, [
        seq,
        [ids[1], ids[0], ids[2]],
      ]);
      expect(await verifies(owner)).toBe(false); // order counts too
      await owner.query(`UPDATE access_log SET record_ids = $2::uuid[] WHERE seq = $1`, [seq, ids]);
      expect(await verifies(owner)).toBe(true);
      await owner.query(`UPDATE access_log SET payload_version = 2 WHERE seq = $1`, [seq]);
      expect(await verifies(owner)).toBe(false); // nor can an entry be passed off as another version
    } finally {
      await owner.query('ROLLBACK');
    }
    expect(await verifies(owner)).toBe(true);
  });
  it('keeps the original payload for version 1 entries, so the chain written before still verifies', async () => {
    await owner.query('BEGIN');
    try {
      await owner.query(`SET LOCAL session_replication_role = replica`);
      await owner.query(`UPDATE access_log SET payload_version = 1 WHERE seq = $1`, [seq]);
      const {
        rows: [v],
      } = await owner.query(
        `SELECT access_log_payload(a) = jsonb_build_array(a.seq, (extract(epoch FROM a.at) * 1000000)::bigint, a.user_id, a.action,
             a.force_ids, a.purpose, a.justification, a.route, a.query, a.record_ids, a.record_count, a.request_id)::text AS original,
           access_log_payload(a) AS payload
         FROM access_log a WHERE seq = $1`,
        [seq],
      );
      expect(v.original).toBe(true);
      for (const id of ids) expect(v.payload).toContain(id);
    } finally {
      await owner.query('ROLLBACK');
    }
  });
});
