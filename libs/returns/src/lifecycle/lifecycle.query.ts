// The SQL of the return lifecycle: the head row per force-year (force_returns), the immutable
// revisions and the append-only events (migration 1780000002000). Parameterised, force first.
import type { Queryable } from '#libs/persistence';
import type { HighWater, ReturnEventAction, ReturnState } from './lifecycle.types.js';

export interface HeadRow {
  state: ReturnState;
  current_revision: number;
  version: number;
}

// FOR UPDATE: a transition holds the head until it commits, so two cannot interleave.
export async function selectHead(
  db: Queryable,
  forceId: string,
  year: number,
  forUpdate: boolean,
): Promise<HeadRow | null> {
  const rows = await db.query<HeadRow>(
    `SELECT state, current_revision, version FROM force_returns
     WHERE force_id = $1 AND financial_year = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [forceId, year],
  );
  return rows[0] ?? null;
}

// The first submission creates the head. ON CONFLICT: a concurrent first submission won; the
// caller's version 0 is then stale.
export async function insertHead(
  db: Queryable,
  h: { forceId: string; year: number; state: ReturnState; revision: number; at: Date; by: string },
): Promise<boolean> {
  const rows = await db.query<{ version: number }>(
    `INSERT INTO force_returns (force_id, financial_year, state, current_revision, version, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, 1, $5, $6)
     ON CONFLICT ON CONSTRAINT pk_force_returns DO NOTHING
     RETURNING version`,
    [h.forceId, h.year, h.state, h.revision, h.at.toISOString(), h.by],
  );
  return rows.length === 1;
}

export async function updateHead(
  db: Queryable,
  h: {
    forceId: string;
    year: number;
    state: ReturnState;
    revision: number;
    at: Date;
    by: string;
    expectedVersion: number;
  },
): Promise<boolean> {
  const rows = await db.query<{ version: number }>(
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count], a pg client with rows.
    `WITH moved AS (
       UPDATE force_returns
       SET state = $3, current_revision = $4, version = version + 1, updated_at = $5, updated_by = $6
       WHERE force_id = $1 AND financial_year = $2 AND version = $7
       RETURNING version)
     SELECT version FROM moved`,
    [h.forceId, h.year, h.state, h.revision, h.at.toISOString(), h.by, h.expectedVersion],
  );
  return rows.length === 1;
}

export interface RevisionInsert {
  forceId: string;
  year: number;
  revision: number;
  tables: unknown;
  sha256: string;
  highWater: HighWater;
  submittedAt: Date;
  submittedBy: string;
  signedOffName: string;
}

export async function insertRevision(db: Queryable, r: RevisionInsert): Promise<void> {
  await db.query(
    `INSERT INTO return_revisions
       (force_id, financial_year, revision, tables, sha256, high_water, submitted_at, submitted_by, signed_off_name)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, $9)`,
    [
      r.forceId,
      r.year,
      r.revision,
      JSON.stringify(r.tables),
      r.sha256,
      JSON.stringify(r.highWater),
      r.submittedAt.toISOString(),
      r.submittedBy,
      r.signedOffName,
    ],
  );
}

export async function insertEvent(
  db: Queryable,
  e: {
    forceId: string;
    year: number;
    revision: number;
    action: ReturnEventAction;
    from: ReturnState;
    to: ReturnState;
    reason: string | null;
    at: Date;
    by: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO return_events (force_id, financial_year, revision, action, from_state, to_state, reason, at, by_user)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.forceId, e.year, e.revision, e.action, e.from, e.to, e.reason, e.at.toISOString(), e.by],
  );
}

export interface RevisionRow {
  revision: number;
  sha256: string;
  high_water: HighWater;
  submitted_at: Date;
  submitted_by: string;
  signed_off_name: string;
  tables?: unknown; // only when asked for
}

export function selectRevisions(
  db: Queryable,
  forceId: string,
  year: number,
): Promise<RevisionRow[]> {
  return db.query<RevisionRow>(
    `SELECT revision, sha256, high_water, submitted_at, submitted_by, signed_off_name
     FROM return_revisions WHERE force_id = $1 AND financial_year = $2 ORDER BY revision`,
    [forceId, year],
  );
}

// revision null: the latest one.
export async function selectRevision(
  db: Queryable,
  forceId: string,
  year: number,
  revision: number | null,
): Promise<Required<RevisionRow> | null> {
  const rows = await db.query<Required<RevisionRow>>(
    `SELECT revision, sha256, high_water, submitted_at, submitted_by, signed_off_name, tables
     FROM return_revisions
     WHERE force_id = $1 AND financial_year = $2 AND ($3::int IS NULL OR revision = $3::int)
     ORDER BY revision DESC LIMIT 1`,
    [forceId, year, revision],
  );
  return rows[0] ?? null;
}

export interface EventRow {
  revision: number;
  action: ReturnEventAction;
  from_state: ReturnState;
  to_state: ReturnState;
  reason: string | null;
  at: Date;
  by_user: string;
}

export function selectEvents(db: Queryable, forceId: string, year: number): Promise<EventRow[]> {
  return db.query<EventRow>(
    `SELECT revision, action, from_state, to_state, reason, at, by_user
     FROM return_events WHERE force_id = $1 AND financial_year = $2 ORDER BY id`,
    [forceId, year],
  );
}
