import type { MigrationInterface, QueryRunner } from 'typeorm';

// Force annual returns: a lifecycle head per force-year, immutable submitted revisions (snapshots with their
// SHA-256), an append-only event log of transitions, and national publications that lock the returns they use.
export class CreateReturnsLifecycle1780000002000 implements MigrationInterface {
  name = 'CreateReturnsLifecycle1780000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE force_returns (
        force_id text NOT NULL CONSTRAINT fk_force_returns_force REFERENCES forces (id),
        financial_year smallint NOT NULL CONSTRAINT ck_force_returns_year CHECK (financial_year BETWEEN 2002 AND 2100),
        state text NOT NULL CONSTRAINT ck_force_returns_state CHECK (state IN ('draft', 'submitted', 'accepted', 'returned', 'locked')),
        current_revision integer NOT NULL DEFAULT 0 CONSTRAINT ck_force_returns_revision CHECK (current_revision >= 0),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        CONSTRAINT pk_force_returns PRIMARY KEY (force_id, financial_year),
        CONSTRAINT ck_force_returns_submitted CHECK (state = 'draft' OR current_revision >= 1)
      )`);
    await q.query(`
      CREATE TABLE return_revisions (
        force_id text NOT NULL,
        financial_year smallint NOT NULL,
        revision integer NOT NULL CONSTRAINT ck_return_revisions_revision CHECK (revision >= 1),
        tables jsonb NOT NULL,
        sha256 text NOT NULL CONSTRAINT ck_return_revisions_sha CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        high_water jsonb NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        submitted_by text NOT NULL,
        signed_off_name text NOT NULL,
        CONSTRAINT pk_return_revisions PRIMARY KEY (force_id, financial_year, revision),
        CONSTRAINT fk_return_revisions_return FOREIGN KEY (force_id, financial_year) REFERENCES force_returns (force_id, financial_year)
      )`);
    await q.query(`
      CREATE TABLE return_events (
        force_id text NOT NULL,
        financial_year smallint NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        revision integer NOT NULL,
        action text NOT NULL CONSTRAINT ck_return_events_action CHECK (action IN ('submit', 'accept', 'return', 'lock', 'resubmit')),
        from_state text NOT NULL,
        to_state text NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now(),
        by_user text NOT NULL,
        CONSTRAINT pk_return_events PRIMARY KEY (force_id, id),
        CONSTRAINT fk_return_events_return FOREIGN KEY (force_id, financial_year) REFERENCES force_returns (force_id, financial_year)
      )`);
    await q.query(`
      CREATE TABLE publications (
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_publications PRIMARY KEY,
        financial_year smallint NOT NULL,
        title text NOT NULL,
        config jsonb NOT NULL,
        tables jsonb NOT NULL,
        sha256 text NOT NULL CONSTRAINT ck_publications_sha CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        returns_used jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL
      )`);
    // Snapshots are evidence of what was sent: the database refuses to change them, whoever asks.
    for (const t of ['return_revisions', 'return_events', 'publications']) {
      await q.query(
        `CREATE TRIGGER tr_${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite()`,
      );
    }
    // "Changed since submission" and flag-change counts read history by force and time.
    await q.query(
      `CREATE INDEX ix_crime_history_force_changed ON crime_history (force_id, changed_at)`,
    );
    await q.query(`
      CREATE INDEX ix_crime_history_flag_changes ON crime_history (force_id, changed_at)
      WHERE (changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')`);
    for (const t of ['force_returns', 'return_revisions', 'return_events']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY p_${t}_force_scope ON ${t} USING (cyberflag_force_visible(force_id)) WITH CHECK (cyberflag_force_visible(force_id))`,
      );
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE ON force_returns TO cyberflag_app`);
    await q.query(
      `GRANT SELECT, INSERT ON return_revisions, return_events, publications TO cyberflag_app`,
    );
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_crime_history_flag_changes`);
    await q.query(`DROP INDEX ix_crime_history_force_changed`);
    await q.query(`DROP TABLE publications`);
    await q.query(`DROP TABLE return_events`);
    await q.query(`DROP TABLE return_revisions`);
    await q.query(`DROP TABLE force_returns`);
  }
}
