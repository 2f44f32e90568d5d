import type { MigrationInterface, QueryRunner } from 'typeorm';

// The statement-level reference check of migration 1780000007000, as NOT IN over the catalogue instead of
// LEFT JOINs. The transition table has no statistics, so the planner hashed or memoised the statement's rows
// (~9 ms per 10,000 rows; ~5 % of an import's database time in a profile); NOT IN against the catalogue's
// keys becomes a hashed subplan of the 44 forces and ~130 offence codes, probed once per row (~2.5 ms).
// Same rule, SQLSTATE and constraint names. The catalogue's keys are primary keys, so never NULL, and a NULL
// transfer target passes, as before.

// The same in both directions: the function's end, raising on the first bad row found (if any).
const REPORT_FIRST_BAD_ROW = `        IF FOUND THEN
          IF bad.no_force THEN
            RAISE EXCEPTION 'force % is not in the catalogue', bad.force_id
              USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_crimes_force', TABLE = 'crimes';
          ELSIF bad.no_offence THEN
            RAISE EXCEPTION 'offence code % is not in the catalogue', bad.offence_code
              USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_crimes_offence', TABLE = 'crimes';
          ELSE
            RAISE EXCEPTION 'force % (transfer target) is not in the catalogue', bad.transferred_to_force_id
              USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_crimes_transferred_to', TABLE = 'crimes';
          END IF;
        END IF;
        RETURN NULL;
      END $$`;

export class HashedReferenceCheck1780000010000 implements MigrationInterface {
  name = 'HashedReferenceCheck1780000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION crimes_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT n.force_id, n.offence_code, n.transferred_to_force_id,
               n.force_id NOT IN (SELECT id FROM forces) AS no_force,
               n.offence_code NOT IN (SELECT code FROM offences) AS no_offence
        INTO bad
        FROM changed_rows n
        WHERE n.force_id NOT IN (SELECT id FROM forces)
           OR n.offence_code NOT IN (SELECT code FROM offences)
           OR n.transferred_to_force_id NOT IN (SELECT id FROM forces)
        LIMIT 1;
${REPORT_FIRST_BAD_ROW}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION crimes_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT n.force_id, n.offence_code, n.transferred_to_force_id,
               f.id IS NULL AS no_force, o.code IS NULL AS no_offence
        INTO bad
        FROM changed_rows n
        LEFT JOIN forces f ON f.id = n.force_id
        LEFT JOIN offences o ON o.code = n.offence_code
        LEFT JOIN forces t ON t.id = n.transferred_to_force_id
        WHERE f.id IS NULL OR o.code IS NULL OR (n.transferred_to_force_id IS NOT NULL AND t.id IS NULL)
        LIMIT 1;
${REPORT_FIRST_BAD_ROW}`);
  }
}
