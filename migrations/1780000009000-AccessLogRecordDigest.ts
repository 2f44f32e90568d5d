import type { MigrationInterface, QueryRunner } from 'typeorm';

// The access log's hash chain hashed each entry's record ids as JSON text: uuid_out per id, ~3.5 µs here, so an
// entry naming the 10,000 records of an import batch cost ~40 ms to chain (4 s per million imported rows, more
// than any other part of the access log). Entries from now on (payload_version 2) hash the ids' binary form
// (array_send: element type, dimensions, then 16 bytes per id; documented wire format, the same on every
// platform) through sha256 inside the payload, ~0.5 ms per 10,000 ids. Earlier entries keep version 1 and
// verify exactly as before. The version is part of the hashed payload and is set by the chain trigger,
// never by the caller.

// The chain trigger as migration 1780000001000 wrote it, with or without the line that sets the version.
const chainFunction = (setVersion: string) => `
      CREATE OR REPLACE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash bytea;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('cyberflag.access_log'));
        SELECT seq, hash INTO last_seq, last_hash FROM access_log ORDER BY seq DESC LIMIT 1;
${setVersion}        NEW.seq := COALESCE(last_seq, 0) + 1;
        NEW.at := clock_timestamp();
        NEW.prev_hash := COALESCE(last_hash, '\\x'::bytea);
        NEW.hash := sha256(NEW.prev_hash || convert_to(access_log_payload(NEW), 'UTF8'));
        RETURN NEW;
      END $$`;

export class AccessLogRecordDigest1780000009000 implements MigrationInterface {
  name = 'AccessLogRecordDigest1780000009000';

  async up(q: QueryRunner): Promise<void> {
    // Existing rows are version 1; the trigger writes 2 from now on.
    await q.query(`ALTER TABLE access_log ADD COLUMN payload_version smallint NOT NULL DEFAULT 1
      CONSTRAINT ck_access_log_payload_version CHECK (payload_version IN (1, 2))`);
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_payload(e access_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE e.payload_version
          WHEN 1 THEN jsonb_build_array(e.seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.action,
            e.force_ids, e.purpose, e.justification, e.route, e.query, e.record_ids, e.record_count, e.request_id)::text
          ELSE jsonb_build_array(e.payload_version, e.seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.action,
            e.force_ids, e.purpose, e.justification, e.route, e.query, encode(sha256(array_send(e.record_ids)), 'hex'),
            e.record_count, e.request_id)::text
        END
      $$`);
    await q.query(chainFunction('        NEW.payload_version := 2;\n'));
  }

  async down(q: QueryRunner): Promise<void> {
    // Version 2 entries would no longer verify under the old payload: refuse rather than break the chain.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM access_log WHERE payload_version = 2) THEN
          RAISE EXCEPTION 'access_log holds version 2 entries; reverting would break its hash chain';
        END IF;
      END $$`);
    await q.query(chainFunction(''));
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_payload(e access_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_array(e.seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.action,
          e.force_ids, e.purpose, e.justification, e.route, e.query, e.record_ids, e.record_count, e.request_id)::text
      $$`);
    await q.query(`ALTER TABLE access_log DROP COLUMN payload_version`);
  }
}
