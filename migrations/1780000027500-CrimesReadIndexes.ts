import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #21: the record list (GET /crimes, newest first, 50 a page) read every record of the force and sorted them
// for each page: 4 ms at 6,500 records, and growing with the force's whole history. With the force first and the
// list's order after it, a page of one force is an index range read of its first 51 entries, whatever the size.
// The same for a home page's "your recent work" (the user's last changed records, newest first): it read every
// record of the force to find the user's. Force first keeps both local to a shard when records are distributed by
// force (Citus). Each index costs every write one more index entry; a page that grew with the force's history was
// the worse trade.
export class CrimesReadIndexes1780000027500 implements MigrationInterface {
  name = 'CrimesReadIndexes1780000027500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_crimes_force_recorded ON crimes (force_id, recorded_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_crimes_force_updater ON crimes (force_id, updated_by, updated_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_crimes_force_updater`);
    await q.query(`DROP INDEX ix_crimes_force_recorded`);
  }
}
