import type { Queryable } from '#libs/persistence';

// Under-use of the online flag (issue 7 §2). Two queries, so that record-level scope stays with the caller:
// the forces' own counts run in the caller's scope; the national totals run with scope 'all' but return
// nothing but one count pair per offence group (see UnderUseService).
const COUNTED = `
--   Counted: confirmed records recorded in the year (generated financial_year, UK time, R27), as in the
--   annual return's table A; drafts are not yet recorded crime, cancelled/transferred ones no longer are.`;

export const forceFlagRatesSql = `
-- Online-flag counts per force and offence group.
--   $1  force ids (text[]); NULL = every force
--   $2  financial year (start year)
--   $3  offence group, or NULL for every group
${COUNTED}
SELECT c.force_id,
       o.group_name,
       count(*) FILTER (WHERE c.online_flag = 'yes')::int AS flagged,
       count(*)::int                                      AS total
FROM crimes c
JOIN offences o ON o.code = c.offence_code
WHERE c.force_id = ANY (COALESCE($1::text[], ARRAY(SELECT f.id FROM forces f)))
  AND c.financial_year = $2
  AND c.status = 'confirmed'
  AND ($3::text IS NULL OR o.group_name = $3::text)
GROUP BY c.force_id, o.group_name
ORDER BY c.force_id COLLATE "C", o.group_name COLLATE "C"
`;

export const nationalFlagRatesSql = `
-- National online-flag counts per offence group: aggregates only, no force and no record in the output.
--   $1  financial year (start year)
--   $2  offence group, or NULL for every group
${COUNTED}
SELECT o.group_name,
       count(*) FILTER (WHERE c.online_flag = 'yes')::int AS flagged,
       count(*)::int                                      AS total
FROM crimes c
JOIN offences o ON o.code = c.offence_code
-- Every force, listed, so the scan uses ix_crimes_force_year rather than the whole table.
WHERE c.force_id = ANY (ARRAY(SELECT f.id FROM forces f))
  AND c.financial_year = $1
  AND c.status = 'confirmed'
  AND ($2::text IS NULL OR o.group_name = $2::text)
GROUP BY o.group_name
ORDER BY o.group_name COLLATE "C"
`;

export interface ForceFlagRateRow {
  force_id: string;
  group_name: string;
  flagged: number;
  total: number;
}

export interface NationalFlagRateRow {
  group_name: string;
  flagged: number;
  total: number;
}

export function queryForceFlagRates(
  db: Queryable,
  p: { forceIds: string[] | null; year: number; group: string | null },
): Promise<ForceFlagRateRow[]> {
  return db.query<ForceFlagRateRow>(forceFlagRatesSql, [p.forceIds, p.year, p.group]);
}

export function queryNationalFlagRates(
  db: Queryable,
  p: { year: number; group: string | null },
): Promise<NationalFlagRateRow[]> {
  return db.query<NationalFlagRateRow>(nationalFlagRatesSql, [p.year, p.group]);
}
