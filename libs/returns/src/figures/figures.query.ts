import type { Queryable } from '#libs/persistence';

// The maintained aggregate's checks and repairs (migration 1780000026000): crime_figures_net (the deltas
// summed per group) against crime_figures_from_records (the same groups computed from crimes), both read
// under the caller's row-level-security scope; and the same for the monthly completeness aggregate
// (crime_figures_monthly, migration 1780000027300), which is checked, compacted and rebuilt with it.

export interface FiguresScope {
  forceIds?: readonly string[]; // default: every force in scope
  years?: readonly number[]; // start years; default: every year
}

export interface FiguresDifference {
  forceId: string;
  year: number;
  groups: number; // groups whose counts differ (or exist on one side only)
}

const differencesSql = `
-- Force-years whose aggregate differs from its records.
--   $1  force ids (NULL: all in scope)
--   $2  start years (NULL: all)
WITH net AS (
  SELECT * FROM crime_figures_net
  WHERE ($1::text[] IS NULL OR force_id = ANY ($1)) AND ($2::int[] IS NULL OR financial_year = ANY ($2))
), rec AS (
  SELECT * FROM crime_figures_from_records
  WHERE ($1::text[] IS NULL OR force_id = ANY ($1)) AND ($2::int[] IS NULL OR financial_year = ANY ($2))
), monthly_net AS (
  SELECT * FROM crime_figures_monthly_net
  WHERE ($1::text[] IS NULL OR force_id = ANY ($1)) AND ($2::int[] IS NULL OR financial_year = ANY ($2))
), monthly_rec AS (
  SELECT * FROM crime_figures_monthly_from_records
  WHERE ($1::text[] IS NULL OR force_id = ANY ($1)) AND ($2::int[] IS NULL OR financial_year = ANY ($2))
), diff AS (
  SELECT force_id, financial_year FROM (SELECT * FROM net EXCEPT ALL SELECT * FROM rec) d
  UNION ALL
  SELECT force_id, financial_year FROM (SELECT * FROM rec EXCEPT ALL SELECT * FROM net) d
  UNION ALL
  SELECT force_id, financial_year FROM (SELECT * FROM monthly_net EXCEPT ALL SELECT * FROM monthly_rec) d
  UNION ALL
  SELECT force_id, financial_year FROM (SELECT * FROM monthly_rec EXCEPT ALL SELECT * FROM monthly_net) d
)
SELECT force_id, financial_year::int AS year, count(*)::int AS groups
FROM diff
GROUP BY force_id, financial_year
ORDER BY force_id, financial_year
`;

export async function figuresDifferences(
  db: Queryable,
  scope: FiguresScope = {},
): Promise<FiguresDifference[]> {
  const rows = await db.query<{ force_id: string; year: number; groups: number }>(differencesSql, [
    scope.forceIds ?? null,
    scope.years ?? null,
  ]);
  return rows.map((r) => ({ forceId: r.force_id, year: r.year, groups: r.groups }));
}

// The force-years that have records or figures, in scope.
export async function figuresForceYears(
  db: Queryable,
  scope: FiguresScope = {},
): Promise<{ forceId: string; year: number }[]> {
  const rows = await db.query<{ force_id: string; year: number }>(
    `SELECT force_id, financial_year::int AS year FROM (
       SELECT DISTINCT force_id, financial_year FROM crimes
       UNION
       SELECT DISTINCT force_id, financial_year FROM crime_figures
       UNION
       SELECT DISTINCT force_id, financial_year FROM crime_figures_monthly
     ) fy
     WHERE ($1::text[] IS NULL OR force_id = ANY ($1)) AND ($2::int[] IS NULL OR financial_year = ANY ($2))
     ORDER BY force_id, financial_year`,
    [scope.forceIds ?? null, scope.years ?? null],
  );
  return rows.map((r) => ({ forceId: r.force_id, year: r.year }));
}

// Recomputes one force-year's figures (both aggregates) from its records (writers of crimes wait meanwhile).
// Returns the number of groups written.
export async function rebuildFigures(
  db: Queryable,
  forceId: string,
  year: number,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT rebuild_crime_figures($1, $2::smallint) + rebuild_crime_figures_monthly($1, $2::smallint) AS n`,
    [forceId, year],
  );
  return rows[0].n;
}

// Folds one force-year's committed deltas (both aggregates) into one row per group; returns how many rows it
// removed.
export async function compactFigures(
  db: Queryable,
  forceId: string,
  year: number,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT compact_crime_figures($1, $2::smallint) + compact_crime_figures_monthly($1, $2::smallint) AS n`,
    [forceId, year],
  );
  return rows[0].n;
}

// The force-years with deltas appended since the last compaction pass, and the highest id seen (the
// watermark to record once they are compacted). Both aggregates take their ids from one sequence, so one
// watermark serves both (a change can move the monthly figures alone: a record moved to another month).
export async function figuresToCompact(
  db: Queryable,
): Promise<{ through: number; forceYears: { forceId: string; year: number }[] }> {
  const rows = await db.query<{ force_id: string | null; year: number | null; through: string }>(
    `WITH w AS (SELECT compacted_through FROM crime_figures_compaction),
          fresh AS (SELECT f.force_id, f.financial_year, f.id FROM crime_figures f, w WHERE f.id > w.compacted_through
                    UNION ALL
                    SELECT m.force_id, m.financial_year, m.id FROM crime_figures_monthly m, w WHERE m.id > w.compacted_through)
     SELECT d.force_id, d.financial_year::int AS year,
            (SELECT COALESCE(max(id), (SELECT compacted_through FROM w)) FROM fresh)::text AS through
     FROM (SELECT DISTINCT force_id, financial_year FROM fresh) d
     RIGHT JOIN (SELECT 1) one ON true`,
  );
  return {
    through: Number(rows[0]?.through ?? 0),
    forceYears: rows
      .filter((r) => r.force_id !== null && r.year !== null)
      .map((r) => ({ forceId: r.force_id!, year: r.year! })),
  };
}

export async function advanceCompaction(db: Queryable, through: number): Promise<void> {
  await db.query(`SELECT advance_crime_figures_compaction($1::bigint)`, [through]);
}
