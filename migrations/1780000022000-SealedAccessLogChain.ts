import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #21: the chain trigger took a global advisory lock to read the previous hash, so every transaction that
// logged an access waited for the previous one to commit. Now an entry only takes its order (seq) from a sequence at
// insert; a sealer in the app chains committed entries in seq order shortly after (pos, prev_hash, hash), with an
// HMAC whose key is kept outside the database (issue #18 finding 8), and anchors the head in a signed checkpoint
// outside it too (libs/access-log). Entries written before keep their sha256 chain (pos = seq) and still verify.
//
// Sealing relies on one ordering fact set here: a transaction has its transaction id BEFORE it draws a seq. So once
// every transaction in flight after the sequence read L has ended, every entry with seq <= L is either committed
// (visible) or rolled back (a gap in seq that no chain position will ever name).
const payload = (withV3: boolean) => `
      CREATE OR REPLACE FUNCTION access_log_payload(e access_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN e.payload_version = 1 THEN jsonb_build_array(e.seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id,
            e.action, e.force_ids, e.purpose, e.justification, e.route, e.query, e.record_ids, e.record_count, e.request_id)::text
          ${withV3 ? '' : 'ELSE'}${withV3 ? 'WHEN e.payload_version IN (2, 3) THEN' : ''} jsonb_build_array(e.payload_version, e.seq,
            (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.action, e.force_ids, e.purpose, e.justification,
            e.route, e.query, encode(sha256(array_send(e.record_ids)), 'hex'), e.record_count, e.request_id)::text
        END
      $$`;

export class SealedAccessLogChain1780000022000 implements MigrationInterface {
  name = 'SealedAccessLogChain1780000022000';

  async up(q: QueryRunner): Promise<void> {
    // Existing entries are already chained in seq order with no gaps: their position is their seq.
    await q.query(`ALTER TABLE access_log ADD COLUMN pos bigint`);
    await q.query(`ALTER TABLE access_log DISABLE TRIGGER tr_access_log_append_only`);
    await q.query(`UPDATE access_log SET pos = seq`);
    await q.query(`ALTER TABLE access_log ENABLE TRIGGER tr_access_log_append_only`);
    await q.query(`ALTER TABLE access_log ADD CONSTRAINT uq_access_log_pos UNIQUE (pos)`);
    await q.query(
      `ALTER TABLE access_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`,
    );
    await q.query(`ALTER TABLE access_log ADD CONSTRAINT ck_access_log_sealed
      CHECK ((pos IS NULL) = (hash IS NULL) AND (pos IS NULL) = (prev_hash IS NULL))`);
    await q.query(`ALTER TABLE access_log DROP CONSTRAINT ck_access_log_payload_version`);
    await q.query(`ALTER TABLE access_log ADD CONSTRAINT ck_access_log_payload_version
      CHECK (payload_version IN (1, 2, 3))`);
    // The sealer's work list: small, since entries leave it within a second or so.
    await q.query(`CREATE INDEX ix_access_log_unsealed ON access_log (seq) WHERE pos IS NULL`);
    await q.query(`CREATE SEQUENCE access_log_seq AS bigint`);
    await q.query(
      `SELECT setval('access_log_seq', COALESCE(max(seq), 1), max(seq) IS NOT NULL) FROM access_log`,
    );
    // Names this chain in every keyed hash and in the checkpoint files, so a checkpoint of another database
    // (a test run, a restored copy) is never compared with this one.
    await q.query(`
      CREATE TABLE access_log_chain (
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_access_log_chain PRIMARY KEY,
        one boolean NOT NULL DEFAULT true CONSTRAINT uq_access_log_chain_one UNIQUE
          CONSTRAINT ck_access_log_chain_one CHECK (one)
      )`);
    await q.query(`INSERT INTO access_log_chain DEFAULT VALUES`);
    await q.query(payload(true));
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_current_xact_id(); -- the transaction id first, then the place in the order (see the migration)
        NEW.seq := nextval('access_log_seq');
        NEW.at := clock_timestamp();
        NEW.payload_version := 3;
        NEW.pos := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        RETURN NEW;
      END $$`);
    // Sealing is the one update allowed: it gives an unsealed entry its place and hashes, and changes nothing else.
    await q.query(`
      CREATE FUNCTION access_log_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.pos IS NULL AND NEW.pos IS NOT NULL AND NEW.seq = OLD.seq AND NEW.at = OLD.at
          AND NEW.payload_version = OLD.payload_version AND NEW.record_ids = OLD.record_ids
          AND access_log_payload(NEW) = access_log_payload(OLD) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access_log is append-only (only sealing an unsealed entry is allowed)' USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`DROP TRIGGER tr_access_log_append_only ON access_log`);
    await q.query(
      `CREATE TRIGGER tr_access_log_append_only BEFORE DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite()`,
    );
    await q.query(
      `CREATE TRIGGER tr_access_log_seal_only BEFORE UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_seal_only()`,
    );
    await q.query(`GRANT USAGE, SELECT ON SEQUENCE access_log_seq TO cyberflag_app`);
    await q.query(`GRANT SELECT ON access_log_chain TO cyberflag_app`);
    await q.query(`GRANT UPDATE (pos, prev_hash, hash) ON access_log TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Keyed (version 3) entries cannot be expressed in the old chain: refuse rather than break it.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM access_log WHERE payload_version = 3) THEN
          RAISE EXCEPTION 'access_log holds version 3 (sealed, keyed) entries; reverting would break its hash chain';
        END IF;
      END $$`);
    await q.query(`REVOKE UPDATE (pos, prev_hash, hash) ON access_log FROM cyberflag_app`);
    await q.query(`DROP TRIGGER tr_access_log_seal_only ON access_log`);
    await q.query(`DROP TRIGGER tr_access_log_append_only ON access_log`);
    await q.query(
      `CREATE TRIGGER tr_access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite()`,
    );
    await q.query(`DROP FUNCTION access_log_seal_only()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash bytea;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('cyberflag.access_log'));
        SELECT seq, hash INTO last_seq, last_hash FROM access_log ORDER BY seq DESC LIMIT 1;
        NEW.payload_version := 2;
        NEW.seq := COALESCE(last_seq, 0) + 1;
        NEW.at := clock_timestamp();
        NEW.prev_hash := COALESCE(last_hash, '\\x'::bytea);
        NEW.hash := sha256(NEW.prev_hash || convert_to(access_log_payload(NEW), 'UTF8'));
        RETURN NEW;
      END $$`);
    await q.query(payload(false));
    await q.query(`DROP TABLE access_log_chain`);
    await q.query(`DROP SEQUENCE access_log_seq`);
    await q.query(`DROP INDEX ix_access_log_unsealed`);
    await q.query(`ALTER TABLE access_log DROP CONSTRAINT ck_access_log_payload_version`);
    await q.query(`ALTER TABLE access_log ADD CONSTRAINT ck_access_log_payload_version
      CHECK (payload_version IN (1, 2))`);
    await q.query(`ALTER TABLE access_log DROP CONSTRAINT ck_access_log_sealed`);
    await q.query(
      `ALTER TABLE access_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`,
    );
    await q.query(`ALTER TABLE access_log DROP CONSTRAINT uq_access_log_pos`);
    await q.query(`ALTER TABLE access_log DROP COLUMN pos`);
  }
}
