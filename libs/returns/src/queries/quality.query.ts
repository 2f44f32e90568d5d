import type { ForceYear, Queryable } from '../queryable.js';

// Return table C, part 1: timeliness and completeness of the force-year's records (domain.md §15
// "table C"; R10 timeliness, R12 unknown flags, §15 unknown victim ages). One row.
export const qualitySql = `
-- Table C (quality): one row for the force-year.
--   $1  force id
--   $2  financial year (start year)
-- "counted" = status 'confirmed', the records tables A and B count. Drafts are reported in
-- their own columns: an unknown online flag can only be on a draft (R12, ck_crimes_flag_known),
-- so the drafts still undecided are the records "with unknown flag".
SELECT
  count(*) FILTER (WHERE status = 'confirmed')::int                                AS counted,
  -- NCRS: recorded within 24 hours of the report (R10). 24 elapsed hours (timestamptz
  -- arithmetic), not a calendar day, so a clock change cannot stretch or shrink it.
  count(*) FILTER (WHERE status = 'confirmed'
                     AND recorded_at <= reported_at + interval '24 hours')::int    AS recorded_within_24h,
  round(100.0 * count(*) FILTER (WHERE status = 'confirmed'
                                   AND recorded_at <= reported_at + interval '24 hours')
              / NULLIF(count(*) FILTER (WHERE status = 'confirmed'), 0), 1)::float8 AS pct_recorded_within_24h,
  count(*) FILTER (WHERE status = 'confirmed' AND victim_age IS NULL)::int          AS unknown_victim_age,
  count(*) FILTER (WHERE status = 'confirmed' AND victim_sex = 'unknown')::int      AS unknown_victim_sex,
  count(*) FILTER (WHERE status = 'draft')::int                                     AS drafts,
  count(*) FILTER (WHERE status = 'draft' AND online_flag = 'unknown')::int         AS drafts_unknown_flag,
  count(*) FILTER (WHERE status = 'draft' AND victim_age IS NULL)::int              AS drafts_unknown_victim_age
FROM crimes
WHERE force_id = $1
  AND financial_year = $2
`;

export interface QualityRow {
  counted: number;
  recorded_within_24h: number;
  pct_recorded_within_24h: number | null; // null when nothing is counted
  unknown_victim_age: number;
  unknown_victim_sex: number;
  drafts: number;
  drafts_unknown_flag: number;
  drafts_unknown_victim_age: number;
}

export function queryQuality(db: Queryable, p: ForceYear): Promise<QualityRow[]> {
  return db.query<QualityRow>(qualitySql, [p.forceId, p.year]);
}
