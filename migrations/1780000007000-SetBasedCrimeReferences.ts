import type { MigrationInterface, QueryRunner } from 'typeorm';

// Bulk import speed (issue 4), without giving up what the database guarantees:
// 1. The three foreign keys from crimes to the catalogue (force, offence code, transfer target) become one
//    statement-level check over the statement's transition table. A row-level foreign key runs a trigger and
//    a locking lookup per row: about 11 s per million imported rows here, a third of the whole import.
//    The check raises the same SQLSTATE (23503) and names the same constraint, so callers see no change.
//    The referenced side keeps its guarantee too: a force or offence code that records use cannot be deleted
//    or renamed. (On Citus, distributed-to-reference foreign keys are native and checked on the workers in
//    parallel: restore them there.)
// 2. ck_crimes_reference without the bounded repetition: PostgreSQL's regex engine expands '{0,63}' into a large
//    automaton, and the check cost ~6 µs a row (as much as two of the five index insertions). The same rule as
//    '^[A-Za-z0-9][A-Za-z0-9/_.:-]*$' and a length limit of 64 costs almost nothing.
// 3. crimes.import_id: the import that created the record. A record created by an import has no stored
//    'created' history row: its first version is the record's values with later changes undone, derived when
//    history is read. Writing a second row per imported record doubled the cost of an import.
export class SetBasedCrimeReferences1780000007000 implements MigrationInterface {
  name = 'SetBasedCrimeReferences1780000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE crimes ADD COLUMN import_id uuid`);
    await q.query(`
      ALTER TABLE crimes DROP CONSTRAINT ck_crimes_reference,
        ADD CONSTRAINT ck_crimes_reference CHECK (crime_reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.:-]*$' AND char_length(crime_reference) <= 64)`);
    await q.query(
      `ALTER TABLE crimes DROP CONSTRAINT fk_crimes_force, DROP CONSTRAINT fk_crimes_offence, DROP CONSTRAINT fk_crimes_transferred_to`,
    );
    await q.query(`
      CREATE FUNCTION crimes_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        -- One anti-join per statement (forces and offences are small and hashed), not one lookup per row.
        SELECT n.force_id, n.offence_code, n.transferred_to_force_id,
               f.id IS NULL AS no_force, o.code IS NULL AS no_offence
        INTO bad
        FROM changed_rows n
        LEFT JOIN forces f ON f.id = n.force_id
        LEFT JOIN offences o ON o.code = n.offence_code
        LEFT JOIN forces t ON t.id = n.transferred_to_force_id
        WHERE f.id IS NULL OR o.code IS NULL OR (n.transferred_to_force_id IS NOT NULL AND t.id IS NULL)
        LIMIT 1;
        IF FOUND THEN
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
      END $$`);
    // A trigger with a transition table serves one event, hence two.
    await q.query(`
      CREATE TRIGGER tr_crimes_references_insert AFTER INSERT ON crimes
      REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crimes_check_references()`);
    await q.query(`
      CREATE TRIGGER tr_crimes_references_update AFTER UPDATE ON crimes
      REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crimes_check_references()`);
    await q.query(`
      CREATE FUNCTION refuse_used_catalogue_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        used boolean;
      BEGIN
        IF TG_TABLE_NAME = 'forces' THEN
          IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN RETURN NEW; END IF;
          used := EXISTS (SELECT 1 FROM crimes WHERE force_id = OLD.id OR transferred_to_force_id = OLD.id);
        ELSE
          IF TG_OP = 'UPDATE' AND NEW.code = OLD.code THEN RETURN NEW; END IF;
          used := EXISTS (SELECT 1 FROM crimes WHERE offence_code = OLD.code);
        END IF;
        IF used THEN
          RAISE EXCEPTION '% row is used by crime records and cannot be deleted or renamed', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    for (const t of ['forces', 'offences']) {
      await q.query(
        `CREATE TRIGGER tr_${t}_used_key BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_used_catalogue_key_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['forces', 'offences']) await q.query(`DROP TRIGGER tr_${t}_used_key ON ${t}`);
    await q.query(`DROP FUNCTION refuse_used_catalogue_key_change()`);
    await q.query(`DROP TRIGGER tr_crimes_references_update ON crimes`);
    await q.query(`DROP TRIGGER tr_crimes_references_insert ON crimes`);
    await q.query(`DROP FUNCTION crimes_check_references()`);
    await q.query(`
      ALTER TABLE crimes
        ADD CONSTRAINT fk_crimes_force FOREIGN KEY (force_id) REFERENCES forces (id),
        ADD CONSTRAINT fk_crimes_offence FOREIGN KEY (offence_code) REFERENCES offences (code),
        ADD CONSTRAINT fk_crimes_transferred_to FOREIGN KEY (transferred_to_force_id) REFERENCES forces (id)`);
    await q.query(`
      ALTER TABLE crimes DROP CONSTRAINT ck_crimes_reference,
        ADD CONSTRAINT ck_crimes_reference CHECK (crime_reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$')`);
    await q.query(`ALTER TABLE crimes DROP COLUMN import_id`);
  }
}
