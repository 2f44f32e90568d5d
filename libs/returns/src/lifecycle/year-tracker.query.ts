import type { Queryable } from '#libs/persistence';
import { changesCte } from './changed-since.query.js';
import type { ReturnEventAction, ReturnState } from './lifecycle.types.js';

// The year tracker (GET /returns/:year): every force asked for, in one statement: its head (none
// while nothing was submitted), the latest revision's submission time, when that revision was
// accepted (a later lock by a publication keeps the acceptance time), the last event, and the
// number of records changed since that submission (the same definition as a return's view,
// changed-since.query.ts, counted per force).
// That count stays on the records (crime_history, and crimes for import creations), not the maintained
// aggregate (issue #22): it counts distinct records with a change after a point in time, and the aggregate
// holds only the current figures of each group, with neither record identity nor time. A record amended and
// amended back, or two records swapping offence codes, leave every figure as it was but are changes to
// resubmit for; so no function of the aggregate (not even of two snapshots of it) gives this count exactly.
// It reads history through ix_crime_history_force_changed, and only for the forces that have submitted.
export const yearTrackerSql = `
-- One row per force of $2, in id order.
--   $1  financial year (start year)
--   $2  force ids (the year's expected forces in the caller's scope)
WITH forces AS (SELECT unnest($2::text[]) AS force_id),
heads AS (
  SELECT f.force_id, fr.state, fr.version, fr.current_revision, rr.submitted_at
  FROM forces f
  LEFT JOIN force_returns fr ON fr.force_id = f.force_id AND fr.financial_year = $1::smallint
  LEFT JOIN return_revisions rr
         ON rr.force_id = fr.force_id AND rr.financial_year = fr.financial_year AND rr.revision = fr.current_revision
),
targets AS (SELECT force_id, submitted_at AS since FROM heads WHERE submitted_at IS NOT NULL),
${changesCte('$1::smallint')},
changed AS (SELECT force_id, count(DISTINCT crime_id)::int AS records FROM changes GROUP BY force_id)
SELECT h.force_id,
       h.state,
       h.version,
       h.current_revision,
       h.submitted_at,
       ev.revision AS event_revision, ev.action AS event_action, ev.from_state, ev.to_state, ev.reason,
       ev.at AS event_at,
       ev.by_user,
       acc.at AS accepted_at,
       CASE WHEN h.submitted_at IS NULL THEN NULL ELSE coalesce(ch.records, 0) END AS changed_records
FROM heads h
LEFT JOIN LATERAL (
  SELECT e.revision, e.action, e.from_state, e.to_state, e.reason, e.at, e.by_user
  FROM return_events e
  WHERE e.force_id = h.force_id AND e.financial_year = $1::smallint
  ORDER BY e.id DESC
  LIMIT 1
) ev ON true
LEFT JOIN LATERAL (
  SELECT max(e.at) AS at
  FROM return_events e
  WHERE e.force_id = h.force_id AND e.financial_year = $1::smallint
    AND e.action = 'accept' AND e.revision = h.current_revision
) acc ON true
LEFT JOIN changed ch ON ch.force_id = h.force_id
ORDER BY h.force_id COLLATE "C"
`;

export interface YearTrackerRow {
  force_id: string;
  state: ReturnState | null; // null: no return submitted yet
  version: number | null;
  current_revision: number | null;
  submitted_at: Date | null;
  event_revision: number | null;
  event_action: ReturnEventAction | null;
  from_state: ReturnState | null;
  to_state: ReturnState | null;
  reason: string | null;
  event_at: Date | null;
  by_user: string | null;
  accepted_at: Date | null; // when the current revision was accepted; null if it never was
  changed_records: number | null;
}

export function queryYearTracker(
  db: Queryable,
  p: { year: number; forceIds: readonly string[] },
): Promise<YearTrackerRow[]> {
  return db.query<YearTrackerRow>(yearTrackerSql, [p.year, [...p.forceIds]]);
}
