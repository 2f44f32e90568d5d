import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import { overForceYear } from './force-year-aggregate.query.js';

// Return table A: recorded crimes by offence code × online flag, with a subtotal per offence group
// and a grand total (domain.md §15 "core table A"). Counting unit: crimes, one crime per victim.
export const offencesByFlagCte = `
-- Table A: recorded crimes by offence × online flag, from the force-year aggregate fy.
-- Counted records: status 'confirmed'. A draft is not yet a recorded crime; cancelled and
-- transferred records are removed from recorded crime (R16) and are reported in table C.
-- Reclassified records count under their current code (crimes.offence_code).
table_a AS (
  WITH per_code AS (
    -- fy already holds the counted records by code and flag; codes with none are left out.
    SELECT f.offence_code, f.flag_yes, f.flag_no, f.flag_unknown, f.flag_yes + f.flag_no + f.flag_unknown AS total
    FROM fy f
    WHERE f.flag_yes + f.flag_no + f.flag_unknown > 0
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
         round(100.0 * sum(p.flag_yes) / NULLIF(sum(p.total), 0), 1)::float8 AS pct_flagged,
         -- Each group's offences (by code), then its subtotal; the grand total last.
         -- COLLATE "C": byte order, so the ordering does not depend on the database's locale.
         row_number() OVER (ORDER BY GROUPING(o.group_name), o.group_name COLLATE "C",
                                     GROUPING(o.code), o.code COLLATE "C") AS ord
  FROM per_code p
  JOIN offences o ON o.code = p.offence_code
  GROUP BY GROUPING SETS (
    (o.group_name, o.subgroup, o.code, o.name, o.sexual_offence),  -- one row per offence code
    (o.group_name),                                                -- subtotal per offence group
    ()                                                             -- grand total
  )
)`;

//   $1  force id            e.g. 'cumbria'
//   $2  financial year      start year: 2015 = 2015-16
export const offencesByFlagSql = overForceYear(
  offencesByFlagCte,
  `SELECT level, group_name, subgroup, offence_code, offence_name, sexual_offence,
       flag_yes, flag_no, flag_unknown, total, pct_flagged
FROM table_a ORDER BY ord`,
);

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
