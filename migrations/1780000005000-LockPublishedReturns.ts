import type { MigrationInterface, QueryRunner } from 'typeorm';

// A national publication locks the force returns it used (issue 6). The lifecycle service refuses
// transitions from 'locked'; the database refuses them too, whoever asks: a locked return keeps its state
// and revision, cannot be deleted, and gets no new revision. Publications are listed by year.
// The row-level-security predicate is marked PARALLEL SAFE (it only reads the transaction's scope setting,
// which PostgreSQL copies into parallel workers): an unsafe function in a policy forbids parallel plans for
// every query under RLS, so the national scan over all forces ran on one core.
export class LockPublishedReturns1780000005000 implements MigrationInterface {
  name = 'LockPublishedReturns1780000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION refuse_locked_return_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'return_revisions' THEN
          IF EXISTS (SELECT 1 FROM force_returns fr
                     WHERE fr.force_id = NEW.force_id AND fr.financial_year = NEW.financial_year AND fr.state = 'locked') THEN
            RAISE EXCEPTION 'return % % is locked by a national publication', NEW.force_id, NEW.financial_year USING ERRCODE = 'P0001';
          END IF;
          RETURN NEW;
        END IF;
        IF TG_OP = 'DELETE' OR NEW.state <> 'locked' OR NEW.current_revision <> OLD.current_revision THEN
          RAISE EXCEPTION 'return % % is locked by a national publication', OLD.force_id, OLD.financial_year USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_force_returns_locked BEFORE UPDATE OR DELETE ON force_returns
      FOR EACH ROW WHEN (OLD.state = 'locked') EXECUTE FUNCTION refuse_locked_return_change()`);
    await q.query(`
      CREATE TRIGGER tr_return_revisions_locked BEFORE INSERT ON return_revisions
      FOR EACH ROW EXECUTE FUNCTION refuse_locked_return_change()`);
    await q.query(
      `CREATE INDEX ix_publications_year ON publications (financial_year, published_at)`,
    );
    await q.query(`ALTER FUNCTION cyberflag_force_visible(text) PARALLEL SAFE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION cyberflag_force_visible(text) PARALLEL UNSAFE`);
    await q.query(`DROP INDEX ix_publications_year`);
    await q.query(`DROP TRIGGER tr_return_revisions_locked ON return_revisions`);
    await q.query(`DROP TRIGGER tr_force_returns_locked ON force_returns`);
    await q.query(`DROP FUNCTION refuse_locked_return_change()`);
  }
}
