import type { MigrationInterface, QueryRunner } from 'typeorm';

// Two migrations were edited after they landed (issue #14 §7), so a database that ran the first version lacks
// the change, and a new database has it:
// - 1780000007000 (commit dd10b0f) replaced ck_crimes_reference's '{0,63}' repetition, which cost ~6 µs a row,
//   by the same rule as '*' plus a length limit;
// - 1780000011000 (commit 4b880fe) stores access_log.record_ids uncompressed (EXTERNAL).
// This brings the first kind of database to the second state and changes nothing in the second kind: each step
// runs only when the catalog still shows the old state. (The edits to 1780000009000 and 1780000010000 were
// refactors that produce the same SQL.) Migrations are now checked against migrations/checksums.json.
const OLD_REFERENCE_RULE = '{0,63}';

export class CatchUpEditedMigrations1780000019000 implements MigrationInterface {
  name = 'CatchUpEditedMigrations1780000019000';

  async up(q: QueryRunner): Promise<void> {
    const [check] = (await q.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'crimes'::regclass AND conname = 'ck_crimes_reference'`,
    )) as { def: string }[];
    if (check?.def.includes(OLD_REFERENCE_RULE)) {
      // The same set of references, so every row passes the new check.
      await q.query(`
        ALTER TABLE crimes DROP CONSTRAINT ck_crimes_reference,
          ADD CONSTRAINT ck_crimes_reference CHECK (crime_reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.:-]*$' AND char_length(crime_reference) <= 64)`);
    }
    const [column] = (await q.query(
      `SELECT attstorage AS storage FROM pg_attribute
        WHERE attrelid = 'access_log'::regclass AND attname = 'record_ids'`,
    )) as { storage: string }[];
    // 'e' is EXTERNAL. Existing entries keep their storage; new ones are stored uncompressed.
    if (column?.storage !== 'e') {
      await q.query(`ALTER TABLE access_log ALTER COLUMN record_ids SET STORAGE EXTERNAL`);
    }
  }

  // Nothing to undo: afterwards a database is in the state the edited migrations give, whichever state it came
  // from, and their own down steps revert it.
  async down(): Promise<void> {}
}
