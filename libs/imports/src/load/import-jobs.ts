import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { ScopedDb, type ForceScope } from '#libs/persistence';
import type { RejectedRow } from '../validate-batch.js';

export type ImportMode = 'dry_run' | 'all_or_nothing' | 'accept_valid';
export type ImportState = 'running' | 'completed' | 'rejected' | 'failed';

export interface ImportCounts {
  read: number;
  accepted: number;
  rejected: number;
  inserted: number;
  amended: number;
  unchanged: number;
}

export interface ImportJobView {
  id: string;
  createdBy: string;
  createdAt: Date;
  scope: string[];
  format: 'csv' | 'ndjson';
  mode: ImportMode;
  state: ImportState;
  fileName: string | null;
  counts: ImportCounts;
  forces: string[];
  error: { code: string; message: string } | null;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface RejectionView {
  line: number;
  crimeReference: string | null;
  forceId: string | null;
  codes: string[];
  message: string;
}

interface JobRow {
  id: string;
  created_by: string;
  created_at: Date;
  scope: string[];
  format: 'csv' | 'ndjson';
  mode: ImportMode;
  state: ImportState;
  file_name: string | null;
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_inserted: number;
  rows_amended: number;
  rows_unchanged: number;
  forces: string[];
  error_code: string | null;
  error: string | null;
  updated_at: Date;
  finished_at: Date | null;
}

const view = (r: JobRow): ImportJobView => ({
  id: r.id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  scope: r.scope,
  format: r.format,
  mode: r.mode,
  state: r.state,
  fileName: r.file_name,
  counts: {
    read: r.rows_read,
    accepted: r.rows_accepted,
    rejected: r.rows_rejected,
    inserted: r.rows_inserted,
    amended: r.rows_amended,
    unchanged: r.rows_unchanged,
  },
  forces: r.forces,
  error: r.error_code ? { code: r.error_code, message: r.error ?? '' } : null,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

// A client-chosen import id (X-Import-Id) lives in its sender's namespace: the stored id is derived from the user and
// the chosen id (a UUID version 8 from SHA-256), so a chosen id can never meet another user's import, and whether an
// id is taken says nothing about anyone else's (issue #18 finding 5: another force's id answered 409, a fresh one 201).
export function importIdFor(userId: string, clientId: string): string {
  const h = createHash('sha256')
    .update(`cyberflag-import-id\n${userId}\n${clientId.toLowerCase()}`)
    .digest();
  h[6] = (h[6] & 0x0f) | 0x80; // version 8: custom
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The first key of the two-key advisory locks that running imports hold on their job (the second: hashtext of the
// job id). Any constant not used by other advisory locks; 'CFI1' in ASCII.
export const IMPORT_LOCK_SPACE = 0x43464931;

export const INTERRUPTED_MESSAGE =
  'the import was interrupted: the process running it ended before it finished (killed, crashed or restarted); its transaction was rolled back, so nothing was loaded';

// Who reads imports: row-level security (migration 1780000020100) shows them an import only if they created it or
// their forces cover it. The job's own bookkeeping (progress, outcome, rejected rows) is 'system' work.
export type ImportReader = { userId: string; forces: ForceScope } | 'system';

// The import's own bookkeeping, written outside the import's transaction so progress and the report survive
// a rolled-back (all-or-nothing) import.
@Injectable()
export class ImportJobs {
  constructor(private readonly db: ScopedDb) {}

  // One statement in a transaction whose row-level-security settings name the reader (SET LOCAL: they end with it).
  private query<T>(reader: ImportReader, sql: string, params: unknown[]): Promise<T> {
    return this.db.run(
      reader === 'system' ? 'all' : reader.forces,
      async (em) => (await em.query(sql, params)) as T,
      { user: reader === 'system' ? '' : reader.userId },
    );
  }

  // False when the id is taken (only ever by the same user's earlier import: see importIdFor).
  async start(j: {
    id: string;
    createdBy: string;
    scope: string[];
    format: 'csv' | 'ndjson';
    mode: ImportMode;
    fileName: string | null;
  }): Promise<boolean> {
    const rows: unknown[] = await this.query(
      'system',
      `INSERT INTO imports (id, created_by, scope, format, mode, state, file_name) VALUES ($1, $2, $3, $4, $5, 'running', $6)
       ON CONFLICT ON CONSTRAINT pk_imports DO NOTHING RETURNING id`,
      [j.id, j.createdBy, j.scope, j.format, j.mode, j.fileName],
    );
    return rows.length === 1;
  }

  async progress(
    id: string,
    c: Pick<ImportCounts, 'read' | 'accepted' | 'rejected'>,
  ): Promise<void> {
    await this.query(
      'system',
      `UPDATE imports SET rows_read = $2, rows_accepted = $3, rows_rejected = $4, updated_at = now() WHERE id = $1`,
      [id, c.read, c.accepted, c.rejected],
    );
  }

  async finish(
    id: string,
    state: ImportState,
    c: ImportCounts,
    forces: string[],
    error?: { code: string; message: string },
    // The import's own transaction, to commit the state with the rows; otherwise a statement of its own.
    tx?: QueryRunner,
  ): Promise<void> {
    const sql = `UPDATE imports SET state = $2, rows_read = $3, rows_accepted = $4, rows_rejected = $5, rows_inserted = $6, rows_amended = $7,
         rows_unchanged = $8, forces = $9, error_code = $10, error = $11, updated_at = now(), finished_at = now() WHERE id = $1`;
    const params = [
      id,
      state,
      c.read,
      c.accepted,
      c.rejected,
      c.inserted,
      c.amended,
      c.unchanged,
      forces,
      error?.code ?? null,
      error?.message ?? null,
    ];
    if (!tx) {
      await this.query('system', sql, params);
      return;
    }
    // In the import's own transaction, as its last statement before the commit. That transaction names the
    // importing user (ScopedDb's user option), whom row-level security on imports lets update the job they
    // created (migration 1780000020100): no wider scope is needed.
    await tx.query(sql, params);
  }

  // Jobs left `running` by a process that has ended: a running import holds its job's advisory lock in its
  // transaction (ImportService), which PostgreSQL releases when the session ends, so a `running` job whose lock
  // can be taken has no importer. Jobs of imports still running, here or in another app process on the same
  // database, keep their lock and are left alone. Returns the ids marked failed.
  async sweepInterrupted(): Promise<string[]> {
    // A SELECT around the UPDATE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
    const rows: { id: string }[] = await this.query(
      'system',
      `WITH swept AS (
         UPDATE imports SET state = 'failed', error_code = 'IMP-INTERRUPTED', error = $2, updated_at = now(),
           finished_at = now()
         WHERE id IN (SELECT id FROM imports WHERE state = 'running')
           AND pg_try_advisory_xact_lock($1, hashtext(id::text))
         RETURNING id)
       SELECT id FROM swept ORDER BY id`,
      [IMPORT_LOCK_SPACE, INTERRUPTED_MESSAGE],
    );
    return rows.map((r) => r.id);
  }

  async reject(id: string, rows: RejectedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      'system',
      `INSERT INTO import_rejections (import_id, line, crime_reference, force_id, codes, message)
       SELECT $1, line, ref, force, string_to_array(codes, ';'), message
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS r(line, ref, force, codes, message)
       ON CONFLICT DO NOTHING`,
      [
        id,
        rows.map((r) => r.line),
        rows.map((r) => r.crimeReference),
        rows.map((r) => r.forceId),
        rows.map((r) => r.problems.map((p) => p.code).join(';')),
        rows.map((r) => r.problems.map((p) => p.message).join('; ')),
      ],
    );
  }

  async get(id: string, reader: ImportReader): Promise<ImportJobView | undefined> {
    const rows = await this.query<JobRow[]>(reader, `SELECT * FROM imports WHERE id = $1`, [id]);
    return rows[0] ? view(rows[0]) : undefined;
  }

  // Newest first, keyset-paged on (created_at, id). The visibility rule is the one ImportReports.visibleJob applies.
  async list(v: {
    userId: string;
    forces: string[] | 'all';
    state?: ImportState;
    before?: [string, string];
    limit: number;
  }): Promise<ImportJobView[]> {
    const rows = await this.query<JobRow[]>(
      v,
      `SELECT * FROM imports
       WHERE ($2::text[] IS NULL OR created_by = $1
              OR (NOT '*' = ANY (scope) AND scope <@ $2::text[])
              OR ('*' = ANY (scope) AND cardinality(forces) > 0 AND forces <@ $2::text[]))
         AND ($3::text IS NULL OR state = $3)
         AND ($4::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) < ($4, $5::uuid))
       -- milliseconds: the cursor carries a JavaScript date, so the page edge must compare at that precision
       ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC
       LIMIT $6`,
      [
        v.userId,
        v.forces === 'all' ? null : v.forces,
        v.state ?? null,
        v.before?.[0] ?? null,
        v.before?.[1] ?? null,
        v.limit,
      ],
    );
    return rows.map(view);
  }

  async rejections(
    id: string,
    afterLine: number,
    limit: number,
    reader: ImportReader,
  ): Promise<RejectionView[]> {
    const rows: {
      line: number;
      crime_reference: string | null;
      force_id: string | null;
      codes: string[];
      message: string;
    }[] = await this.query(
      reader,
      `SELECT line, crime_reference, force_id, codes, message FROM import_rejections WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
      [id, afterLine, limit],
    );
    return rows.map((r) => ({
      line: r.line,
      crimeReference: r.crime_reference,
      forceId: r.force_id,
      codes: r.codes,
      message: r.message,
    }));
  }
}
