import type { ForceYear, Queryable } from '../queryable.js';

// Return table C, part 3: transferred and cancelled records by reason category, online-flagged
// ones apart (domain.md §3.2, §15 "table C"; R16). Reported separately, never netted off table A.
export const removalsSql = `
-- Table C (transferred / cancelled): the force-year's removed records by status and category.
--   $1  force id
--   $2  financial year (start year)
-- A removed record stays in the year it was recorded in (financial_year, by recorded_at), so
-- table A + drafts + this table = every record of the force-year (see return rule CF-RET-003).
-- The categories (C1-C6) are configuration (rules-config.ts), so they are not listed here.
SELECT CASE WHEN GROUPING(c.status) = 0 THEN 'category' ELSE 'total' END AS level,
       c.status,
       c.cancellation_category                                   AS category,
       count(*) FILTER (WHERE c.online_flag = 'yes')::int        AS online_flagged,
       count(*) FILTER (WHERE c.online_flag <> 'yes')::int       AS not_online_flagged,
       count(*)::int                                             AS total
FROM crimes c
WHERE c.force_id = $1
  AND c.financial_year = $2
  AND c.status IN ('cancelled', 'transferred')
GROUP BY GROUPING SETS ((c.status, c.cancellation_category), ())
ORDER BY GROUPING(c.status), c.status, c.cancellation_category COLLATE "C"
`;

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
