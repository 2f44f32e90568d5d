import type { MigrationInterface, QueryRunner } from 'typeorm';

// Every change of a record advances its version, whoever makes it (issue #21). The app's writes always set the next
// version (CrimeStore.update, the import's merge); this makes it true of any other UPDATE too, such as an operator's
// correction in SQL: the version goes up by one, so a registrar's form or a client still at the old version answers
// 409 instead of writing over the correction unseen, and a version names one content, which lets a process amend
// a record it wrote without reading it again (RecentCrimes). (An update that sets the version itself keeps what it
// set: only one that sets an earlier version on purpose could give a version two contents.) The WHEN clause is
// evaluated by the executor: the function runs only for an update that left the version alone, never for the
// app's own; an update that changes nothing keeps its version.
export class CrimeVersionAdvances1780000027700 implements MigrationInterface {
  name = 'CrimeVersionAdvances1780000027700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION crimes_advance_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- financial_year is generated (computed after this trigger): what it derives from is compared instead.
        IF to_jsonb(NEW) - 'financial_year' IS DISTINCT FROM to_jsonb(OLD) - 'financial_year' THEN
          NEW.version := OLD.version + 1;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_crimes_advance_version BEFORE UPDATE ON crimes FOR EACH ROW
      WHEN (NEW.version = OLD.version)
      EXECUTE FUNCTION crimes_advance_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_crimes_advance_version ON crimes`);
    await q.query(`DROP FUNCTION crimes_advance_version()`);
  }
}
