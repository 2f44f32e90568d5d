import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #21 deliver 3: every app process caches checked sessions for a few seconds (libs/auth session-cache.ts)
// and listens on cyberflag_auth, so a change must be announced whoever makes it (the app, a command, an operator's
// SQL). The payload names what changed and carries no secret: a session id, 'user:<users.id>', or '*' for a
// truncated table. A NOTIFY is sent at commit, never for a rolled-back change. pg_notify needs no privilege, so the
// function runs as the caller (the app's login role included): no SECURITY DEFINER.
// auth_sessions: revocation, expiry or owner changed, or the row deleted (a refresh rotation, which changes only
// refresh_hash, stays quiet); users: any update or deletion, since any column may change what the actor is.
const TABLES = ['auth_sessions', 'users'];

export class NotifyAuthChanges1780000027000 implements MigrationInterface {
  name = 'NotifyAuthChanges1780000027000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION cyberflag_notify_auth_change() RETURNS trigger LANGUAGE plpgsql
      SET search_path = pg_catalog, pg_temp AS $fn$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('cyberflag_auth', '*');
        ELSIF TG_TABLE_NAME = 'auth_sessions' THEN
          PERFORM pg_notify('cyberflag_auth', OLD.id::text);
        ELSE
          PERFORM pg_notify('cyberflag_auth', 'user:' || OLD.id::text);
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER tg_auth_sessions_notify AFTER UPDATE OF id, user_id, expires_at, revoked_at OR DELETE
      ON auth_sessions FOR EACH ROW EXECUTE FUNCTION cyberflag_notify_auth_change()`);
    await q.query(`
      CREATE TRIGGER tg_users_notify AFTER UPDATE OR DELETE
      ON users FOR EACH ROW EXECUTE FUNCTION cyberflag_notify_auth_change()`);
    for (const t of TABLES)
      await q.query(`
        CREATE TRIGGER tg_${t}_notify_truncate AFTER TRUNCATE
        ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION cyberflag_notify_auth_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await q.query(`DROP TRIGGER tg_${t}_notify_truncate ON ${t}`);
      await q.query(`DROP TRIGGER tg_${t}_notify ON ${t}`);
    }
    await q.query(`DROP FUNCTION cyberflag_notify_auth_change()`);
  }
}
