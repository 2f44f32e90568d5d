import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18 finding 8: every publication carries the access log's signed checkpoint taken when it was made, so the
// head of the log is anchored in every copy of every publication, outside the database. A column of its own, not
// part of the hashed content: the content's SHA-256 stays the hash of the published figures (earlier publications
// still verify), and the checkpoint is authenticated by its own signature. Null: made before this, or with no
// checkpoint folder. The append-only trigger covers the new column like the others.
export class PublicationAccessLogCheckpoint1780000027400 implements MigrationInterface {
  name = 'PublicationAccessLogCheckpoint1780000027400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publications ADD COLUMN access_log_checkpoint jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publications DROP COLUMN access_log_checkpoint`);
  }
}
