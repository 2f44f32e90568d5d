import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #22: the auditors' flag and victim-age completeness reads a maintained aggregate instead of scanning a
// year of records. It needs one dimension crime_figures lacks: the month recorded (UK time), for the monthly
// series. Adding the month to crime_figures itself was measured and rejected: on a national year shaped like
// the bench's (3.5 M records, 44 forces) it multiplied the aggregate's groups by 2.65 (219,788 → 582,388) and
// the live national cube's read over them by ~3 (1.0–1.5 s → 3.1–3.6 s, load average 14), which the headline
// figures would pay for a dimension only completeness uses. So completeness has its own narrow aggregate, kept
// the same way as crime_figures (migration 1780000026000): signed deltas appended by statement-level triggers
// on crimes in the writer's transaction, summed at read, compacted in the background, checked and rebuilt with
// crime_figures (figures verify / rebuild).
//
// A group: force, financial year, recorded month (1–12, Europe/London, as financial_year), offence code,
// status, online flag; drafts and confirmed records only (the records completeness counts: R12, R16).
// Measures: records (n) and records of unknown victim age.
//
// Ids come from crime_figures' own sequence, so the compactor's one watermark covers both tables.
// The backfill of the records already there is the next migration (1780000027310).
const COLUMNS = `force_id, financial_year, recorded_month, offence_code, status, online_flag, n, unknown_age`;
const GROUP = `force_id, financial_year, recorded_month, offence_code, status, online_flag`;

// One row of deltas per record of a transition table (or crimes), signed.
const monthlyFiguresRows = (source: string, sign: number): string => `
  SELECT c.force_id, c.financial_year,
         extract(month FROM c.recorded_at AT TIME ZONE 'Europe/London')::smallint AS recorded_month,
         c.offence_code, c.status, c.online_flag,
         ${sign} AS n,
         ${sign} * (c.victim_age IS NULL)::int AS unknown_age
  FROM ${source} c
  WHERE c.status IN ('draft', 'confirmed')`;

export class MonthlyCrimeFigures1780000027300 implements MigrationInterface {
  name = 'MonthlyCrimeFigures1780000027300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crime_figures_monthly (
        -- No foreign keys, as crime_figures: every row is derived from a crimes row, which has them.
        force_id text NOT NULL,
        id bigint NOT NULL DEFAULT nextval('crime_figures_id_seq'),
        financial_year smallint NOT NULL,
        recorded_month smallint NOT NULL CONSTRAINT ck_crime_figures_monthly_month CHECK (recorded_month BETWEEN 1 AND 12),
        offence_code text NOT NULL,
        status text NOT NULL,
        online_flag text NOT NULL,
        n integer NOT NULL,
        unknown_age integer NOT NULL,
        -- Year first: the key is also the index of every read, national (the year) and per force (year and
        -- force), and of the compactor's and the rebuild's deletes.
        CONSTRAINT pk_crime_figures_monthly PRIMARY KEY (financial_year, force_id, id)
      )`);
    // Every delta row pays for each index (an import batch of 10,000 records appends a few thousand rows
    // here), so besides the key only a BRIN for the compactor's "rows above the watermark" (ids ascend with
    // insertion, so block range summaries find them).
    await q.query(
      `CREATE INDEX ix_crime_figures_monthly_id ON crime_figures_monthly USING brin (id)`,
    );

    const append = (sources: string) => `
      INSERT INTO crime_figures_monthly (${COLUMNS})
      SELECT ${GROUP}, sum(n), sum(unknown_age)
      FROM (${sources}) d
      GROUP BY ${GROUP}
      HAVING sum(n) <> 0 OR sum(unknown_age) <> 0;
      RETURN NULL;`;
    // SECURITY DEFINER: the application role writes crimes but must not write the aggregate directly.
    for (const [fn, body] of [
      ['crime_figures_monthly_on_insert', append(monthlyFiguresRows('new_rows', 1))],
      [
        'crime_figures_monthly_on_update',
        append(
          `${monthlyFiguresRows('new_rows', 1)} UNION ALL ${monthlyFiguresRows('old_rows', -1)}`,
        ),
      ],
      ['crime_figures_monthly_on_delete', append(monthlyFiguresRows('old_rows', -1))],
      ['crime_figures_monthly_on_truncate', `TRUNCATE crime_figures_monthly; RETURN NULL;`],
    ]) {
      await q.query(`
        CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public, pg_temp AS $$ BEGIN ${body} END $$`);
      await q.query(`REVOKE ALL ON FUNCTION ${fn}() FROM PUBLIC`);
    }
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_monthly_insert AFTER INSERT ON crimes REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_monthly_on_insert()`);
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_monthly_update AFTER UPDATE ON crimes
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_monthly_on_update()`);
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_monthly_delete AFTER DELETE ON crimes REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_monthly_on_delete()`);
    await q.query(`
      CREATE TRIGGER tr_crimes_figures_monthly_truncate AFTER TRUNCATE ON crimes
      FOR EACH STATEMENT EXECUTE FUNCTION crime_figures_monthly_on_truncate()`);

    // What the aggregate must equal, and its net groups: security_invoker, so a reader sees only the forces in
    // its scope (row-level security of crimes and of crime_figures_monthly applies to the view's reader).
    await q.query(`
      CREATE VIEW crime_figures_monthly_from_records WITH (security_invoker = true) AS
      SELECT ${GROUP}, sum(n)::bigint AS n, sum(unknown_age)::bigint AS unknown_age
      FROM (${monthlyFiguresRows('crimes', 1)}) d
      GROUP BY ${GROUP}`);
    await q.query(`
      CREATE VIEW crime_figures_monthly_net WITH (security_invoker = true) AS
      SELECT ${GROUP}, sum(n)::bigint AS n, sum(unknown_age)::bigint AS unknown_age
      FROM crime_figures_monthly
      GROUP BY ${GROUP}
      HAVING sum(n) <> 0 OR sum(unknown_age) <> 0`);

    await q.query(`ALTER TABLE crime_figures_monthly ENABLE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY p_crime_figures_monthly_force_scope ON crime_figures_monthly USING (cyberflag_force_visible(force_id))`,
    );
    await q.query(
      `GRANT SELECT ON crime_figures_monthly, crime_figures_monthly_net, crime_figures_monthly_from_records TO cyberflag_app`,
    );

    // Compaction and repair of one force-year, as compact_crime_figures and rebuild_crime_figures (same
    // reasoning: rows of transactions in flight are invisible, so never folded; a rebuild holds writers off).
    await q.query(`
      CREATE FUNCTION compact_crime_figures_monthly(p_force text, p_year smallint) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE folded integer;
      BEGIN
        WITH gone AS (
          DELETE FROM crime_figures_monthly WHERE force_id = p_force AND financial_year = p_year RETURNING *
        ), kept AS (
          INSERT INTO crime_figures_monthly (${COLUMNS})
          SELECT ${GROUP}, sum(n), sum(unknown_age)
          FROM gone
          GROUP BY ${GROUP}
          HAVING sum(n) <> 0 OR sum(unknown_age) <> 0
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO folded;
        RETURN folded;
      END $$`);
    await q.query(
      `REVOKE ALL ON FUNCTION compact_crime_figures_monthly(text, smallint) FROM PUBLIC`,
    );
    await q.query(
      `GRANT EXECUTE ON FUNCTION compact_crime_figures_monthly(text, smallint) TO cyberflag_app`,
    );
    await q.query(`
      CREATE FUNCTION rebuild_crime_figures_monthly(p_force text, p_year smallint) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE written integer;
      BEGIN
        LOCK TABLE crimes IN SHARE MODE;
        DELETE FROM crime_figures_monthly WHERE force_id = p_force AND financial_year = p_year;
        INSERT INTO crime_figures_monthly (${COLUMNS})
        SELECT r.* FROM crime_figures_monthly_from_records r
        WHERE r.force_id = p_force AND r.financial_year = p_year;
        GET DIAGNOSTICS written = ROW_COUNT;
        RETURN written;
      END $$`);
    await q.query(
      `REVOKE ALL ON FUNCTION rebuild_crime_figures_monthly(text, smallint) FROM PUBLIC`,
    );
    await q.query(
      `GRANT EXECUTE ON FUNCTION rebuild_crime_figures_monthly(text, smallint) TO cyberflag_app`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate'])
      await q.query(`DROP TRIGGER tr_crimes_figures_monthly_${t} ON crimes`);
    for (const fn of [
      'crime_figures_monthly_on_insert()',
      'crime_figures_monthly_on_update()',
      'crime_figures_monthly_on_delete()',
      'crime_figures_monthly_on_truncate()',
      'compact_crime_figures_monthly(text, smallint)',
      'rebuild_crime_figures_monthly(text, smallint)',
    ])
      await q.query(`DROP FUNCTION ${fn}`);
    await q.query(`DROP VIEW crime_figures_monthly_net`);
    await q.query(`DROP VIEW crime_figures_monthly_from_records`);
    await q.query(`DROP TABLE crime_figures_monthly`);
  }
}
