import type { Checkpoint } from '#libs/access-log';
import type { Queryable } from '#libs/persistence';
import type { PublicationContent, ReturnUsed } from './publication.types.js';

// Publications are append-only (tr_publications_append_only): inserted once, never updated.
// supersedes: the year's current publication, which this one replaces (uq_publications_supersedes: at most
// one successor each, so a concurrent second publication gets 23505, a 409).
export const insertPublicationSql = `
INSERT INTO publications (financial_year, title, config, tables, sha256, returns_used, published_by, supersedes,
                          access_log_checkpoint)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id,
          to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS published_at
`;

// Locks the accepted returns a publication used, and logs each transition, in one statement (and in the
// publication's transaction). Returns already locked by an earlier publication stay as they are.
export const lockReturnsSql = `
WITH locked AS (
  UPDATE force_returns fr
     SET state = 'locked', version = fr.version + 1, updated_at = now(), updated_by = $3
   WHERE fr.financial_year = $1
     AND fr.force_id = ANY ($2::text[])
     AND fr.state = 'accepted'
  RETURNING fr.force_id, fr.financial_year, fr.current_revision
)
INSERT INTO return_events (force_id, financial_year, revision, action, from_state, to_state, reason, by_user)
SELECT force_id, financial_year, current_revision, 'lock', 'accepted', 'locked', $4, $3
FROM locked
RETURNING force_id
`;

const at = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
// A publication is superseded when a later one of its year names it (publications are append-only, so
// this is derived, never written back).
const columns = `p.id, p.financial_year, p.title, p.config, p.sha256, p.returns_used, p.published_by, p.supersedes,
       p.access_log_checkpoint,
       ${at('p.published_at')} AS published_at,
       n.id AS superseded_by, ${at('n.published_at')} AS superseded_at`;

export const listPublicationsSql = `
SELECT ${columns}
FROM publications p
LEFT JOIN publications n ON n.supersedes = p.id
WHERE p.financial_year = $1
ORDER BY p.published_at, p.id
`;

export const getPublicationSql = `
SELECT ${columns}, p.tables
FROM publications p
LEFT JOIN publications n ON n.supersedes = p.id
WHERE p.id = $1
`;

// The year's current publication: the latest that nothing supersedes (publications made before
// superseding existed may be several; the latest is current).
export const currentPublicationSql = `
SELECT p.id, ${at('p.published_at')} AS published_at, p.returns_used
FROM publications p
WHERE p.financial_year = $1
  AND NOT EXISTS (SELECT 1 FROM publications n WHERE n.supersedes = p.id)
ORDER BY p.published_at DESC, p.id DESC
LIMIT 1
`;

export interface PublicationRow {
  id: string;
  financial_year: number;
  title: string;
  config: Record<string, unknown>;
  sha256: string;
  returns_used: ReturnUsed[];
  published_by: string;
  published_at: string;
  supersedes: string | null;
  superseded_by: string | null;
  superseded_at: string | null;
  access_log_checkpoint: Checkpoint | null;
  tables?: PublicationContent;
}

export interface CurrentPublicationRow {
  id: string;
  published_at: string;
  returns_used: ReturnUsed[];
}

export async function queryCurrentPublication(
  db: Queryable,
  year: number,
): Promise<CurrentPublicationRow | null> {
  const rows = await db.query<CurrentPublicationRow>(currentPublicationSql, [year]);
  return rows[0] ?? null;
}

export async function insertPublication(
  db: Queryable,
  p: {
    year: number;
    title: string;
    config: object;
    content: PublicationContent;
    sha256: string;
    by: string;
    checkpoint: Checkpoint | null;
  },
): Promise<{ id: string; published_at: string }> {
  const rows = await db.query<{ id: string; published_at: string }>(insertPublicationSql, [
    p.year,
    p.title,
    JSON.stringify(p.config),
    JSON.stringify(p.content),
    p.sha256,
    JSON.stringify(p.content.metadata.returnsUsed),
    p.by,
    p.content.metadata.supersedes?.id ?? null,
    p.checkpoint ? JSON.stringify(p.checkpoint) : null,
  ]);
  return rows[0]!;
}

export async function lockReturns(
  db: Queryable,
  year: number,
  forceIds: string[],
  by: string,
  reason: string,
): Promise<string[]> {
  const rows = await db.query<{ force_id: string }>(lockReturnsSql, [year, forceIds, by, reason]);
  return rows.map((r) => r.force_id);
}
