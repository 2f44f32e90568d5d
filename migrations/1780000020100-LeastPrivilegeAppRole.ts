import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18 finding 7. The app now logs in as its own LOGIN role, a member of cyberflag_app (not a superuser, not
// the owner: see libs/persistence/src/app-login.ts), so RESET ROLE leads nowhere. Here, what that role may touch:
// - users: no column holding a credential can be read or written directly. Login goes through SECURITY DEFINER
//   functions: one gives the public part of the stored hash (algorithm, parameters, salt), the app derives the
//   candidate hash from the typed password with it, and another compares it with the secret part in the database.
// - auth_sessions: the refresh-token hash is neither readable nor writable by the app; rotation is a function.
// - access_log: appended by anyone; read only within the transaction's force scope (the chain trigger runs as the
//   owner, since it must see the whole chain to extend it).
// - imports, import_rejections: visible to their creator and to callers whose scope covers the import's forces
//   (the rule ImportReports applies), so a query that forgets the check still finds nothing of another force's.
const FN = `LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp`;
const FUNCTIONS = [
  'cyberflag_login_salt(text)',
  'cyberflag_login_check(text, text)',
  'cyberflag_store_password(uuid, text, timestamptz)',
  'cyberflag_issue_one_time(uuid, text, timestamptz)',
  'cyberflag_rotate_refresh(uuid, text, text)',
];

export class LeastPrivilegeAppRole1780000020100 implements MigrationInterface {
  name = 'LeastPrivilegeAppRole1780000020100';

  async up(q: QueryRunner): Promise<void> {
    // users: every column but the credentials.
    await q.query(`REVOKE SELECT, INSERT, UPDATE ON users FROM cyberflag_app`);
    await q.query(`GRANT SELECT (id, username, display_name, roles, force_ids, all_forces, active, failed_logins,
      locked_until, created_at, created_by, updated_at, must_set_password, one_time_expires_at) ON users TO cyberflag_app`);
    await q.query(`GRANT INSERT (username, display_name, roles, force_ids, all_forces, created_by, one_time_hash,
      one_time_expires_at, must_set_password) ON users TO cyberflag_app`);
    await q.query(
      `GRANT UPDATE (display_name, roles, force_ids, all_forces, active, updated_at) ON users TO cyberflag_app`,
    );

    // The stored hash without its last field (the secret part), for a usable credential: the password, or a
    // one-time credential that has not expired. hash_chars: the length of the secret part, to derive one as long.
    await q.query(`
      CREATE FUNCTION cyberflag_login_salt(p_username text) RETURNS TABLE (phc text, hash_chars integer) STABLE ${FN} AS $fn$
        SELECT regexp_replace(c.h, '[$][^$]*$', ''), length(substring(c.h FROM '[^$]*$'))
        FROM users u CROSS JOIN LATERAL (SELECT COALESCE(u.password_hash, u.one_time_hash) AS h) c
        WHERE u.username = p_username AND u.active AND (u.password_hash IS NOT NULL OR u.one_time_expires_at > now())
      $fn$`);
    // The user's id when the derived hash matches (compared as digests, so the time taken says nothing of how
    // much of it matched).
    await q.query(`
      CREATE FUNCTION cyberflag_login_check(p_username text, p_derived text) RETURNS uuid STABLE ${FN} AS $fn$
        SELECT u.id FROM users u
        WHERE u.username = p_username AND u.active AND (u.password_hash IS NOT NULL OR u.one_time_expires_at > now())
          AND sha256(convert_to(substring(COALESCE(u.password_hash, u.one_time_hash) FROM '[^$]*$'), 'UTF8'))
            = sha256(convert_to(p_derived, 'UTF8'))
      $fn$`);
    // A password for the account: its user's choice after a one-time sign-in (p_pending_until: the expiry of the
    // one-time credential they signed in with, so it is used once), or set by trusted seeding code (NULL).
    await q.query(`
      CREATE FUNCTION cyberflag_store_password(p_user uuid, p_hash text, p_pending_until timestamptz) RETURNS boolean VOLATILE ${FN} AS $fn$
        UPDATE users SET password_hash = p_hash, one_time_hash = NULL, one_time_expires_at = NULL,
          must_set_password = false, updated_at = now()
        WHERE id = p_user AND (p_pending_until IS NULL
          OR (must_set_password AND one_time_expires_at = p_pending_until AND one_time_expires_at > now()))
        RETURNING true
      $fn$`);
    // A reset: the password stops working, and only the new one-time credential lets the user in.
    await q.query(`
      CREATE FUNCTION cyberflag_issue_one_time(p_user uuid, p_hash text, p_expires timestamptz) RETURNS boolean VOLATILE ${FN} AS $fn$
        UPDATE users SET password_hash = NULL, one_time_hash = p_hash, one_time_expires_at = p_expires,
          must_set_password = true, updated_at = now()
        WHERE id = p_user
        RETURNING true
      $fn$`);

    // auth_sessions: the refresh hash stays in the database.
    await q.query(`REVOKE SELECT, UPDATE ON auth_sessions FROM cyberflag_app`);
    await q.query(
      `GRANT SELECT (id, user_id, created_at, expires_at, revoked_at) ON auth_sessions TO cyberflag_app`,
    );
    await q.query(`GRANT UPDATE (revoked_at) ON auth_sessions TO cyberflag_app`);
    // 'rotated' (with the username) when the presented hash is the session's; 'reused' (and the session is revoked)
    // when it is not; 'invalid' for an unknown, revoked or expired session, or an inactive user.
    await q.query(`
      CREATE FUNCTION cyberflag_rotate_refresh(p_session uuid, p_presented text, p_next text)
      RETURNS TABLE (outcome text, username text) VOLATILE ${FN.replace('sql', 'plpgsql')} AS $fn$
      DECLARE
        s record;
      BEGIN
        SELECT a.refresh_hash, u.username AS who, (a.revoked_at IS NULL AND a.expires_at > now() AND u.active) AS valid
          INTO s FROM auth_sessions a JOIN users u ON u.id = a.user_id WHERE a.id = p_session FOR UPDATE OF a;
        IF NOT FOUND OR NOT s.valid THEN
          RETURN QUERY SELECT 'invalid'::text, NULL::text;
        ELSIF sha256(convert_to(s.refresh_hash, 'UTF8')) <> sha256(convert_to(p_presented, 'UTF8')) THEN
          UPDATE auth_sessions SET revoked_at = now() WHERE id = p_session;
          RETURN QUERY SELECT 'reused'::text, NULL::text;
        ELSE
          UPDATE auth_sessions SET refresh_hash = p_next WHERE id = p_session;
          RETURN QUERY SELECT 'rotated'::text, s.who;
        END IF;
      END $fn$`);
    for (const f of FUNCTIONS) {
      await q.query(`REVOKE EXECUTE ON FUNCTION ${f} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${f} TO cyberflag_app`);
    }

    // access_log: the chain trigger must see the whole chain whoever appends.
    await q.query(
      `ALTER FUNCTION access_log_chain() SECURITY DEFINER SET search_path = public, pg_temp`,
    );
    await q.query(`ALTER TABLE access_log ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY p_access_log_append ON access_log FOR INSERT WITH CHECK (true)`);
    await q.query(`
      CREATE FUNCTION cyberflag_any_force_visible(forces text[]) RETURNS boolean LANGUAGE sql STABLE AS $fn$
        SELECT COALESCE(current_setting('cyberflag.forces', true), '') = '*'
          OR forces && string_to_array(NULLIF(current_setting('cyberflag.forces', true), ''), ',')
      $fn$`);
    await q.query(`CREATE POLICY p_access_log_read ON access_log FOR SELECT
      USING (cyberflag_any_force_visible(force_ids))`);

    // imports: ImportReports' rule, with the caller's user id in cyberflag.user (set beside cyberflag.forces).
    await q.query(`
      CREATE FUNCTION cyberflag_import_visible(created_by text, scope text[], forces text[]) RETURNS boolean
      LANGUAGE sql STABLE AS $fn$
        SELECT COALESCE(current_setting('cyberflag.forces', true), '') = '*'
          OR created_by = NULLIF(current_setting('cyberflag.user', true), '')
          OR (NOT '*' = ANY (scope) AND cardinality(scope) > 0
            AND scope <@ string_to_array(NULLIF(current_setting('cyberflag.forces', true), ''), ','))
          OR ('*' = ANY (scope) AND cardinality(forces) > 0
            AND forces <@ string_to_array(NULLIF(current_setting('cyberflag.forces', true), ''), ','))
      $fn$`);
    await q.query(`ALTER TABLE imports ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY p_imports_scope ON imports
      USING (cyberflag_import_visible(created_by, scope, forces))
      WITH CHECK (cyberflag_import_visible(created_by, scope, forces))`);
    await q.query(`ALTER TABLE import_rejections ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY p_import_rejections_scope ON import_rejections
      USING (EXISTS (SELECT 1 FROM imports i WHERE i.id = import_id))
      WITH CHECK (EXISTS (SELECT 1 FROM imports i WHERE i.id = import_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY p_import_rejections_scope ON import_rejections`);
    await q.query(`ALTER TABLE import_rejections DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP POLICY p_imports_scope ON imports`);
    await q.query(`ALTER TABLE imports DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP FUNCTION cyberflag_import_visible(text, text[], text[])`);
    await q.query(`DROP POLICY p_access_log_read ON access_log`);
    await q.query(`DROP POLICY p_access_log_append ON access_log`);
    await q.query(`ALTER TABLE access_log DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP FUNCTION cyberflag_any_force_visible(text[])`);
    await q.query(`ALTER FUNCTION access_log_chain() SECURITY INVOKER RESET search_path`);
    for (const f of FUNCTIONS) await q.query(`DROP FUNCTION ${f}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON users, auth_sessions TO cyberflag_app`);
  }
}
