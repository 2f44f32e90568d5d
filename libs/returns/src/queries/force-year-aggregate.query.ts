// The one read of the force-year that every return table is computed from. Each table's SQL (one
// file per table) reads this aggregate, named `fy`, instead of the crimes table, so a whole return
// scans the force's records for the year once (domain.md §15; bench/README.md for the timings).
export const forceYearAggregateSql = `
-- The force-year's records, one row per offence code (a hash aggregate of ~150 groups, whatever
-- the number of records): fixed counts as FILTERed columns, and the few records whose details a
-- table breaks down further (table B's children, C's removals and warnings) as small arrays.
--   $1  force id
--   $2  financial year (start year; the generated column financial_year, R27)
-- All statuses are read: tables A and B count 'confirmed' records, C also reports drafts and
-- removed records, and the high-water mark covers every record.
SELECT c.offence_code,
       -- High-water mark (every record, whatever its status).
       count(*)                                                                   AS records,
       sum(c.version)                                                             AS version_sum,
       max(c.updated_at)                                                          AS max_updated_at,
       -- Counted records (status 'confirmed') by online flag: table A.
       count(*) FILTER (WHERE c.status = 'confirmed' AND c.online_flag = 'yes')     AS flag_yes,
       count(*) FILTER (WHERE c.status = 'confirmed' AND c.online_flag = 'no')      AS flag_no,
       count(*) FILTER (WHERE c.status = 'confirmed' AND c.online_flag = 'unknown') AS flag_unknown,
       -- Table C quality. NCRS timeliness (R10): 24 elapsed hours, so a clock change cannot stretch it.
       count(*) FILTER (WHERE c.status = 'confirmed'
                          AND c.recorded_at <= c.reported_at + interval '24 hours')   AS within_24h,
       count(*) FILTER (WHERE c.status = 'confirmed' AND c.victim_age IS NULL)      AS unknown_victim_age,
       count(*) FILTER (WHERE c.status = 'confirmed' AND c.victim_sex = 'unknown')  AS unknown_victim_sex,
       count(*) FILTER (WHERE c.status = 'draft')                                   AS drafts,
       count(*) FILTER (WHERE c.status = 'draft' AND c.online_flag = 'unknown')     AS drafts_unknown_flag,
       count(*) FILTER (WHERE c.status = 'draft' AND c.victim_age IS NULL)          AS drafts_unknown_victim_age,
       -- Table B candidates: counted, flagged online, under 18 or of unknown age. Whether the code
       -- is a sexual offence, a rape or for children only is the catalogue's, applied in table B.
       array_agg(ROW(c.victim_age, c.victim_sex))
         FILTER (WHERE c.status = 'confirmed' AND c.online_flag = 'yes'
                   AND (c.victim_age < 18 OR c.victim_age IS NULL))                 AS children,
       -- Table C removals: cancelled and transferred records.
       array_agg(ROW(c.status, c.cancellation_category, c.online_flag))
         FILTER (WHERE c.status IN ('cancelled', 'transferred'))                    AS removed,
       -- Table C warnings: counted records with stored warn-level rule codes (most have none).
       array_agg(ROW(c.rule_warnings, c.online_flag))
         FILTER (WHERE c.status = 'confirmed' AND c.rule_warnings <> '{}')          AS warned
FROM crimes c
WHERE c.force_id = $1
  AND c.financial_year = $2
GROUP BY c.offence_code
`;

// A standalone table query: the aggregate as `fy`, then the table's own CTE, then its rows in order.
export function overForceYear(tableCte: string, select: string): string {
  return `WITH fy AS (${forceYearAggregateSql}),\n${tableCte}\n${select}`;
}

// The same rows as forceYearAggregateSql, read from the maintained aggregate (crime_figures, migration
// 1780000026000) instead of the records: the deltas summed per group (rows of one group appended by different
// changes, not yet compacted), then folded per offence code. The detail arrays are rebuilt by repeating each
// group n times, which is what the records would have given. The latest save comes from crimes' index
// (ix_crimes_force_year_updated): deltas cannot keep a maximum exactly. figures-verify.query.ts proves the two
// sources give identical rows; submission checks it before it signs a snapshot.
export const forceYearFiguresSql = `
-- The force-year's figures, one row per offence code, from crime_figures.
--   $1  force id
--   $2  financial year (start year)
SELECT g.offence_code,
       sum(g.n)                                                                   AS records,
       sum(g.version_sum)                                                         AS version_sum,
       (SELECT max(c.updated_at) FROM crimes c
         WHERE c.force_id = $1 AND c.financial_year = $2)                         AS max_updated_at,
       COALESCE(sum(g.n) FILTER (WHERE g.status = 'confirmed' AND g.online_flag = 'yes'), 0) AS flag_yes,
       COALESCE(sum(g.n) FILTER (WHERE g.status = 'confirmed' AND g.online_flag = 'no'), 0) AS flag_no,
       COALESCE(sum(g.n) FILTER (WHERE g.status = 'confirmed' AND g.online_flag = 'unknown'), 0) AS flag_unknown,
       COALESCE(sum(g.within_24h) FILTER (WHERE g.status = 'confirmed'), 0)        AS within_24h,
       COALESCE(sum(g.unknown_age) FILTER (WHERE g.status = 'confirmed'), 0)       AS unknown_victim_age,
       COALESCE(sum(g.unknown_sex) FILTER (WHERE g.status = 'confirmed'), 0)       AS unknown_victim_sex,
       COALESCE(sum(g.n) FILTER (WHERE g.status = 'draft'), 0)                     AS drafts,
       COALESCE(sum(g.n) FILTER (WHERE g.status = 'draft' AND g.online_flag = 'unknown'), 0) AS drafts_unknown_flag,
       COALESCE(sum(g.unknown_age) FILTER (WHERE g.status = 'draft'), 0)           AS drafts_unknown_victim_age,
       (SELECT array_agg(ROW(d.child_age, d.child_sex))
          FROM figures_groups d CROSS JOIN generate_series(1, d.n)
         WHERE d.offence_code = g.offence_code AND d.child)                       AS children,
       (SELECT array_agg(ROW(d.status, d.cancellation_category, d.online_flag))
          FROM figures_groups d CROSS JOIN generate_series(1, d.n)
         WHERE d.offence_code = g.offence_code
           AND d.status IN ('cancelled', 'transferred'))                          AS removed,
       (SELECT array_agg(ROW(d.warnings, d.online_flag))
          FROM figures_groups d CROSS JOIN generate_series(1, d.n)
         WHERE d.offence_code = g.offence_code
           AND d.status = 'confirmed' AND d.warnings <> '{}')                     AS warned
FROM figures_groups g
GROUP BY g.offence_code
HAVING sum(g.n) > 0
`;

// The groups of one force-year with their net measures (rows of one group summed), as a CTE named
// figures_groups; forceYearFiguresSql reads it.
export const figuresGroupsCte = `
figures_groups AS MATERIALIZED (
  SELECT f.offence_code, f.status, f.online_flag, f.cancellation_category, f.child, f.child_age,
         f.child_sex, f.warnings,
         sum(f.n)::int AS n, sum(f.within_24h)::int AS within_24h, sum(f.unknown_age)::int AS unknown_age,
         sum(f.unknown_sex)::int AS unknown_sex, sum(f.version_sum) AS version_sum
  FROM crime_figures f
  WHERE f.force_id = $1 AND f.financial_year = $2
  GROUP BY f.offence_code, f.status, f.online_flag, f.cancellation_category, f.child, f.child_age,
           f.child_sex, f.warnings
)`;

// Where a return's tables read the force-year from: the maintained aggregate (live views) or the records
// themselves (the snapshot a submission signs, and the check of the aggregate against it).
export type FiguresSource = 'figures' | 'records';

// The fy CTE (and what it needs) for a source: `fy AS MATERIALIZED (...)` preceded by its helpers.
export function forceYearCtes(source: FiguresSource): string {
  return source === 'records'
    ? `fy AS MATERIALIZED (${forceYearAggregateSql})`
    : `${figuresGroupsCte},\nfy AS MATERIALIZED (${forceYearFiguresSql})`;
}
