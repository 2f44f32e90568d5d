import type { MigrationInterface, QueryRunner } from 'typeorm';

// Corrections after publication (issue 13 item 7). A force may submit a new revision of a locked (published)
// return: the head moves 'locked' → 'revised' with the next revision number, and nothing else about a locked
// return may change (its published revision row stays as it is: return_revisions is append-only). A new
// publication of a year supersedes the latest one: `supersedes` names it (same year; at most one successor,
// so a year's publications form one chain and two concurrent publications cannot both supersede it).
const LOCK_FUNCTION = (allowRevision: boolean) => `
  CREATE OR REPLACE FUNCTION refuse_locked_return_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_TABLE_NAME = 'return_revisions' THEN
      IF EXISTS (SELECT 1 FROM force_returns fr
                 WHERE fr.force_id = NEW.force_id AND fr.financial_year = NEW.financial_year AND fr.state = 'locked') THEN
        RAISE EXCEPTION 'return % % is locked by a national publication', NEW.force_id, NEW.financial_year USING ERRCODE = 'P0001';
      END IF;
      RETURN NEW;
    END IF;${
      allowRevision
        ? `
    -- The one move out of 'locked': a revision (n+1) of the published return.
    IF TG_OP = 'UPDATE' AND NEW.state = 'revised' AND NEW.current_revision = OLD.current_revision + 1 THEN
      RETURN NEW;
    END IF;`
        : ''
    }
    IF TG_OP = 'DELETE' OR NEW.state <> 'locked' OR NEW.current_revision <> OLD.current_revision THEN
      RAISE EXCEPTION 'return % % is locked by a national publication', OLD.force_id, OLD.financial_year USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END $$`;

export class RevisedReturnsAndSupersededPublications1780000012700 implements MigrationInterface {
  name = 'RevisedReturnsAndSupersededPublications1780000012700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE force_returns DROP CONSTRAINT ck_force_returns_state`);
    await q.query(`ALTER TABLE force_returns ADD CONSTRAINT ck_force_returns_state
      CHECK (state IN ('draft', 'submitted', 'accepted', 'returned', 'locked', 'revised'))`);
    await q.query(`ALTER TABLE return_events DROP CONSTRAINT ck_return_events_action`);
    await q.query(`ALTER TABLE return_events ADD CONSTRAINT ck_return_events_action
      CHECK (action IN ('submit', 'accept', 'return', 'lock', 'resubmit', 'revise'))`);
    await q.query(LOCK_FUNCTION(true));
    await q.query(
      `ALTER TABLE publications ADD CONSTRAINT uq_publications_year_id UNIQUE (financial_year, id)`,
    );
    await q.query(`ALTER TABLE publications ADD COLUMN supersedes uuid`);
    await q.query(
      `ALTER TABLE publications ADD CONSTRAINT uq_publications_supersedes UNIQUE (supersedes)`,
    );
    await q.query(`ALTER TABLE publications ADD CONSTRAINT fk_publications_supersedes
      FOREIGN KEY (financial_year, supersedes) REFERENCES publications (financial_year, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publications DROP CONSTRAINT fk_publications_supersedes`);
    await q.query(`ALTER TABLE publications DROP CONSTRAINT uq_publications_supersedes`);
    await q.query(`ALTER TABLE publications DROP COLUMN supersedes`);
    await q.query(`ALTER TABLE publications DROP CONSTRAINT uq_publications_year_id`);
    await q.query(LOCK_FUNCTION(false));
    await q.query(`ALTER TABLE return_events DROP CONSTRAINT ck_return_events_action`);
    await q.query(`ALTER TABLE return_events ADD CONSTRAINT ck_return_events_action
      CHECK (action IN ('submit', 'accept', 'return', 'lock', 'resubmit'))`);
    await q.query(`ALTER TABLE force_returns DROP CONSTRAINT ck_force_returns_state`);
    await q.query(`ALTER TABLE force_returns ADD CONSTRAINT ck_force_returns_state
      CHECK (state IN ('draft', 'submitted', 'accepted', 'returned', 'locked'))`);
  }
}
