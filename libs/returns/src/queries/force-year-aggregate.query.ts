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
