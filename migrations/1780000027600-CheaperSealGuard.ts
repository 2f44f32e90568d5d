import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #21: every access-log entry is updated once, when the sealer chains it, and the guard on that update
// (tr_access_log_seal_only, migration 1780000022000) ran a PL/pgSQL function per row that built the entry's
// canonical payload twice (jsonb_build_array and a sha256 of its record ids, for OLD and NEW) to prove nothing but
// the seal changed. Measured on 10,000 one-record entries (2026-12-06): the sealing UPDATE took 33-52 µs an entry
// with it and 18-19 µs with the guard below, the same as with no guard at all.
// The guard now compares the columns themselves in the trigger's WHEN clause, evaluated by the executor, and
// calls the function only to refuse: the same rule (only an unsealed entry may gain its position and hashes, and
// nothing else may change), stricter even, since columns are compared and not their payload text.
// Every column of access_log but pos, prev_hash and hash is listed: access-log-sealer.int-spec.ts holds the list
// to the table, so a column added later cannot escape it.
const PAYLOAD_COLUMNS = [
  'seq',
  'at',
  'user_id',
  'action',
  'force_ids',
  'purpose',
  'justification',
  'route',
  'query',
  'record_ids',
  'record_count',
  'request_id',
  'payload_version',
];
const row = (alias: 'OLD' | 'NEW') => PAYLOAD_COLUMNS.map((c) => `${alias}.${c}`).join(', ');

export class CheaperSealGuard1780000027600 implements MigrationInterface {
  name = 'CheaperSealGuard1780000027600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Called only for an update the trigger's WHEN clause found to be more than sealing.
        RAISE EXCEPTION 'access_log is append-only (only sealing an unsealed entry is allowed)' USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`DROP TRIGGER tr_access_log_seal_only ON access_log`);
    await q.query(`
      CREATE TRIGGER tr_access_log_seal_only BEFORE UPDATE ON access_log FOR EACH ROW
      WHEN (NOT (OLD.pos IS NULL AND NEW.pos IS NOT NULL
                 AND (${row('NEW')}) IS NOT DISTINCT FROM (${row('OLD')})))
      EXECUTE FUNCTION access_log_seal_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_access_log_seal_only ON access_log`);
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.pos IS NULL AND NEW.pos IS NOT NULL AND NEW.seq = OLD.seq AND NEW.at = OLD.at
          AND NEW.payload_version = OLD.payload_version AND NEW.record_ids = OLD.record_ids
          AND access_log_payload(NEW) = access_log_payload(OLD) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access_log is append-only (only sealing an unsealed entry is allowed)' USING ERRCODE = 'P0001';
      END $$`);
    await q.query(
      `CREATE TRIGGER tr_access_log_seal_only BEFORE UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_seal_only()`,
    );
  }
}
