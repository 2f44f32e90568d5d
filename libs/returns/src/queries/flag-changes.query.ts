import { financialYearPeriod } from '#libs/recording-rules';
import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';

// Return table C, part 2: online-flag changes made during the year (domain.md §15 "table C").
export const flagChangesSql = `
-- Table C (flag changes): how often the online flag went no -> yes and yes -> no.
--   $1  force id
--   $2  period start, inclusive (1 April 00:00 UK time, as an instant)
--   $3  period end, exclusive   (the next 1 April 00:00 UK time)
-- A change counts in the year in which it was MADE (crime_history.changed_at), whatever year the
-- record itself belongs to; only this force's history (force_id is part of its key).
-- 'unknown' -> yes/no is a draft being completed, not a change of mind, and is not counted.
WITH changes AS (
  SELECT h.crime_id,
         h.changes -> 'onlineFlag' ->> 'old' AS old_flag,
         h.changes -> 'onlineFlag' ->> 'new' AS new_flag
  FROM crime_history h
  WHERE h.force_id = $1
    AND h.changed_at >= $2
    AND h.changed_at <  $3
    -- Only changes FROM yes or no can be counted. Also lets a partial index
    --   ON crime_history (force_id, changed_at) WHERE (changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')
    -- serve this query without reading every 'created' row of the force's history.
    AND (h.changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')
)
SELECT d.direction,
       count(ch.crime_id)::int          AS changes,  -- a record flipped twice counts twice
       count(DISTINCT ch.crime_id)::int AS records
FROM (VALUES (1, 'no-to-yes', 'no', 'yes'),
             (2, 'yes-to-no', 'yes', 'no')) AS d(sort, direction, from_flag, to_flag)
LEFT JOIN changes ch ON ch.old_flag = d.from_flag AND ch.new_flag = d.to_flag
GROUP BY d.sort, d.direction
ORDER BY d.sort
`;

export type FlagChangeDirection = 'no-to-yes' | 'yes-to-no';

export interface FlagChangesRow {
  direction: FlagChangeDirection;
  changes: number;
  records: number;
}

export function queryFlagChanges(db: Queryable, p: ForceYear): Promise<FlagChangesRow[]> {
  const period = financialYearPeriod(p.year);
  return db.query<FlagChangesRow>(flagChangesSql, [
    p.forceId,
    period.start.toISOString(),
    period.end.toISOString(),
  ]);
}
