import type { Queryable } from '#libs/persistence';

// The live national aggregation: ONE pass over every force's records of the year, grouped by force and
// by just the dimensions the force-return tables need. Each group row is then folded into tables A, B
// and C per force in TypeScript (live-counts.ts), with the same definitions as the force return's SQL
// (libs/returns/src/queries), which live-counts.int-spec.ts checks table by table.
export const liveCubeSql = `
-- National live cube.
--   $1  financial year (start year: 2020 = 2020-21)
-- Rows: one per (force, offence code, status, online flag, table-B age, table-B sex, removal category,
-- rule warnings). Ages and sexes are only kept where table B needs them, so adults and offline crimes
-- collapse into few groups; the other counts table C needs are FILTER aggregates.
SELECT c.force_id,
       c.offence_code,
       c.status,
       c.online_flag,
       -- Table B (child sexual offences, see child-sexual-offences.query.ts): confirmed, online-flagged,
       -- a code counted in table B (offences.table_b), and a child: age < 18, or unknown on a code that
       -- exists only for children.
       -- The age at the offence date (R8); -1 = unknown. NULL = not in table B.
       CASE WHEN c.status = 'confirmed' AND c.online_flag = 'yes' AND o.table_b
                 AND (c.victim_age < 18 OR (c.victim_age IS NULL AND o.victim_age_max < 18))
            THEN COALESCE(c.victim_age, -1) END::int                               AS b_age,
       CASE WHEN c.status = 'confirmed' AND c.online_flag = 'yes' AND o.table_b
                 AND (c.victim_age < 18 OR (c.victim_age IS NULL AND o.victim_age_max < 18))
            THEN c.victim_sex END                                                  AS b_sex,
       c.cancellation_category                                                     AS category,
       -- Only counted records report outstanding warnings (rule-warnings.query.ts).
       CASE WHEN c.status = 'confirmed' THEN c.rule_warnings ELSE '{}'::text[] END  AS warnings,
       count(*)::int                                                               AS n,
       -- 24 elapsed hours, as quality.query.ts (R10).
       count(*) FILTER (WHERE c.recorded_at <= c.reported_at + interval '24 hours')::int AS within_24h,
       -- Unknown victim ages only on offences with a personal victim (quality.query.ts, issue 20 §4).
       count(*) FILTER (WHERE c.victim_age IS NULL AND o.personal_victim)::int     AS unknown_age,
       count(*) FILTER (WHERE c.victim_sex = 'unknown')::int                       AS unknown_sex,
       -- High-water mark (return-metadata.query.ts): every record of the force-year, any status.
       sum(c.version)::float8                                                      AS version_sum,
       to_char(max(c.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS max_updated_at
FROM crimes c
JOIN offences o ON o.code = c.offence_code
WHERE c.financial_year = $1
GROUP BY c.force_id, c.offence_code, c.status, c.online_flag, 5, 6, c.cancellation_category, 8
`;

// The same cube from the maintained aggregate (crime_figures, migration 1780000026000): its groups are
// finer (raw child age and sex, before the catalogue's table-B test), so they are folded here with the
// catalogue joined at read time, exactly as the scan applies it. The latest save per force comes from
// crimes' index (ix_crimes_force_year_updated), one probe per force: MATERIALIZED, because PostgreSQL otherwise
// inlines the CTE and runs its subquery once per aggregate row joined and again per group (303,156 probes for
// 2 M records: the live national figures took 2.6 s instead of 1.4 s; bench/README.md, sixth session).
export const liveCubeFiguresSql = `
-- National live cube from the aggregate.
--   $1  financial year (start year)
WITH latest AS MATERIALIZED (
  SELECT fo.id AS force_id,
         (SELECT max(c.updated_at) FROM crimes c
           WHERE c.force_id = fo.id AND c.financial_year = $1) AS max_updated_at
  FROM forces fo
)
SELECT f.force_id,
       f.offence_code,
       f.status,
       f.online_flag,
       CASE WHEN f.child AND o.table_b AND (f.child_age < 18 OR (f.child_age IS NULL AND o.victim_age_max < 18))
            THEN COALESCE(f.child_age, -1) END::int                                AS b_age,
       CASE WHEN f.child AND o.table_b AND (f.child_age < 18 OR (f.child_age IS NULL AND o.victim_age_max < 18))
            THEN f.child_sex END                                                   AS b_sex,
       f.cancellation_category                                                     AS category,
       f.warnings,
       sum(f.n)::int                                                               AS n,
       sum(f.within_24h)::int                                                      AS within_24h,
       COALESCE(sum(f.unknown_age) FILTER (WHERE o.personal_victim), 0)::int       AS unknown_age,
       sum(f.unknown_sex)::int                                                     AS unknown_sex,
       sum(f.version_sum)::float8                                                  AS version_sum,
       to_char(l.max_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS max_updated_at
FROM crime_figures f
JOIN offences o ON o.code = f.offence_code
JOIN latest l ON l.force_id = f.force_id
WHERE f.financial_year = $1
GROUP BY f.force_id, f.offence_code, f.status, f.online_flag, 5, 6, f.cancellation_category, f.warnings,
         l.max_updated_at
HAVING sum(f.n) <> 0
`;

export interface LiveCubeRow {
  force_id: string;
  offence_code: string;
  status: 'draft' | 'confirmed' | 'cancelled' | 'transferred';
  online_flag: 'yes' | 'no' | 'unknown';
  b_age: number | null;
  b_sex: 'female' | 'male' | 'unknown' | null;
  category: string | null;
  warnings: string[];
  n: number;
  within_24h: number;
  unknown_age: number;
  unknown_sex: number;
  version_sum: number;
  max_updated_at: string;
}

// Inside the caller's transaction (SET LOCAL): enough memory for the national hash aggregate. The planner
// overestimates the groups (the CASE keys), and below this it sorts 7 M rows instead of hashing them.
export const NATIONAL_SCAN_SETTINGS = [`SET LOCAL work_mem = '256MB'`];

export async function prepareNationalScan(db: Queryable): Promise<void> {
  for (const s of NATIONAL_SCAN_SETTINGS) await db.query(s);
}

// Live figures read the maintained aggregate; 'records' scans them (the aggregate's check, and the bench's
// baseline).
export function queryLiveCube(
  db: Queryable,
  year: number,
  source: 'figures' | 'records' = 'figures',
): Promise<LiveCubeRow[]> {
  return db.query<LiveCubeRow>(source === 'figures' ? liveCubeFiguresSql : liveCubeSql, [year]);
}

// Online-flag changes made during the year, every force at once (flag-changes.query.ts per force).
export const nationalFlagChangesSql = `
-- National flag changes.
--   $1  period start, inclusive (1 April 00:00 UK time)
--   $2  period end, exclusive
-- Counted in the year the change was MADE; unknown -> yes/no (finishing a draft) is not a change.
SELECT h.force_id,
       d.direction,
       count(*)::int                   AS changes,
       count(DISTINCT h.crime_id)::int AS records
FROM crime_history h
JOIN (VALUES ('no-to-yes', 'no', 'yes'), ('yes-to-no', 'yes', 'no')) AS d(direction, from_flag, to_flag)
  ON (h.changes -> 'onlineFlag' ->> 'old') = d.from_flag
 AND (h.changes -> 'onlineFlag' ->> 'new') = d.to_flag
WHERE h.changed_at >= $1
  AND h.changed_at <  $2
  AND (h.changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')  -- matches ix_crime_history_flag_changes
GROUP BY h.force_id, d.direction
`;

export interface NationalFlagChangeRow {
  force_id: string;
  direction: 'no-to-yes' | 'yes-to-no';
  changes: number;
  records: number;
}

export function queryNationalFlagChanges(
  db: Queryable,
  start: Date,
  end: Date,
): Promise<NationalFlagChangeRow[]> {
  return db.query<NationalFlagChangeRow>(nationalFlagChangesSql, [
    start.toISOString(),
    end.toISOString(),
  ]);
}
