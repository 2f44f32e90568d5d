import type { MigrationInterface, QueryRunner } from 'typeorm';

// Auditor workspace (issue 7): the review queue of doubtful online flags, and HMICFRS-style sample audits
// (stratified, seeded, immutable once closed). Record-level tables: force_id leads every key, RLS on.
export class CreateAuditing1780000003000 implements MigrationInterface {
  name = 'CreateAuditing1780000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_items (
        force_id text NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        -- Keyset pagination across forces in insertion order (microsecond timestamps do not survive JSON).
        seq bigint GENERATED ALWAYS AS IDENTITY,
        crime_id uuid NOT NULL,
        reason text NOT NULL CONSTRAINT ck_review_items_reason CHECK (reason IN
          ('online_without_method', 'usually_online_not_flagged', 'flag_changed_late', 'added_by_auditor')),
        details jsonb NOT NULL DEFAULT '{}',
        added_note text,
        status text NOT NULL DEFAULT 'open' CONSTRAINT ck_review_items_status CHECK (status IN
          ('open', 'confirmed_correct', 'corrected', 'referred')),
        review_note text,
        reviewed_at timestamptz,
        reviewed_by text,
        corrected_version integer,
        version integer NOT NULL DEFAULT 1 CONSTRAINT ck_review_items_version CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        CONSTRAINT pk_review_items PRIMARY KEY (force_id, id),
        -- One item per record and reason: refreshing the queue is idempotent.
        CONSTRAINT uq_review_items_crime_reason UNIQUE (force_id, crime_id, reason),
        CONSTRAINT fk_review_items_crime FOREIGN KEY (force_id, crime_id) REFERENCES crimes (force_id, id),
        CONSTRAINT ck_review_items_manual_note CHECK (reason <> 'added_by_auditor' OR added_note IS NOT NULL),
        CONSTRAINT ck_review_items_reviewed CHECK (
          status = 'open' OR (review_note IS NOT NULL AND reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)),
        CONSTRAINT ck_review_items_corrected CHECK ((status = 'corrected') = (corrected_version IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_review_items_seq ON review_items (seq)`);
    await q.query(
      `CREATE INDEX ix_review_items_force_status ON review_items (force_id, status, seq)`,
    );

    await q.query(`
      CREATE TABLE audits (
        force_id text NOT NULL CONSTRAINT fk_audits_force REFERENCES forces (id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        period_label text NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        offence_groups text[] NOT NULL CONSTRAINT ck_audits_groups CHECK (cardinality(offence_groups) > 0),
        requested_sample_size integer CONSTRAINT ck_audits_requested CHECK (requested_sample_size >= 1),
        target_margin numeric CONSTRAINT ck_audits_margin CHECK (target_margin > 0 AND target_margin < 1),
        population_size integer NOT NULL CONSTRAINT ck_audits_population CHECK (population_size >= 0),
        sample_size integer NOT NULL CONSTRAINT ck_audits_sample CHECK (sample_size BETWEEN 0 AND population_size),
        seed text NOT NULL CONSTRAINT ck_audits_seed CHECK (length(seed) BETWEEN 1 AND 200),
        finite_population_correction boolean NOT NULL,
        status text NOT NULL DEFAULT 'open' CONSTRAINT ck_audits_status CHECK (status IN ('open', 'closed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        closed_at timestamptz,
        closed_by text,
        CONSTRAINT pk_audits PRIMARY KEY (force_id, id),
        CONSTRAINT ck_audits_period CHECK (period_start < period_end),
        CONSTRAINT ck_audits_size_basis CHECK ((requested_sample_size IS NULL) <> (target_margin IS NULL)),
        CONSTRAINT ck_audits_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE audit_strata (
        force_id text NOT NULL,
        audit_id uuid NOT NULL,
        stratum text NOT NULL,
        population_size integer NOT NULL CONSTRAINT ck_audit_strata_population CHECK (population_size >= 0),
        sample_size integer NOT NULL CONSTRAINT ck_audit_strata_sample CHECK (sample_size BETWEEN 0 AND population_size),
        CONSTRAINT pk_audit_strata PRIMARY KEY (force_id, audit_id, stratum),
        CONSTRAINT fk_audit_strata_audit FOREIGN KEY (force_id, audit_id) REFERENCES audits (force_id, id)
      )`);
    await q.query(`
      CREATE TABLE audit_samples (
        force_id text NOT NULL,
        audit_id uuid NOT NULL,
        crime_id uuid NOT NULL,
        stratum text NOT NULL,
        draw_order integer NOT NULL CONSTRAINT ck_audit_samples_draw CHECK (draw_order >= 1),
        flag_verdict text CONSTRAINT ck_audit_samples_flag CHECK (flag_verdict IN ('correct', 'incorrect', 'cannot_tell')),
        classification_verdict text CONSTRAINT ck_audit_samples_classification
          CHECK (classification_verdict IN ('correct', 'incorrect', 'cannot_tell')),
        note text,
        verdict_at timestamptz,
        verdict_by text,
        CONSTRAINT pk_audit_samples PRIMARY KEY (force_id, audit_id, crime_id),
        CONSTRAINT uq_audit_samples_draw UNIQUE (force_id, audit_id, stratum, draw_order),
        CONSTRAINT fk_audit_samples_stratum FOREIGN KEY (force_id, audit_id, stratum) REFERENCES audit_strata (force_id, audit_id, stratum),
        CONSTRAINT fk_audit_samples_crime FOREIGN KEY (force_id, crime_id) REFERENCES crimes (force_id, id),
        -- A verdict is whole: both judgements, who and when, or nothing yet.
        CONSTRAINT ck_audit_samples_verdict CHECK (
          (flag_verdict IS NULL) = (classification_verdict IS NULL)
          AND (flag_verdict IS NULL) = (verdict_at IS NULL)
          AND (flag_verdict IS NULL) = (verdict_by IS NULL))
      )`);

    // A closed audit is evidence: the database refuses to change it or its verdicts, whoever asks.
    // The drawn sample and strata are fixed from the start (reproducible from the stored seed).
    await q.query(`
      CREATE FUNCTION refuse_closed_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'closed' THEN
          RAISE EXCEPTION 'audit % is closed and cannot change', OLD.id USING ERRCODE = 'P0001';
        END IF;
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'audits are never deleted' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_audits_closed BEFORE UPDATE OR DELETE ON audits
      FOR EACH ROW EXECUTE FUNCTION refuse_closed_audit_change()`);
    await q.query(`
      CREATE FUNCTION guard_audit_sample() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row_audit audit_samples;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'audit samples are never deleted' USING ERRCODE = 'P0001';
        END IF;
        row_audit := NEW;
        IF TG_OP = 'UPDATE' AND (NEW.force_id, NEW.audit_id, NEW.crime_id, NEW.stratum, NEW.draw_order)
            IS DISTINCT FROM (OLD.force_id, OLD.audit_id, OLD.crime_id, OLD.stratum, OLD.draw_order) THEN
          RAISE EXCEPTION 'the drawn sample cannot change' USING ERRCODE = 'P0001';
        END IF;
        -- FOR SHARE waits for a concurrent close to commit, so a verdict cannot slip in after it.
        PERFORM 1 FROM audits a
        WHERE a.force_id = row_audit.force_id AND a.id = row_audit.audit_id AND a.status = 'closed'
        FOR SHARE;
        IF FOUND THEN
          RAISE EXCEPTION 'audit % is closed: its verdicts cannot change', row_audit.audit_id USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_audit_samples_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_samples
      FOR EACH ROW EXECUTE FUNCTION guard_audit_sample()`);
    await q.query(`
      CREATE TRIGGER tr_audit_strata_append_only BEFORE UPDATE OR DELETE ON audit_strata
      FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite()`);

    for (const t of ['review_items', 'audits', 'audit_strata', 'audit_samples']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY p_${t}_force_scope ON ${t} USING (cyberflag_force_visible(force_id)) WITH CHECK (cyberflag_force_visible(force_id))`,
      );
    }
    await q.query(
      `GRANT SELECT, INSERT, UPDATE ON review_items, audits, audit_samples TO cyberflag_app`,
    );
    await q.query(`GRANT SELECT, INSERT ON audit_strata TO cyberflag_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_samples`);
    await q.query(`DROP TABLE audit_strata`);
    await q.query(`DROP TABLE audits`);
    await q.query(`DROP FUNCTION guard_audit_sample()`);
    await q.query(`DROP FUNCTION refuse_closed_audit_change()`);
    await q.query(`DROP TABLE review_items`);
  }
}
