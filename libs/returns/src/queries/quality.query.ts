import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import { overForceYear } from './force-year-aggregate.query.js';

// Return table C, part 1: timeliness and completeness of the force-year's records (domain.md §15
// "table C"; R10 timeliness, R12 unknown flags, §15 unknown victim ages). One row.
export const qualityCte = `
-- Table C (quality): one row for the force-year, from fy.
-- "counted" = status 'confirmed', the records tables A and B count. Drafts are reported in
-- their own columns: an unknown online flag can only be on a draft (R12, ck_crimes_flag_known),
-- so the drafts still undecided are the records "with unknown flag".
table_c_quality AS (
  SELECT
    COALESCE(sum(flag_yes + flag_no + flag_unknown), 0)::int                  AS counted,
    COALESCE(sum(within_24h), 0)::int                                         AS recorded_within_24h,
    round(100.0 * sum(within_24h) / NULLIF(sum(flag_yes + flag_no + flag_unknown), 0), 1)::float8 AS pct_recorded_within_24h,
    -- Unknown victim ages only where the offence has a personal victim (offences.personal_victim): a drug
    -- possession or a shoplifting has no victim age to be unknown (issue 20 §4).
    COALESCE(sum(unknown_victim_age) FILTER (WHERE o.personal_victim), 0)::int AS unknown_victim_age,
    COALESCE(sum(unknown_victim_sex), 0)::int                                 AS unknown_victim_sex,
    COALESCE(sum(drafts), 0)::int                                             AS drafts,
    COALESCE(sum(drafts_unknown_flag), 0)::int                                AS drafts_unknown_flag,
    COALESCE(sum(drafts_unknown_victim_age) FILTER (WHERE o.personal_victim), 0)::int AS drafts_unknown_victim_age
  FROM fy
  JOIN offences o ON o.code = fy.offence_code
)`;

//   $1  force id
//   $2  financial year (start year)
export const qualitySql = overForceYear(qualityCte, `SELECT * FROM table_c_quality`);

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
