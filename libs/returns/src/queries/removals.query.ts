import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import { overForceYear } from './force-year-aggregate.query.js';

// Return table C, part 3: transferred and cancelled records by reason category, online-flagged
// ones apart (domain.md §3.2, §15 "table C"; R16). Reported separately, never netted off table A.
export const removalsCte = `
-- Table C (transferred / cancelled): the force-year's removed records by status and category,
-- one row each from fy.removed.
-- A removed record stays in the year it was recorded in (financial_year, by recorded_at), so
-- table A + drafts + this table = every record of the force-year (see return rule CF-RET-003).
-- The categories (C1-C6) are configuration (rules-config.ts), so they are not listed here.
table_c_removals AS (
  SELECT CASE WHEN GROUPING(r.status) = 0 THEN 'category' ELSE 'total' END AS level,
         r.status,
         r.category,
         count(*) FILTER (WHERE r.flag = 'yes')::int                      AS online_flagged,
         count(*) FILTER (WHERE r.flag <> 'yes')::int                     AS not_online_flagged,
         count(*)::int                                                    AS total,
         row_number() OVER (ORDER BY GROUPING(r.status), r.status, r.category COLLATE "C") AS ord
  FROM fy f
  CROSS JOIN LATERAL unnest(f.removed) AS r(status text, category text, flag text)
  -- The empty grouping set always yields the total row, even with no removals.
  GROUP BY GROUPING SETS ((r.status, r.category), ())
)`;

//   $1  force id
//   $2  financial year (start year)
export const removalsSql = overForceYear(
  removalsCte,
  `SELECT level, status, category, online_flagged, not_online_flagged, total FROM table_c_removals ORDER BY ord`,
);

export interface RemovalsRow {
  level: 'category' | 'total';
  status: 'cancelled' | 'transferred' | null; // null on the total row
  category: string | null;
  online_flagged: number;
  not_online_flagged: number;
  total: number;
}

export function queryRemovals(db: Queryable, p: ForceYear): Promise<RemovalsRow[]> {
  return db.query<RemovalsRow>(removalsSql, [p.forceId, p.year]);
}
