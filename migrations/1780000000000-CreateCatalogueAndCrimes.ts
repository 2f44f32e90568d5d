import type { MigrationInterface, QueryRunner } from 'typeorm';

// Reference catalogues (regions, forces, offences) and the crime record with its history.
// Record-level tables carry force_id in every primary, unique and foreign key (Citus distribution by force).
export class CreateCatalogueAndCrimes1780000000000 implements MigrationInterface {
  name = 'CreateCatalogueAndCrimes1780000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regions (
        id text CONSTRAINT pk_regions PRIMARY KEY,
        name text NOT NULL,
        source text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE forces (
        id text CONSTRAINT pk_forces PRIMARY KEY,
        name text NOT NULL,
        region_id text NOT NULL CONSTRAINT fk_forces_region REFERENCES regions (id),
        territorial boolean NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        source text NOT NULL,
        CONSTRAINT ck_forces_validity CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`
      CREATE TABLE offences (
        code text CONSTRAINT pk_offences PRIMARY KEY,
        name text NOT NULL,
        group_name text NOT NULL,
        subgroup text NOT NULL,
        sexual_offence boolean NOT NULL,
        rape boolean NOT NULL,
        victim_age_min smallint,
        victim_age_max smallint,
        victim_sex text CONSTRAINT ck_offences_victim_sex CHECK (victim_sex IN ('female', 'male')),
        offender_age_min smallint,
        offender_age_max smallint,
        under13_alternative text,
        usually_online boolean NOT NULL,
        recorded_by text NOT NULL CONSTRAINT ck_offences_recorded_by CHECK (recorded_by IN ('police', 'action_fraud')),
        commenced_on date,
        valid_from date NOT NULL,
        valid_to date,
        status text NOT NULL,
        source text NOT NULL,
        CONSTRAINT ck_offences_age_range CHECK (victim_age_min IS NULL OR victim_age_max IS NULL OR victim_age_min <= victim_age_max),
        CONSTRAINT ck_offences_validity CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`
      CREATE TABLE crimes (
        force_id text NOT NULL CONSTRAINT fk_crimes_force REFERENCES forces (id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        crime_reference text NOT NULL,
        offence_code text NOT NULL CONSTRAINT fk_crimes_offence REFERENCES offences (code),
        reported_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        -- R27: each record belongs to exactly one financial year (1 April, UK local time), by recorded date.
        financial_year smallint NOT NULL GENERATED ALWAYS AS (
          (extract(year FROM recorded_at AT TIME ZONE 'Europe/London')
           - CASE WHEN extract(month FROM recorded_at AT TIME ZONE 'Europe/London') < 4 THEN 1 ELSE 0 END)::smallint
        ) STORED,
        offence_from timestamptz NOT NULL,
        offence_to timestamptz,
        -- No default: every recording path must state the flag (style.md §11).
        online_flag text NOT NULL CONSTRAINT ck_crimes_online_flag CHECK (online_flag IN ('yes', 'no', 'unknown')),
        online_method text,
        online_platform text,
        victim_age smallint CONSTRAINT ck_crimes_victim_age CHECK (victim_age BETWEEN 0 AND 120),
        victim_sex text NOT NULL CONSTRAINT ck_crimes_victim_sex CHECK (victim_sex IN ('female', 'male', 'unknown')),
        suspect_age smallint CONSTRAINT ck_crimes_suspect_age CHECK (suspect_age BETWEEN 0 AND 120),
        domestic_abuse boolean NOT NULL,
        hate_strands text[] NOT NULL CONSTRAINT ck_crimes_hate_strands
          CHECK (hate_strands <@ ARRAY['race', 'religion', 'sexual_orientation', 'disability', 'transgender']::text[]),
        child_sexual_exploitation boolean NOT NULL,
        child_sexual_abuse boolean NOT NULL,
        status text NOT NULL CONSTRAINT ck_crimes_status CHECK (status IN ('draft', 'confirmed', 'cancelled', 'transferred')),
        rule_warnings text[] NOT NULL DEFAULT '{}',
        acknowledged_rules text[] NOT NULL DEFAULT '{}',
        cancellation_category text,
        cancellation_justification text,
        cancelled_at timestamptz,
        cancelled_by text,
        transferred_to_force_id text CONSTRAINT fk_crimes_transferred_to REFERENCES forces (id),
        version integer NOT NULL DEFAULT 1 CONSTRAINT ck_crimes_version CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        CONSTRAINT pk_crimes PRIMARY KEY (force_id, id),
        CONSTRAINT uq_crimes_reference UNIQUE (force_id, crime_reference),
        CONSTRAINT ck_crimes_reference CHECK (crime_reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$'),
        -- R12: 'unknown' only while the record is a draft.
        CONSTRAINT ck_crimes_flag_known CHECK (online_flag <> 'unknown' OR status = 'draft'),
        -- R9: offence start <= offence end <= reported <= recorded.
        CONSTRAINT ck_crimes_date_order CHECK (
          offence_from <= COALESCE(offence_to, offence_from)
          AND COALESCE(offence_to, offence_from) <= reported_at
          AND reported_at <= recorded_at),
        -- R16: a removed record always says why, who and when.
        CONSTRAINT ck_crimes_removal CHECK (
          (status IN ('cancelled', 'transferred')) = (cancellation_category IS NOT NULL
            AND cancellation_justification IS NOT NULL AND cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL)),
        CONSTRAINT ck_crimes_transfer CHECK ((status = 'transferred') = (transferred_to_force_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_crimes_id ON crimes (id)`);
    await q.query(
      `CREATE INDEX ix_crimes_force_year ON crimes (force_id, financial_year, offence_code)`,
    );
    await q.query(`CREATE INDEX ix_crimes_recorded_at ON crimes (recorded_at)`);
    await q.query(`
      CREATE TABLE crime_history (
        force_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        crime_id uuid NOT NULL,
        version integer NOT NULL,
        action text NOT NULL CONSTRAINT ck_crime_history_action
          CHECK (action IN ('created', 'amended', 'reclassified', 'confirmed', 'cancelled', 'transferred')),
        reason text,
        changes jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        changed_by text NOT NULL,
        CONSTRAINT pk_crime_history PRIMARY KEY (force_id, id),
        CONSTRAINT uq_crime_history_version UNIQUE (force_id, crime_id, version),
        CONSTRAINT fk_crime_history_crime FOREIGN KEY (force_id, crime_id) REFERENCES crimes (force_id, id)
      )`);
    // History is evidence (HOCR Section B, DPA 2018 s.62): the database refuses to rewrite it.
    await q.query(`
      CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'crime_history is append-only' USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_crime_history_append_only BEFORE UPDATE OR DELETE ON crime_history
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE crime_history`);
    await q.query(`DROP FUNCTION refuse_history_rewrite()`);
    await q.query(`DROP TABLE crimes`);
    await q.query(`DROP TABLE offences`);
    await q.query(`DROP TABLE forces`);
    await q.query(`DROP TABLE regions`);
  }
}
