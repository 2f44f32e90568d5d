import type { MigrationInterface, QueryRunner } from 'typeorm';

// Login throttling (issue #18 finding 9) replaces the per-user lock (users.failed_logins, users.locked_until, no
// longer written). One row per account and one per account and source address, keyed by a SHA-256 of the username
// (and address), so an unknown username is throttled exactly like a known one and the table holds no usernames.
// `account` groups an account's rows, so a password reset can clear them.
export class LoginThrottle1780000018000 implements MigrationInterface {
  name = 'LoginThrottle1780000018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        key bytea NOT NULL CONSTRAINT pk_login_throttle PRIMARY KEY,
        account bytea NOT NULL,
        failures integer NOT NULL CONSTRAINT ck_login_throttle_failures CHECK (failures >= 0),
        blocked_until timestamptz,
        last_failure_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_login_throttle_account ON login_throttle (account)`);
    await q.query(
      `CREATE INDEX ix_login_throttle_last_failure_at ON login_throttle (last_failure_at)`,
    );
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
  }
}
