import type { Queryable } from '#libs/returns';
import type { PublicationContent, ReturnUsed } from './publication.types.js';

// Publications are append-only (tr_publications_append_only): inserted once, never updated.
export const insertPublicationSql = `
INSERT INTO publications (financial_year, title, config, tables, sha256, returns_used, published_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
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

const columns = `id, financial_year, title, config, sha256, returns_used, published_by,
       to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS published_at`;

export const listPublicationsSql = `
SELECT ${columns}
FROM publications
WHERE financial_year = $1
ORDER BY published_at, id
`;

export const getPublicationSql = `
SELECT ${columns}, tables
FROM publications
WHERE id = $1
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
  tables?: PublicationContent;
}

export async function insertPublication(
  db: Queryable,
  p: { year: number; title: string; config: object; content: PublicationContent; sha256: string; by: string },
): Promise<{ id: string; published_at: string }> {
  const rows = await db.query<{ id: string; published_at: string }>(insertPublicationSql, [
    p.year, p.title, JSON.stringify(p.config), JSON.stringify(p.content), p.sha256, JSON.stringify(p.content.metadata.returnsUsed), p.by,
  ]);
  return rows[0]!;
}

export async function lockReturns(db: Queryable, year: number, forceIds: string[], by: string, reason: string): Promise<string[]> {
  const rows = await db.query<{ force_id: string }>(lockReturnsSql, [year, forceIds, by, reason]);
  return rows.map((r) => r.force_id);
}
