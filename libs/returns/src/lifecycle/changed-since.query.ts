import type { Queryable } from '#libs/persistence';

// "Changed since submission" (issue 5 §4): records of the force-year with history written after
// the latest revision was submitted, so the registrar knows to resubmit. One definition, written as a
// CTE over a relation `targets (force_id, since)`, serves one force (the return's view: the records)
// and every force of a year at once (the year tracker: a count per force, one statement).
//   year: the SQL text of the financial-year parameter (start year), e.g. '$2'
// A record belongs when it is in the year now (edited, confirmed, cancelled, or newly recorded:
// its 'created' entry is history too), or when an amendment moved its recorded date out of the
// year (the old recordedAt is in the year, by the same Europe/London rule as financial_year).
// A record created by a bulk import has no stored 'created' entry (its creation is the record itself:
// import_id, created_at), so those creations are read from crimes.
// Served by ix_crime_history_force_changed (force_id, changed_at) and ix_crimes_force_year.
export function changesCte(year: string): string {
  return `changes AS (
  SELECT t.force_id, h.crime_id, h.changed_at
  FROM targets t
  JOIN crime_history h ON h.force_id = t.force_id AND h.changed_at > t.since
  JOIN crimes c ON c.force_id = h.force_id AND c.id = h.crime_id
  WHERE c.financial_year = ${year}
     OR (h.changes ? 'recordedAt'
         AND (SELECT extract(year FROM l) - CASE WHEN extract(month FROM l) < 4 THEN 1 ELSE 0 END
              FROM (SELECT ((h.changes -> 'recordedAt' ->> 'old')::timestamptz AT TIME ZONE 'Europe/London') AS l) old
             ) = ${year})
  UNION ALL
  SELECT t.force_id, c.id, c.created_at
  FROM targets t
  JOIN crimes c ON c.force_id = t.force_id AND c.financial_year = ${year} AND c.import_id IS NOT NULL AND c.created_at > t.since
)`;
}

export const changedSinceSql = `
-- Records of the force-year changed after a submission.
--   $1  force id
--   $2  financial year (start year)
--   $3  the revision's submitted_at (exclusive)
--   $4  how many records to list; total_count counts them all
WITH targets AS (SELECT $1::text AS force_id, $3::timestamptz AS since),
${changesCte('$2::smallint')}
SELECT ch.crime_id,
       c.crime_reference,
       count(*)::int                          AS changes,
       to_char(max(ch.changed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_changed_at,
       (count(*) OVER ())::int                AS total_count
FROM changes ch
JOIN crimes c ON c.force_id = $1 AND c.id = ch.crime_id
GROUP BY ch.crime_id, c.crime_reference
ORDER BY c.crime_reference COLLATE "C"
LIMIT $4
`;

export interface ChangedSinceRow {
  crime_id: string;
  crime_reference: string;
  changes: number;
  last_changed_at: string;
  total_count: number;
}

export function queryChangedSince(
  db: Queryable,
  p: { forceId: string; year: number; since: Date; limit: number },
): Promise<ChangedSinceRow[]> {
  return db.query<ChangedSinceRow>(changedSinceSql, [
    p.forceId,
    p.year,
    p.since.toISOString(),
    p.limit,
  ]);
}
