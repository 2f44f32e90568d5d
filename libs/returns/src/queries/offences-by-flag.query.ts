import type { ForceYear, Queryable } from '../queryable.js';

// Return table A: recorded crimes by offence code × online flag, with a subtotal per offence group
// and a grand total (domain.md §15 "core table A"). Counting unit: crimes, one crime per victim.
export const offencesByFlagSql = `
-- Table A: recorded crimes by offence × online flag.
--   $1  force id            e.g. 'cumbria'
--   $2  financial year      start year: 2015 = 2015-16
-- Counted records: status 'confirmed'. A draft is not yet a recorded crime; cancelled and
-- transferred records are removed from recorded crime (R16) and are reported in table C.
-- The year is the generated financial_year column (recorded_at in Europe/London time, R27),
-- so the scan is a range of ix_crimes_force_year (force_id, financial_year, offence_code).
WITH per_code AS (
  -- One pass over the force-year, aggregated by code before the (small) catalogue join.
  SELECT c.offence_code,
         count(*) FILTER (WHERE c.online_flag = 'yes')     AS flag_yes,
         count(*) FILTER (WHERE c.online_flag = 'no')      AS flag_no,
         -- Structurally 0: ck_crimes_flag_known allows 'unknown' on drafts only (R12).
         -- Kept as a column because it is the completeness measure auditors read.
         count(*) FILTER (WHERE c.online_flag = 'unknown') AS flag_unknown,
         count(*)                                          AS total
  FROM crimes c
  WHERE c.force_id = $1
    AND c.financial_year = $2
    AND c.status = 'confirmed'
  GROUP BY c.offence_code
)
SELECT CASE
         WHEN GROUPING(o.code) = 0       THEN 'offence'
         WHEN GROUPING(o.group_name) = 0 THEN 'group'
         ELSE 'total'
       END                       AS level,
       o.group_name,
       o.subgroup,
       o.code                    AS offence_code,
       o.name                    AS offence_name,
       o.sexual_offence,
       -- COALESCE: the grand-total row exists even for an empty force-year, with zero counts.
       COALESCE(sum(p.flag_yes), 0)::int     AS flag_yes,
       COALESCE(sum(p.flag_no), 0)::int      AS flag_no,
       COALESCE(sum(p.flag_unknown), 0)::int AS flag_unknown,
       COALESCE(sum(p.total), 0)::int        AS total,
       -- % flagged = yes / total, rounded half away from zero to 1 d.p.; NULL when total is 0.
       round(100.0 * sum(p.flag_yes) / NULLIF(sum(p.total), 0), 1)::float8 AS pct_flagged
FROM per_code p
JOIN offences o ON o.code = p.offence_code
GROUP BY GROUPING SETS (
  (o.group_name, o.subgroup, o.code, o.name, o.sexual_offence),  -- one row per offence code
  (o.group_name),                                                -- subtotal per offence group
  ()                                                             -- grand total
)
-- Each group's offences (by code), then its subtotal; the grand total last.
-- COLLATE "C": byte order, so the ordering does not depend on the database's locale.
ORDER BY GROUPING(o.group_name),
         o.group_name COLLATE "C",
         GROUPING(o.code),
         o.code COLLATE "C"
`;

export interface OffencesByFlagRow {
  level: 'offence' | 'group' | 'total';
  group_name: string | null; // null on the grand-total row
  subgroup: string | null; // offence rows only
  offence_code: string | null;
  offence_name: string | null;
  sexual_offence: boolean | null;
  flag_yes: number;
  flag_no: number;
  flag_unknown: number;
  total: number;
  pct_flagged: number | null;
}

export function queryOffencesByFlag(db: Queryable, p: ForceYear): Promise<OffencesByFlagRow[]> {
  return db.query<OffencesByFlagRow>(offencesByFlagSql, [p.forceId, p.year]);
}
