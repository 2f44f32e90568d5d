import type { Queryable } from '#libs/persistence';

export const REVIEW_REASONS = [
  'online_without_method',
  'usually_online_not_flagged',
  'flag_changed_late',
  'added_by_auditor',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
export const REVIEW_STATUSES = ['open', 'confirmed_correct', 'corrected', 'referred'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

// Rule-based items for the review queue (issue 7 §3; domain.md §14 R13, R14), inserted idempotently.
export const refreshReviewItemsSql = `
-- Doubtful online flags, one item per record and reason:
--   online_without_method      rule_warnings holds CF-FLAG-002 (R13: flag yes, no method)
--   usually_online_not_flagged rule_warnings holds CF-FLAG-003 (R14: usually-online offence flagged no)
--   flag_changed_late          crime_history has a yes <-> no change made more than $3 days after recording
--                              (the latest such change is kept in details)
--   $1  force ids (text[]); NULL = every force
--   $2  financial year (start year) of the records
--   $3  days after recording that make a flag change late
--   $4  who refreshed (created_by)
-- Records: confirmed ones. Drafts are still being completed; cancelled/transferred ones are not recorded crime.
-- ON CONFLICT DO NOTHING on (force_id, crime_id, reason): a second refresh adds only new findings and
-- leaves reviewed items (and their status) alone.
WITH scope AS (
  SELECT c.force_id, c.id, c.rule_warnings, c.recorded_at
  FROM crimes c
  WHERE c.force_id = ANY (COALESCE($1::text[], ARRAY(SELECT f.id FROM forces f)))
    AND c.financial_year = $2
    AND c.status = 'confirmed'
),
late AS (
  SELECT DISTINCT ON (h.force_id, h.crime_id)
         h.force_id, h.crime_id, h.version, h.changed_at, s.recorded_at,
         h.changes -> 'onlineFlag' ->> 'old' AS old_flag,
         h.changes -> 'onlineFlag' ->> 'new' AS new_flag
  FROM scope s
  JOIN crime_history h ON h.force_id = s.force_id AND h.crime_id = s.id
  -- 'unknown' -> yes/no is a draft being completed, not a change of mind.
  WHERE (h.changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')
    AND (h.changes -> 'onlineFlag' ->> 'new') IN ('yes', 'no')
    AND (h.changes -> 'onlineFlag' ->> 'old') <> (h.changes -> 'onlineFlag' ->> 'new')
    AND h.changed_at > s.recorded_at + make_interval(days => $3::int)
  ORDER BY h.force_id, h.crime_id, h.version DESC
),
candidates AS (
  SELECT s.force_id, s.id AS crime_id, 'online_without_method' AS reason, jsonb_build_object('ruleCode', 'CF-FLAG-002') AS details
  FROM scope s WHERE 'CF-FLAG-002' = ANY (s.rule_warnings)
  UNION ALL
  SELECT s.force_id, s.id, 'usually_online_not_flagged', jsonb_build_object('ruleCode', 'CF-FLAG-003')
  FROM scope s WHERE 'CF-FLAG-003' = ANY (s.rule_warnings)
  UNION ALL
  SELECT l.force_id, l.crime_id, 'flag_changed_late', jsonb_build_object(
           'version', l.version, 'from', l.old_flag, 'to', l.new_flag, 'changedAt', l.changed_at,
           'daysAfterRecording', floor(extract(epoch FROM l.changed_at - l.recorded_at) / 86400)::int,
           'thresholdDays', $3::int)
  FROM late l
),
inserted AS (
  INSERT INTO review_items (force_id, crime_id, reason, details, created_by)
  SELECT force_id, crime_id, reason, details, $4::text FROM candidates
  ON CONFLICT ON CONSTRAINT uq_review_items_crime_reason DO NOTHING
  RETURNING reason
)
SELECT c.reason,
       count(*)::int AS found,
       (SELECT count(*) FROM inserted i WHERE i.reason = c.reason)::int AS added
FROM candidates c
GROUP BY c.reason
ORDER BY c.reason
`;

export interface RefreshRow {
  reason: Exclude<ReviewReason, 'added_by_auditor'>;
  found: number;
  added: number;
}

export function refreshReviewItems(
  db: Queryable,
  p: { forceIds: string[] | null; year: number; lateDays: number; by: string },
): Promise<RefreshRow[]> {
  return db.query<RefreshRow>(refreshReviewItemsSql, [p.forceIds, p.year, p.lateDays, p.by]);
}

const ITEM_COLUMNS = `
  i.force_id, i.id, i.seq::text AS seq, i.crime_id, i.reason, i.details, i.added_note, i.status, i.review_note,
  i.reviewed_at, i.reviewed_by, i.corrected_version, i.version, i.created_at, i.created_by,
  c.crime_reference, c.offence_code, c.financial_year, c.recorded_at, c.online_flag, c.online_method,
  c.status AS crime_status, c.version AS crime_version, c.rule_warnings`;

export const listReviewItemsSql = `
-- One page of the review queue, oldest first, with the record facts a reviewer needs.
--   $1 force ids (NULL = every force)  $2 status  $3 reason  $4 financial year  (NULL = any)
--   $5 after this seq (keyset cursor; NULL = first page)  $6 page size
--   $7 added by (username in created_by: the auditor who added or refreshed it; NULL = anyone)
SELECT ${ITEM_COLUMNS}
FROM review_items i
JOIN crimes c ON c.force_id = i.force_id AND c.id = i.crime_id
WHERE i.force_id = ANY (COALESCE($1::text[], ARRAY(SELECT f.id FROM forces f)))
  AND ($2::text IS NULL OR i.status = $2::text)
  AND ($3::text IS NULL OR i.reason = $3::text)
  AND ($4::int IS NULL OR c.financial_year = $4::int)
  AND ($5::bigint IS NULL OR i.seq > $5::bigint)
  AND ($7::text IS NULL OR i.created_by = $7::text)
ORDER BY i.seq
LIMIT $6
`;

export const reviewItemByIdSql = `
SELECT ${ITEM_COLUMNS}
FROM review_items i
JOIN crimes c ON c.force_id = i.force_id AND c.id = i.crime_id
WHERE i.id = $1 AND i.force_id = ANY (COALESCE($2::text[], ARRAY(SELECT f.id FROM forces f)))
`;

export interface ReviewItemRow {
  force_id: string;
  id: string;
  seq: string;
  crime_id: string;
  reason: ReviewReason;
  details: Record<string, unknown>;
  added_note: string | null;
  status: ReviewStatus;
  review_note: string | null;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  corrected_version: number | null;
  version: number;
  created_at: Date;
  created_by: string;
  crime_reference: string;
  offence_code: string;
  financial_year: number;
  recorded_at: Date;
  online_flag: string;
  online_method: string | null;
  crime_status: string;
  crime_version: number;
  rule_warnings: string[];
}

export interface ReviewListFilter {
  forceIds: string[] | null;
  status: ReviewStatus | null;
  reason: ReviewReason | null;
  year: number | null;
  addedBy: string | null;
  afterSeq: string | null;
  limit: number;
}

export function listReviewItems(db: Queryable, f: ReviewListFilter): Promise<ReviewItemRow[]> {
  return db.query<ReviewItemRow>(listReviewItemsSql, [
    f.forceIds,
    f.status,
    f.reason,
    f.year,
    f.afterSeq,
    f.limit,
    f.addedBy,
  ]);
}

// FOR UPDATE when the caller is about to change the item (serialises two reviewers).
export async function findReviewItem(
  db: Queryable,
  id: string,
  forceIds: string[] | null,
  forUpdate = false,
): Promise<ReviewItemRow | null> {
  const rows = await db.query<ReviewItemRow>(
    forUpdate ? `${reviewItemByIdSql} FOR UPDATE OF i` : reviewItemByIdSql,
    [id, forceIds],
  );
  return rows[0] ?? null;
}

export async function insertManualItem(
  db: Queryable,
  p: { forceId: string; crimeId: string; note: string; by: string },
): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO review_items (force_id, crime_id, reason, added_note, created_by)
     VALUES ($1, $2, 'added_by_auditor', $3, $4)
     ON CONFLICT ON CONSTRAINT uq_review_items_crime_reason DO NOTHING
     RETURNING id`,
    [p.forceId, p.crimeId, p.note, p.by],
  );
  return rows[0]?.id ?? null;
}

export async function updateReviewItem(
  db: Queryable,
  item: { forceId: string; id: string; version: number },
  p: { status: ReviewStatus; note: string; by: string; correctedVersion: number | null },
): Promise<void> {
  await db.query(
    `UPDATE review_items
     SET status = $3, review_note = $4, reviewed_by = $5, reviewed_at = now(), corrected_version = $6, version = version + 1
     WHERE force_id = $1 AND id = $2 AND version = $7`,
    [item.forceId, item.id, p.status, p.note, p.by, p.correctedVersion, item.version],
  );
}
