import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #22: a maintained, exact aggregate of the figures, so live returns and national figures read a few
// thousand rows instead of scanning a year of records.
//
// crime_figures holds signed deltas, appended by statement-level triggers on crimes in the same transaction as
// the write that moves them. Every path that writes crimes (API, bulk, import merge, SQL by hand) maintains it,
// because the database does. Append-only: concurrent writers in one force and year each insert their own rows
// and never wait on a shared counter row. Readers sum the deltas per group; compaction (figures compact, and the
// app's compactor) folds a force-year's rows into one per group now and then.
//
// A group is every dimension the return tables and the national cube break down by, kept raw (no catalogue
// flags: the catalogue is joined at read time, so a catalogue change never leaves the aggregate stale):
//   offence code, status, online flag, cancellation category;
//   the table-B candidate's victim age and sex (confirmed, flagged online, under 18 or of unknown age), else NULL;
//   stored warnings of a counted record, else '{}'.
// Measures: records (n), recorded within 24 hours, unknown victim age, unknown victim sex, sum of versions.
// The latest save (max updated_at) cannot be kept by deltas exactly (it can go down when a record leaves the
// year), so it is read from crimes through ix_crimes_force_year_updated.
export class MaintainedCrimeFigures1780000026000 implements MigrationInterface {
  name = 'MaintainedCrimeFigures1780000026000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crime_figures (
        -- No foreign keys: every row is derived from a crimes row, which has them (and must be the one to
        -- name a bad force or code in its error).
        force_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        financial_year smallint NOT NULL,
        offence_code text NOT NULL,
        status text NOT NULL,
        online_flag text NOT NULL,
        cancellation_category text,
        child boolean NOT NULL,
        child_age smallint,
        child_sex text,
        warnings text[] NOT NULL,
        n integer NOT NULL,
        within_24h integer NOT NULL,
        unknown_age integer NOT NULL,
        unknown_sex integer NOT NULL,
        version_sum bigint NOT NULL,
        CONSTRAINT pk_crime_figures PRIMARY KEY (force_id, id)
      )`);
    await q.query(
      `CREATE INDEX ix_crime_figures_force_year ON crime_figures (force_id, financial_year)`,
    );
    await q.query(`CREATE INDEX ix_crime_figures_year ON crime_figures (financial_year)`);
    // What the compactor has not seen yet: rows above its watermark.
    await q.query(`CREATE INDEX ix_crime_figures_id ON crime_figures (id)`);
    await q.query(
      `CREATE INDEX ix_crimes_force_year_updated ON crimes (force_id, financial_year, updated_at)`,
    );
    await q.query(`
      CREATE TABLE crime_figures_compaction (
        singleton boolean NOT NULL DEFAULT true CONSTRAINT pk_crime_figures_compaction PRIMARY KEY
          CONSTRAINT ck_crime_figures_compaction_singleton CHECK (singleton),
        compacted_through bigint NOT NULL,
        compacted_at timestamptz NOT NULL
      )`);

    // One row of deltas per group from a transition table, signed. The same expressions as the full
    // recomputation (figures-from-records.query.ts checks the two agree; figures verify compares them).
    const grouped = (source: string, sign: number) => `
      SELECT c.force_id, c.financial_year, c.offence_code, c.status, c.online_flag, c.cancellation_category,
             (c.status = 'confirmed' AND c.online_flag = 'yes' AND (c.victim_age < 18 OR c.victim_age IS NULL)) AS child,
             CASE WHEN c.status = 'confirmed' AND c.online_flag = 'yes' AND (c.victim_age < 18 OR c.victim_age IS NULL)
                  THEN c.victim_age END AS child_age,
             CASE WHEN c.status = 'confirmed' AND c.online_flag = 'yes' AND (c.victim_age < 18 OR c.victim_age IS NULL)
                  THEN c.victim_sex END AS child_sex,
             CASE WHEN c.status = 'confirmed' THEN c.rule_warnings ELSE '{}'::text[] END AS warnings,
             ${sign} AS n,
             ${sign} * (c.recorded_at <= c.reported_at + interval '24 hours')::int AS within_24h,
             ${sign} * (c.victim_age IS NULL)::int AS unknown_age,
             ${sign} * (c.victim_sex = 'unknown')::int AS unknown_sex,
             ${sign} * c.version::bigint AS version_sum
      FROM ${source} c`;
    const append = (sources: string) => `
      INSERT INTO crime_figures (force_id, financial_year, offence_code, status, online_flag,
                                 cancellation_category, child, child_age, child_sex, warnings,
                                 n, within_24h, unknown_age, unknown_sex, version_sum)
      SELECT force_id, financial_year, offence_code, status, online_flag, cancellation_category,
             child, child_age, child_sex, warnings,
             sum(n), sum(within_24h), sum(unknown_age), sum(unknown_sex), sum(version_sum)
      FROM (${sources}) d
      GROUP BY force_id, financial_year, offence_code, status, online_flag, cancellation_category,
               child, child_age, child_sex, warnings
      HAVING sum(n) <> 0 OR sum(within_24h) <> 0 OR sum(unknown_age) <> 0 OR sum(unknown_sex) <> 0
          OR sum(version_sum) <> 0;
      RETURN NULL;`;
    // SECURITY DEFINER: the application role writes crimes but must not write crime_figures directly.
    for (const [fn, body] of [
      ['crime_figures_on_insert', append(grouped('new_rows', 1))],
      [
        'crime_figures_on_update',
        append(`${grouped('new_rows', 1)} UNION ALL ${grouped('old_rows', -1)}`),
      ],
      ['crime_figures_on_delete', append(grouped('old_rows', -1))],
    ]) {
      await q.query(`
        CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public, pg_temp AS $$ BEGIN ${body} END $$`);
      await q.query(`REVOKE ALL ON FUNCTION ${fn}() FROM PUBLIC`);
    }
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_insert AFTER INSERT ON crimes REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_on_insert()`);
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_update AFTER UPDATE ON crimes
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_on_update()`);
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_delete AFTER DELETE ON crimes REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_on_delete()`);
    // TRUNCATE has no transition table: a truncated crimes table has no figures.
    await q.query(`
      CREATE FUNCTION crime_figures_on_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = public, pg_temp AS $$ BEGIN TRUNCATE crime_figures; RETURN NULL; END $$`);
    await q.query(`REVOKE ALL ON FUNCTION crime_figures_on_truncate() FROM PUBLIC`);
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_truncate AFTER TRUNCATE ON crimes
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_on_truncate()`);

    // The same groups computed from the records: what the aggregate must equal. security_invoker, so a reader
    // sees only the forces in its scope (crimes' row-level security applies to the view's reader).
    await q.query(`
      CREATE VIEW crime_figures_from_records WITH (security_invoker = true) AS
      SELECT force_id, financial_year, offence_code, status, online_flag, cancellation_category,
             child, child_age, child_sex, warnings,
             sum(n)::bigint AS n, sum(within_24h)::bigint AS within_24h, sum(unknown_age)::bigint AS unknown_age,
             sum(unknown_sex)::bigint AS unknown_sex, sum(version_sum)::bigint AS version_sum
      FROM (${grouped('crimes', 1)}) d
      GROUP BY force_id, financial_year, offence_code, status, online_flag, cancellation_category,
               child, child_age, child_sex, warnings`);
    // The aggregate's net groups (deltas summed), in the same shape.
    await q.query(`
      CREATE VIEW crime_figures_net WITH (security_invoker = true) AS
      SELECT force_id, financial_year, offence_code, status, online_flag, cancellation_category,
             child, child_age, child_sex, warnings,
             sum(n)::bigint AS n, sum(within_24h)::bigint AS within_24h, sum(unknown_age)::bigint AS unknown_age,
             sum(unknown_sex)::bigint AS unknown_sex, sum(version_sum)::bigint AS version_sum
      FROM crime_figures
      GROUP BY force_id, financial_year, offence_code, status, online_flag, cancellation_category,
               child, child_age, child_sex, warnings
      HAVING sum(n) <> 0 OR sum(within_24h) <> 0 OR sum(unknown_age) <> 0 OR sum(unknown_sex) <> 0
          OR sum(version_sum) <> 0`);
    // The records already there.
    await q.query(`INSERT INTO crime_figures (force_id, financial_year, offence_code, status, online_flag,
                                 cancellation_category, child, child_age, child_sex, warnings,
                                 n, within_24h, unknown_age, unknown_sex, version_sum)
                   SELECT * FROM crime_figures_from_records`);
    await q.query(
      `INSERT INTO crime_figures_compaction (compacted_through, compacted_at)
       SELECT COALESCE(max(id), 0), now() FROM crime_figures`,
    );

    // Read by the application under the same force scope as crimes; written only by the triggers and the
    // compactor (a SECURITY DEFINER function below).
    await q.query(`ALTER TABLE crime_figures ENABLE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY p_crime_figures_force_scope ON crime_figures USING (cyberflag_force_visible(force_id))`,
    );
    await q.query(`GRANT SELECT ON crime_figures, crime_figures_compaction TO cyberflag_app`);

    // Folds one force-year's visible rows into one per group. Rows of transactions still in flight are not
    // visible, so they are neither deleted nor counted here: they stay as rows of their own. Two compactions
    // of the same force-year at once are safe for the same reason (each folds only the rows it deleted).
    await q.query(`
      CREATE FUNCTION compact_crime_figures(p_force text, p_year smallint) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE folded integer;
      BEGIN
        WITH gone AS (
          DELETE FROM crime_figures WHERE force_id = p_force AND financial_year = p_year RETURNING *
        ), kept AS (
          INSERT INTO crime_figures (force_id, financial_year, offence_code, status, online_flag,
                                     cancellation_category, child, child_age, child_sex, warnings,
                                     n, within_24h, unknown_age, unknown_sex, version_sum)
          SELECT force_id, financial_year, offence_code, status, online_flag, cancellation_category,
                 child, child_age, child_sex, warnings,
                 sum(n), sum(within_24h), sum(unknown_age), sum(unknown_sex), sum(version_sum)
          FROM gone
          GROUP BY force_id, financial_year, offence_code, status, online_flag, cancellation_category,
                   child, child_age, child_sex, warnings
          HAVING sum(n) <> 0 OR sum(within_24h) <> 0 OR sum(unknown_age) <> 0 OR sum(unknown_sex) <> 0
              OR sum(version_sum) <> 0
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO folded;
        RETURN folded;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION compact_crime_figures(text, smallint) FROM PUBLIC`);
    await q.query(
      `GRANT EXECUTE ON FUNCTION compact_crime_figures(text, smallint) TO cyberflag_app`,
    );
    await q.query(`
      CREATE FUNCTION advance_crime_figures_compaction(p_through bigint) RETURNS void
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        UPDATE crime_figures_compaction
        SET compacted_through = GREATEST(compacted_through, p_through), compacted_at = now()
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION advance_crime_figures_compaction(bigint) FROM PUBLIC`);
    await q.query(
      `GRANT EXECUTE ON FUNCTION advance_crime_figures_compaction(bigint) TO cyberflag_app`,
    );
    // Repair (figures rebuild): one force-year's figures recomputed from its records. Writers of crimes wait
    // for it (SHARE lock) so no change slips between the delete and the recount; readers do not.
    await q.query(`
      CREATE FUNCTION rebuild_crime_figures(p_force text, p_year smallint) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE written integer;
      BEGIN
        LOCK TABLE crimes IN SHARE MODE;
        DELETE FROM crime_figures WHERE force_id = p_force AND financial_year = p_year;
        INSERT INTO crime_figures (force_id, financial_year, offence_code, status, online_flag,
                                   cancellation_category, child, child_age, child_sex, warnings,
                                   n, within_24h, unknown_age, unknown_sex, version_sum)
        SELECT r.* FROM crime_figures_from_records r
        WHERE r.force_id = p_force AND r.financial_year = p_year;
        GET DIAGNOSTICS written = ROW_COUNT;
        RETURN written;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION rebuild_crime_figures(text, smallint) FROM PUBLIC`);
    await q.query(
      `GRANT EXECUTE ON FUNCTION rebuild_crime_figures(text, smallint) TO cyberflag_app`,
    );
    await q.query(`GRANT SELECT ON crime_figures_from_records, crime_figures_net TO cyberflag_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_crimes_figures_truncate ON crimes`);
    await q.query(`DROP TRIGGER tr_crimes_figures_delete ON crimes`);
    await q.query(`DROP TRIGGER tr_crimes_figures_update ON crimes`);
    await q.query(`DROP TRIGGER tr_crimes_figures_insert ON crimes`);
    for (const fn of [
      'crime_figures_on_insert()',
      'crime_figures_on_update()',
      'crime_figures_on_delete()',
      'crime_figures_on_truncate()',
      'compact_crime_figures(text, smallint)',
      'advance_crime_figures_compaction(bigint)',
      'rebuild_crime_figures(text, smallint)',
    ])
      await q.query(`DROP FUNCTION ${fn}`);
    await q.query(`DROP VIEW crime_figures_net`);
    await q.query(`DROP VIEW crime_figures_from_records`);
    await q.query(`DROP TABLE crime_figures_compaction`);
    await q.query(`DROP TABLE crime_figures`);
    await q.query(`DROP INDEX ix_crimes_force_year_updated`);
  }
}
