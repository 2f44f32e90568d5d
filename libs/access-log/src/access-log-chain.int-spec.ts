import pg from 'pg';
import { randomUUID } from 'node:crypto';

// The access log's hash chain (migrations 1780000001000 and 1780000009000): entries since payload version 2 hash
// a digest of their record ids' binary form; version 1 entries keep their original payload and still verify.
describe('access log hash chain payload versions (real PostgreSQL)', () => {
  const owner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  let seq: string;

  beforeAll(async () => {
    await owner.connect();
    // The caller asks for version 1 and sets a hash; the chain trigger overrides both.
    const r = await owner.query(
      `INSERT INTO access_log (user_id, action, force_ids, route, record_ids, record_count, payload_version, prev_hash, hash)
       VALUES ('chain-spec', 'collection', '{derbyshire}', 'spec', $1::uuid[], 3, 1, '\\x00', '\\x00') RETURNING seq::text`,
      [ids],
    );
    seq = r.rows[0].seq;
  });
  afterAll(() => owner.end());

  const verifies = async (c: pg.ClientBase) =>
    (
      await c.query(
        `SELECT hash = sha256(prev_hash || convert_to(access_log_payload(a), 'UTF8')) AS ok FROM access_log a WHERE seq = $1`,
        [seq],
      )
    ).rows[0].ok;

  it('writes new entries as version 2, hashing a digest of the record ids instead of their text', async () => {
    const {
      rows: [e],
    } = await owner.query(
      `SELECT payload_version, access_log_payload(a) AS payload, encode(sha256(array_send(record_ids)), 'hex') AS digest,
         hash = sha256(prev_hash || convert_to(access_log_payload(a), 'UTF8')) AS ok
       FROM access_log a WHERE seq = $1`,
      [seq],
    );
    expect(e.payload_version).toBe(2);
    expect(e.ok).toBe(true);
    const payload = JSON.parse(e.payload);
    expect(payload[0]).toBe(2);
    expect(payload[1]).toBe(Number(seq));
    expect(payload).toContain(e.digest);
    for (const id of ids) expect(e.payload).not.toContain(id);
  });

  it('detects a changed record id in a version 2 entry', async () => {
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
      await owner.query(`UPDATE access_log SET payload_version = 1 WHERE seq = $1`, [seq]);
      expect(await verifies(owner)).toBe(false); // nor can an entry be passed off as the other version
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
