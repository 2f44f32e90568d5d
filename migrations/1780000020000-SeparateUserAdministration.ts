import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18 finding 6: an administrator granted itself data access. From now on
// - an account holding `admin` holds no other role (checked for new and changed rows: NOT VALID leaves an existing
//   account to be corrected by its next change, rather than failing the migration);
// - an account made or reset by an administrator has no password until its user chooses one: it carries a one-time
//   credential (hashed like a password, with an expiry) that lets its user do nothing but set their own password.
export class SeparateUserAdministration1780000020000 implements MigrationInterface {
  name = 'SeparateUserAdministration1780000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE users
      ADD COLUMN one_time_hash text,
      ADD COLUMN one_time_expires_at timestamptz,
      ADD COLUMN must_set_password boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_credential
      CHECK (password_hash IS NOT NULL OR (one_time_hash IS NOT NULL AND one_time_expires_at IS NOT NULL))`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_admin_alone
      CHECK (NOT 'admin' = ANY (roles) OR roles = ARRAY['admin']::text[]) NOT VALID`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_admin_alone`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_credential`);
    // Accounts still waiting for their user's password cannot go back to a NOT NULL password: refuse.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM users WHERE password_hash IS NULL) THEN
          RAISE EXCEPTION 'some users have not set their password yet; reverting would leave them without one';
        END IF;
      END $$`);
    await q.query(`ALTER TABLE users DROP COLUMN must_set_password, DROP COLUMN one_time_expires_at,
      DROP COLUMN one_time_hash`);
    await q.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
  }
}
