import type { MigrationInterface, QueryRunner } from 'typeorm';

// Bulk imports: one row per import (status, progress, counts) and its rejected-row report.
// Imports are jobs, not records: their rows can span forces (a national load), so they are keyed by import id,
// and the service shows an import only to its creator and to callers whose scope covers all its forces.
export class CreateImports1780000006000 implements MigrationInterface {
  name = 'CreateImports1780000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid NOT NULL CONSTRAINT pk_imports PRIMARY KEY,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        scope text[] NOT NULL,
        format text NOT NULL CONSTRAINT ck_imports_format CHECK (format IN ('csv', 'ndjson')),
        mode text NOT NULL CONSTRAINT ck_imports_mode CHECK (mode IN ('dry_run', 'all_or_nothing', 'accept_valid')),
        state text NOT NULL CONSTRAINT ck_imports_state CHECK (state IN ('running', 'completed', 'rejected', 'failed')),
        file_name text,
        rows_read integer NOT NULL DEFAULT 0,
        rows_accepted integer NOT NULL DEFAULT 0,
        rows_rejected integer NOT NULL DEFAULT 0,
        rows_inserted integer NOT NULL DEFAULT 0,
        rows_amended integer NOT NULL DEFAULT 0,
        rows_unchanged integer NOT NULL DEFAULT 0,
        forces text[] NOT NULL DEFAULT '{}',
        error_code text,
        error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_imports_created_by ON imports (created_by, created_at)`);
    await q.query(`
      CREATE TABLE import_rejections (
        import_id uuid NOT NULL CONSTRAINT fk_import_rejections_import REFERENCES imports (id),
        line integer NOT NULL,
        crime_reference text,
        force_id text,
        codes text[] NOT NULL,
        message text NOT NULL,
        CONSTRAINT pk_import_rejections PRIMARY KEY (import_id, line)
      )`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON imports TO cyberflag_app`);
    await q.query(`GRANT SELECT, INSERT ON import_rejections TO cyberflag_app`);
    // Set-based merges write many history rows at once; the app role needs TEMP for its staging table.
    await q.query(
      `DO $$ BEGIN EXECUTE format('GRANT TEMP ON DATABASE %I TO cyberflag_app', current_database()); END $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_rejections`);
    await q.query(`DROP TABLE imports`);
  }
}
