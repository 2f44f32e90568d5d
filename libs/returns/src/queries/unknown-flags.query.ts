import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';

// Return rule CF-RET-002: records of the year whose online flag is still 'unknown'.
export const unknownFlagsSql = `
-- Records of the force-year with online_flag 'unknown', whatever their status. Only a draft
-- can hold it (R12, ck_crimes_flag_known); a draft in the year must be finished or removed
-- before the return is submitted, or the yes/no split of table A is incomplete.
--   $1  force id
--   $2  financial year (start year)
--   $3  how many records to list; total_count counts them all
SELECT c.id                      AS crime_id,
       c.crime_reference,
       c.status,
       (count(*) OVER ())::int   AS total_count  -- window runs before LIMIT: the full count
FROM crimes c
WHERE c.force_id = $1
  AND c.financial_year = $2
  AND c.online_flag = 'unknown'
ORDER BY c.crime_reference
LIMIT $3
`;

export interface UnknownFlagRow {
  crime_id: string;
  crime_reference: string;
  status: string;
  total_count: number;
}

export function queryUnknownFlags(
  db: Queryable,
  p: ForceYear & { limit: number },
): Promise<UnknownFlagRow[]> {
  return db.query<UnknownFlagRow>(unknownFlagsSql, [p.forceId, p.year, p.limit]);
}
