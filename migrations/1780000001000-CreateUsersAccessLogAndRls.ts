import type { MigrationInterface, QueryRunner } from 'typeorm';

// Users and sessions; the DPA 2018 s.62 access log (append-only, hash-chained); and the application role
// with row-level security on record-level tables, keyed by a per-transaction setting (SET LOCAL).
export class CreateUsersAccessLogAndRls1780000001000 implements MigrationInterface {
  name = 'CreateUsersAccessLogAndRls1780000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_users PRIMARY KEY,
        username text NOT NULL CONSTRAINT uq_users_username UNIQUE
          CONSTRAINT ck_users_username CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL CONSTRAINT ck_users_roles CHECK (
          cardinality(roles) > 0
          AND roles <@ ARRAY['registrar', 'force_crime_registrar', 'statistician', 'auditor', 'admin']::text[]),
        force_ids text[] NOT NULL DEFAULT '{}',
        all_forces boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_auth_sessions PRIMARY KEY,
        user_id uuid NOT NULL CONSTRAINT fk_auth_sessions_user REFERENCES users (id),
        refresh_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_id)`);

    // The access log spans forces (a national query touches many), so it is keyed by its own sequence,
    // not by force_id; force_ids lists the forces whose data the access concerned.
    await q.query(`
      CREATE TABLE access_log (
        seq bigint NOT NULL CONSTRAINT pk_access_log PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id text NOT NULL,
        action text NOT NULL CONSTRAINT ck_access_log_action CHECK (action IN
          ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure')),
        force_ids text[] NOT NULL,
        purpose text,
        justification text,
        route text NOT NULL,
        query jsonb,
        record_ids uuid[] NOT NULL DEFAULT '{}',
        record_count integer NOT NULL CONSTRAINT ck_access_log_count CHECK (record_count >= 0),
        request_id text,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_access_log_user_at ON access_log (user_id, at)`);
    await q.query(`CREATE INDEX ix_access_log_force_ids ON access_log USING gin (force_ids)`);
    await q.query(`CREATE INDEX ix_access_log_record_ids ON access_log USING gin (record_ids)`);
    // Canonical text of an entry: jsonb output is deterministic; time as epoch microseconds, not zone-dependent.
    await q.query(`
      CREATE FUNCTION access_log_payload(e access_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_array(e.seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.action,
          e.force_ids, e.purpose, e.justification, e.route, e.query, e.record_ids, e.record_count, e.request_id)::text
      $$`);
    // Appends are serialised by a transaction-scoped advisory lock so the chain stays linear under concurrency;
    // seq, time and both hashes are set here, never by the caller.
    await q.query(`
      CREATE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash bytea;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('cyberflag.access_log'));
        SELECT seq, hash INTO last_seq, last_hash FROM access_log ORDER BY seq DESC LIMIT 1;
        NEW.seq := COALESCE(last_seq, 0) + 1;
        NEW.at := clock_timestamp();
        NEW.prev_hash := COALESCE(last_hash, '\\x'::bytea);
        NEW.hash := sha256(NEW.prev_hash || convert_to(access_log_payload(NEW), 'UTF8'));
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER tr_access_log_chain BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_chain()`,
    );
    await q.query(`
      CREATE FUNCTION refuse_log_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
      END $$`);
    await q.query(
      `CREATE TRIGGER tr_access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite()`,
    );
    await q.query(
      `CREATE TRIGGER tr_access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_rewrite()`,
    );

    // Row-level security: a record is visible only if its force is in the transaction's scope
    // ('*' for national roles). No setting = no rows, so a forgotten filter cannot leak.
    await q.query(`
      CREATE FUNCTION cyberflag_force_visible(force text) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT COALESCE(current_setting('cyberflag.forces', true), '') = '*'
          OR force = ANY (string_to_array(NULLIF(current_setting('cyberflag.forces', true), ''), ','))
      $$`);
    for (const table of ['crimes', 'crime_history']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY p_${table}_force_scope ON ${table}
        USING (cyberflag_force_visible(force_id)) WITH CHECK (cyberflag_force_visible(force_id))`);
    }

    // The application works as this role: not a superuser, not the owner, so RLS applies to it.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cyberflag_app') THEN
          CREATE ROLE cyberflag_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$`);
    await q.query(`GRANT cyberflag_app TO CURRENT_USER`);
    await q.query(`GRANT USAGE ON SCHEMA public TO cyberflag_app`);
    await q.query(`GRANT SELECT ON regions, forces, offences TO cyberflag_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON crimes, users, auth_sessions TO cyberflag_app`);
    await q.query(`GRANT SELECT, INSERT ON crime_history, access_log TO cyberflag_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM cyberflag_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM cyberflag_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM cyberflag_app`);
    for (const table of ['crimes', 'crime_history']) {
      await q.query(`DROP POLICY p_${table}_force_scope ON ${table}`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`DROP FUNCTION cyberflag_force_visible(text)`);
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_chain()`);
    await q.query(`DROP FUNCTION access_log_payload`);
    await q.query(`DROP FUNCTION refuse_log_rewrite()`);
    await q.query(`DROP TABLE auth_sessions`);
    await q.query(`DROP TABLE users`);
  }
}
