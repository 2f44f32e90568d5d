import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import { overForceYear } from './force-year-aggregate.query.js';

// Return table B: online-flagged child sexual offences by victim age and sex (domain.md §4.1, §15
// "core table B"). Counting unit: OFFENCES (crimes, one per victim per offence), not children: a child groomed
// by two offenders is two crimes and appears twice (HOCR Section D; issue 20 §4).
export const childSexualOffencesCte = `
-- Table B: online-flagged child sexual offences by victim age × victim sex, from fy.
-- A crime is in table B when it is
--   * counted: status 'confirmed' in the force-year (as table A);
--   * flagged online = 'yes';
--   * a code the catalogue counts in table B (offences.table_b; default: the ONS sexual offences group);
--   * against a child at the offence date: victim_age is stored as the age at the offence
--     date (R8), so victim_age < 18; or the age is unknown but the code itself exists only
--     for children (victim_age_max < 18: 19E, 19H, 21, 88A, 71, ...). Those are children by
--     definition and are counted in the 'unknown' age row. An unknown age on a code open to
--     adults (19C, 22A, ...) cannot be placed and is left out; table C counts unknown ages.
table_b AS (
  WITH child AS (
    -- One row per candidate crime (fy.children), kept when its code is counted in table B and the
    -- victim is a child: a known age under 18, or an unknown age on a children-only code.
    SELECT ch.age,
           ch.sex,
           o.rape
    FROM fy f
    JOIN offences o ON o.code = f.offence_code
    CROSS JOIN LATERAL unnest(f.children) AS ch(age smallint, sex text)
    WHERE o.table_b
      AND (ch.age < 18 OR (ch.age IS NULL AND o.victim_age_max < 18))
  ),
  grid AS (
    -- The fixed rows, present even when empty: single years 0-17, then unknown (NULL).
    -- Bands keep the statutory cut-offs at 13 and 16 (domain.md §6.1) and allow "under 10".
    SELECT a.age,
           CASE WHEN a.age IS NULL THEN 'unknown'
                WHEN a.age <= 4    THEN '0-4'
                WHEN a.age <= 9    THEN '5-9'
                WHEN a.age <= 12   THEN '10-12'
                WHEN a.age <= 15   THEN '13-15'
                ELSE                    '16-17'
           END AS band,
           CASE WHEN a.age IS NULL THEN 6
                WHEN a.age <= 4    THEN 1
                WHEN a.age <= 9    THEN 2
                WHEN a.age <= 12   THEN 3
                WHEN a.age <= 15   THEN 4
                ELSE                    5
           END AS band_order
    FROM (SELECT generate_series(0, 17) AS age UNION ALL SELECT NULL) a
  ),
  cells AS (
    -- One row per crime, or one all-NULL row for an empty age. -1 stands for "unknown" in the
    -- join key only, so the join stays a hash join (IS NOT DISTINCT FROM would not be).
    SELECT g.age, g.band, g.band_order, ch.sex, ch.rape
    FROM grid g
    LEFT JOIN child ch ON COALESCE(ch.age, -1) = COALESCE(g.age, -1)
  )
  SELECT CASE
           WHEN GROUPING(band) = 1 THEN 'total'
           WHEN GROUPING(age) = 1  THEN 'band'
           ELSE 'age'
         END                                                            AS level,
         band,
         age,
         count(*) FILTER (WHERE sex = 'female')::int  AS female,
         count(*) FILTER (WHERE sex = 'male')::int    AS male,
         count(*) FILTER (WHERE sex = 'unknown')::int AS unknown_sex,
         count(sex)::int                             AS total,   -- empty ages have sex NULL
         count(*) FILTER (WHERE rape)::int           AS rapes,   -- offences.rape (19C-19K)
         -- Ages, then bands, then the total; within each, youngest first and unknown last.
         row_number() OVER (ORDER BY GROUPING(band_order, band, age), band_order, age NULLS LAST) AS ord
  FROM cells
  GROUP BY GROUPING SETS (
    (band_order, band, age),  -- single years of age (internal: not for publication, §15)
    (band_order, band),       -- published bands
    ()                        -- total
  )
)`;

//   $1  force id
//   $2  financial year (start year)
export const childSexualOffencesSql = overForceYear(
  childSexualOffencesCte,
  `SELECT level, band, age, female, male, unknown_sex, total, rapes FROM table_b ORDER BY ord`,
);

export type AgeBand = '0-4' | '5-9' | '10-12' | '13-15' | '16-17' | 'unknown';

export interface ChildSexualOffencesRow {
  level: 'age' | 'band' | 'total';
  band: AgeBand | null; // null on the total row
  age: number | null; // age rows only; null on the 'unknown' age row and on band/total rows
  female: number;
  male: number;
  unknown_sex: number;
  total: number;
  rapes: number;
}

export function queryChildSexualOffences(
  db: Queryable,
  p: ForceYear,
): Promise<ChildSexualOffencesRow[]> {
  return db.query<ChildSexualOffencesRow>(childSexualOffencesSql, [p.forceId, p.year]);
}
