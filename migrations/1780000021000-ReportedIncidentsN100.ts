import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 20 §5: rape reports held as N100. An N100 is a Home Office classification for a REPORTED INCIDENT of rape
// or attempted rape not immediately recorded as a confirmed rape crime (HMICFRS glossary; domain.md R21), so it is
// not a crime record: it never enters crimes (returns count crimes), it lives here, scoped by force like every
// record-level table. R21: it carries the reason it was not crimed; when the rape is later recorded, the crime is
// linked (crime_id) and the incident leaves the force crime registrar's outstanding list.
export class ReportedIncidentsN1001780000021000 implements MigrationInterface {
  name = 'ReportedIncidentsN1001780000021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reported_incidents (
        force_id text NOT NULL CONSTRAINT fk_reported_incidents_force REFERENCES forces (id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        incident_reference text NOT NULL
          CONSTRAINT ck_reported_incidents_reference CHECK (incident_reference ~ '^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$'),
        -- The Reported Incidents volume of the HOCR holds other classes; only N100 is modelled so far.
        classification text NOT NULL CONSTRAINT ck_reported_incidents_classification CHECK (classification IN ('N100')),
        reported_at timestamptz NOT NULL,
        reason text NOT NULL CONSTRAINT ck_reported_incidents_reason CHECK (reason ~ '\\S' AND length(reason) <= 4000),
        crime_id uuid,
        crimed_at timestamptz,
        crimed_by text,
        version integer NOT NULL DEFAULT 1 CONSTRAINT ck_reported_incidents_version CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        CONSTRAINT pk_reported_incidents PRIMARY KEY (force_id, id),
        CONSTRAINT uq_reported_incidents_reference UNIQUE (force_id, incident_reference),
        -- A crime is the recording of one N100 at most.
        CONSTRAINT uq_reported_incidents_crime UNIQUE (force_id, crime_id),
        CONSTRAINT fk_reported_incidents_crime FOREIGN KEY (force_id, crime_id) REFERENCES crimes (force_id, id),
        CONSTRAINT ck_reported_incidents_crimed CHECK (
          num_nonnulls(crime_id, crimed_at, crimed_by) IN (0, 3))
      )`);
    // The registrar's list: outstanding N100s of a force, oldest first.
    await q.query(`
      CREATE INDEX ix_reported_incidents_outstanding ON reported_incidents (force_id, reported_at)
      WHERE crime_id IS NULL`);
    await q.query(`ALTER TABLE reported_incidents ENABLE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY p_reported_incidents_force_scope ON reported_incidents USING (cyberflag_force_visible(force_id)) WITH CHECK (cyberflag_force_visible(force_id))`,
    );
    await q.query(`GRANT SELECT, INSERT, UPDATE ON reported_incidents TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reported_incidents`);
  }
}
