import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';

// Return rule CF-RET-004: counted records whose recorded date falls outside the year's period.
export const recordedOutsidePeriodSql = `
-- Counted records of the force-year (by the generated financial_year column) whose recorded_at
-- is NOT inside [period start, period end). The column and the period are computed apart (SQL
-- in Europe/London time; financialYearPeriod() in TypeScript), so this cross-checks the two.
--   $1  force id
--   $2  financial year (start year)
--   $3  period start, inclusive (instant)
--   $4  period end, exclusive (instant)
--   $5  how many records to list; total_count counts them all
SELECT c.id                      AS crime_id,
       c.crime_reference,
       to_char(c.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at,
       (count(*) OVER ())::int   AS total_count
FROM crimes c
WHERE c.force_id = $1
  AND c.financial_year = $2
  AND c.status = 'confirmed'
  AND NOT (c.recorded_at >= $3 AND c.recorded_at < $4)
ORDER BY c.crime_reference
LIMIT $5
`;

export interface RecordedOutsidePeriodRow {
  crime_id: string;
  crime_reference: string;
  recorded_at: string; // ISO 8601 UTC
  total_count: number;
}

export function queryRecordedOutsidePeriod(
  db: Queryable,
  p: ForceYear & { periodStart: Date; periodEnd: Date; limit: number },
): Promise<RecordedOutsidePeriodRow[]> {
  return db.query<RecordedOutsidePeriodRow>(recordedOutsidePeriodSql, [
    p.forceId,
    p.year,
    p.periodStart.toISOString(),
    p.periodEnd.toISOString(),
    p.limit,
  ]);
}
