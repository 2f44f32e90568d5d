import type { Queryable } from '#libs/persistence';

// Flag and victim-age completeness for auditors (issue 7 §1; domain.md §4, R12).
//
// Two sources, identical results (completeness-sources.int-spec.ts checks them on random data):
//   'figures'  the maintained aggregate crime_figures_monthly (migration 1780000027300): drafts and confirmed
//              records by force, year, recorded month, offence code, status and flag, with the unknown ages;
//              a few thousand rows per force-year, whatever the number of records. What the service reads.
//   'records'  a scan of the year's records: the definition the aggregate must match, and the bench's baseline.
// Both are read under the caller's row-level-security scope.
export type CompletenessSource = 'figures' | 'records';

// The rows each source aggregates (month, group_name, offence_code, online_flag, and its measures), and how
// each measure is summed over them.
interface Source {
  base: string;
  records: string;
  flag: (value: 'yes' | 'no' | 'unknown') => string;
  flagSet: string;
  ageKnown: string;
}

const SOURCES: Record<CompletenessSource, Source> = {
  records: {
    // Months are calendar months of recorded_at in Europe/London time (so 1 May 00:30 BST is May).
    base: `
  SELECT to_char(c.recorded_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month,
         c.force_id,
         o.group_name,
         CASE WHEN $3::text = 'code' THEN c.offence_code END AS offence_code,
         c.online_flag,
         c.victim_age
  FROM crimes c
  JOIN offences o ON o.code = c.offence_code
  -- An explicit force list for national queries too, so the scan is always ix_crimes_force_year.
  WHERE c.force_id = ANY (COALESCE($1::text[], ARRAY(SELECT f.id FROM forces f)))
    AND c.financial_year = $2
    AND c.status IN ('draft', 'confirmed')`,
    records: 'count(*)',
    flag: (v) => `count(*) FILTER (WHERE online_flag = '${v}')`,
    flagSet: `count(*) FILTER (WHERE online_flag <> 'unknown')`,
    ageKnown: 'count(victim_age)',
  },
  figures: {
    // The net groups (a group's delta rows summed; groups that net to nothing are left out by the view, so no
    // breakdown row appears without records). The recorded month (1-12, UK time) of a year starting in April
    // is in the start year from April, in the next from January. The force filter has no sub-select, so the
    // planner pushes it and the year into the view's aggregation (ix_crime_figures_monthly_force_year):
    // every force_id of the aggregate comes from a crimes row, whose foreign key names a force.
    base: `
  SELECT to_char(make_date($2::int + (f.recorded_month < 4)::int, f.recorded_month, 1), 'YYYY-MM') AS month,
         f.force_id,
         o.group_name,
         CASE WHEN $3::text = 'code' THEN f.offence_code END AS offence_code,
         f.online_flag,
         f.n,
         f.unknown_age
  FROM crime_figures_monthly_net f
  JOIN offences o ON o.code = f.offence_code
  WHERE ($1::text[] IS NULL OR f.force_id = ANY ($1::text[]))
    AND f.financial_year = $2
    AND f.status IN ('draft', 'confirmed')`,
    // COALESCE: over no rows a sum is NULL where a count is 0 (the year total of an empty year).
    records: 'COALESCE(sum(n), 0)',
    flag: (v) => `COALESCE(sum(n) FILTER (WHERE online_flag = '${v}'), 0)`,
    flagSet: `COALESCE(sum(n) FILTER (WHERE online_flag <> 'unknown'), 0)`,
    ageKnown: 'COALESCE(sum(n - unknown_age), 0)',
  },
};

const measures = (m: Source) => `
         ${m.records}::int       AS records,
         ${m.flag('yes')}::int     AS flag_yes,
         ${m.flag('no')}::int      AS flag_no,
         ${m.flag('unknown')}::int AS flag_unknown,
         ${m.ageKnown}::int      AS age_known`;

export function completenessSql(source: CompletenessSource): string {
  const m = SOURCES[source];
  return `
-- Completeness of the online flag and the victim's age, for the year and (optionally) month by month.
--   $1  force ids (text[]); NULL = every force (national auditors only: the service decides)
--   $2  financial year, start year: 2017 = 2017-18 (generated financial_year: recorded_at in UK time, R27)
--   $3  'group' or 'code': the breakdown below the totals
--   $4  include the monthly series (boolean)
-- Records: drafts and confirmed records. 'unknown' is allowed on drafts only (R12, ck_crimes_flag_known),
-- so counting confirmed records alone would always show 100% complete: the drafts are where the gap is.
-- Cancelled and transferred records are no longer recorded crime (R16) and are left out.
WITH base AS (${m.base}
),
agg AS (
  SELECT month, group_name, offence_code,
         GROUPING(month) AS all_months,
         GROUPING(group_name) AS all_offences,${measures(m)}
  FROM base
  GROUP BY GROUPING SETS ((group_name, offence_code), (), (month, group_name, offence_code), (month))
),
months AS (
  SELECT to_char(make_date($2::int, 4, 1) + make_interval(months => i), 'YYYY-MM') AS month
  FROM generate_series(0, 11) AS i
),
result AS (
  -- The year: one row per group (or code) and the total (present even when nothing was recorded).
  SELECT NULL::text AS month, a.group_name, a.offence_code, a.all_offences,
         a.records, a.flag_yes, a.flag_no, a.flag_unknown, a.age_known
  FROM agg a
  WHERE a.all_months = 1
  UNION ALL
  -- Month by month: all twelve month totals (zero-filled), and the breakdown rows that have records.
  SELECT m.month, a.group_name, a.offence_code, COALESCE(a.all_offences, 1),
         COALESCE(a.records, 0), COALESCE(a.flag_yes, 0), COALESCE(a.flag_no, 0),
         COALESCE(a.flag_unknown, 0), COALESCE(a.age_known, 0)
  FROM months m
  LEFT JOIN agg a ON a.all_months = 0 AND a.month = m.month
  WHERE $4::boolean
)
SELECT month,
       CASE WHEN all_offences = 1 THEN 'total' ELSE $3::text END AS level,
       group_name, offence_code, records, flag_yes, flag_no, flag_unknown, age_known,
       -- Shares of the records, to 4 d.p.; NULL when there are no records.
       round((flag_yes + flag_no)::numeric / NULLIF(records, 0), 4)::float8 AS flag_set_share,
       round(flag_unknown::numeric / NULLIF(records, 0), 4)::float8        AS flag_unknown_share,
       round(age_known::numeric / NULLIF(records, 0), 4)::float8           AS age_known_share
FROM result
-- The year first, then month by month; in each, the total first, then groups and codes in byte order.
ORDER BY month NULLS FIRST, all_offences DESC, group_name COLLATE "C", offence_code COLLATE "C"
`;
}

export type CompletenessBreakdown = 'group' | 'code';

export interface CompletenessParams {
  forceIds: string[] | null;
  year: number;
  by: CompletenessBreakdown;
  monthly: boolean;
}

export interface CompletenessRow {
  month: string | null; // 'YYYY-MM' (UK time); null on the year rows
  level: 'total' | CompletenessBreakdown;
  group_name: string | null;
  offence_code: string | null;
  records: number;
  flag_yes: number;
  flag_no: number;
  flag_unknown: number;
  age_known: number;
  flag_set_share: number | null;
  flag_unknown_share: number | null;
  age_known_share: number | null;
}

export function queryCompleteness(
  db: Queryable,
  p: CompletenessParams,
  source: CompletenessSource = 'figures',
): Promise<CompletenessRow[]> {
  return db.query<CompletenessRow>(completenessSql(source), [p.forceIds, p.year, p.by, p.monthly]);
}

// The national heat table (issue 17 §1): the year's figures by force and offence group in ONE query, instead of
// one completeness query per force. Same records and measures as completenessSql, from either source.
//   $1  force ids (text[]); NULL = every force   $2  financial year, start year
// ($3 is the breakdown the shared base reads: always 'group' here.) Every group row has records, so the
// shares need no NULLIF.
export function completenessByForceSql(source: CompletenessSource): string {
  const m = SOURCES[source];
  return `
WITH base AS (${m.base}
)
SELECT force_id,
       CASE WHEN GROUPING(group_name) = 1 THEN 'total' ELSE 'group' END AS level,
       group_name,
       NULL::text AS offence_code,
       NULL::text AS month,${measures(m)},
       round(${m.flagSet}::numeric / ${m.records}, 4)::float8 AS flag_set_share,
       round(${m.flag('unknown')}::numeric / ${m.records}, 4)::float8  AS flag_unknown_share,
       round(${m.ageKnown}::numeric / ${m.records}, 4)::float8 AS age_known_share
FROM base
GROUP BY GROUPING SETS ((force_id, group_name), (force_id))
-- Each force's total first, then its groups in byte order.
ORDER BY force_id COLLATE "C", GROUPING(group_name) DESC, group_name COLLATE "C"
`;
}

export interface CompletenessByForceRow extends CompletenessRow {
  force_id: string;
}

export function queryCompletenessByForce(
  db: Queryable,
  p: { forceIds: string[] | null; year: number },
  source: CompletenessSource = 'figures',
): Promise<CompletenessByForceRow[]> {
  return db.query<CompletenessByForceRow>(completenessByForceSql(source), [
    p.forceIds,
    p.year,
    'group',
  ]);
}
