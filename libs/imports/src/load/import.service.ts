import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type QueryRunner } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import { DomainError, scopeSetting } from '#libs/persistence';
import { RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';
import { ImportFileError } from '../import-error.js';
import { parseCrimeBatches, type ImportFormat, type ImportInput } from '../parse-stream.js';
import { ImportValidator, type AcceptedRow, type RejectedRow } from '../validate-batch.js';
import { ImportJobs, type ImportCounts, type ImportJobView, type ImportMode } from './import-jobs.js';
import * as sql from './merge.sql.js';
import { COPY_STAGE_SQL, CREATE_STAGE_SQL, stageLine } from './staging.js';

export interface ImportOptions {
  id?: string; // a caller-chosen id, so it can poll progress while the upload runs
  format: ImportFormat;
  mode: ImportMode;
  fileName?: string | null;
  onProgress?: (c: Readonly<ImportCounts>) => void;
}

const PROGRESS_EVERY_MS = 500;

// stream parse -> validate in batches -> COPY into a staging table -> set-based merge, all in ONE transaction:
// a failure, a rejected all-or-nothing import, a dry run or a killed process leaves no rows from the import.
@Injectable()
export class ImportService {
  constructor(
    private readonly ds: DataSource,
    private readonly jobs: ImportJobs,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
  ) {}

  async run(rc: RequestContext, input: ImportInput, opts: ImportOptions): Promise<ImportJobView> {
    const id = opts.id ?? randomUUID();
    const scope = rc.actor.forces;
    const counts: ImportCounts = { read: 0, accepted: 0, rejected: 0, inserted: 0, amended: 0, unchanged: 0 };
    await this.jobs.start({ id, createdBy: rc.actor.userId, scope: scope === 'all' ? ['*'] : [...scope], format: opts.format, mode: opts.mode, fileName: opts.fileName ?? null });
    const qr = this.ds.createQueryRunner();
    let forces: string[] = [];
    try {
      const client = (await qr.connect()) as PoolClient;
      await qr.startTransaction();
      await qr.query(`SELECT set_config('cyberflag.forces', $1, true)`, [scopeSetting(scope)]);
      await qr.query(CREATE_STAGE_SQL);
      await pipeline(Readable.from(this.stageLines(id, input, opts, counts, new ImportValidator(this.rules, { forces: scope }))), client.query(copyFrom(COPY_STAGE_SQL)));
      if (counts.rejected === 0 || opts.mode !== 'all_or_nothing') await this.dropStateConflicts(qr, id, opts.mode, counts);
      if (counts.rejected > 0 && opts.mode === 'all_or_nothing') {
        await qr.rollbackTransaction();
        await this.jobs.finish(id, 'rejected', counts, []);
        const view = await this.view(id);
        throw new DomainError('RULE_VIOLATION', `import rejected: ${counts.rejected} of ${counts.read} rows failed; nothing was loaded`, { import: view });
      }
      forces = await this.merge(qr, rc, id, counts);
      if (opts.mode === 'dry_run') await qr.rollbackTransaction();
      else await qr.commitTransaction();
      await this.jobs.finish(id, 'completed', counts, forces);
      return this.view(id);
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      if (e instanceof DomainError) throw e;
      const error = e instanceof ImportFileError ? { code: e.code, message: e.message } : { code: 'IMP-FAILED', message: 'the import failed; nothing was loaded' };
      await this.jobs.finish(id, 'failed', counts, [], error);
      if (e instanceof ImportFileError) throw new DomainError('INVALID_INPUT', e.message, { code: e.code, import: await this.view(id) });
      throw e;
    } finally {
      await qr.release();
    }
  }

  private async *stageLines(id: string, input: ImportInput, opts: ImportOptions, counts: ImportCounts, validator: ImportValidator): AsyncGenerator<string> {
    let last = 0;
    for await (const batch of parseCrimeBatches(input, opts.format)) {
      const verdicts = validator.validate(batch);
      const rejected = verdicts.filter((v): v is RejectedRow => v.status === 'rejected');
      const accepted = verdicts.filter((v): v is AcceptedRow => v.status === 'accepted');
      counts.read += batch.length;
      counts.accepted += accepted.length;
      counts.rejected += rejected.length;
      await this.jobs.reject(id, rejected);
      // All-or-nothing: after the first bad row keep validating (the report lists every bad row), stop staging.
      if (accepted.length > 0 && !(opts.mode === 'all_or_nothing' && counts.rejected > 0)) yield accepted.map(stageLine).join('');
      if (Date.now() - last > PROGRESS_EVERY_MS) {
        last = Date.now();
        await this.jobs.progress(id, counts);
        opts.onProgress?.(counts);
      }
    }
    opts.onProgress?.(counts);
  }

  // Rows that would rewrite a cancelled/transferred record, or send a confirmed one back to draft.
  private async dropStateConflicts(qr: QueryRunner, id: string, mode: ImportMode, counts: ImportCounts): Promise<void> {
    await qr.query(sql.STAGE_INDEX_SQL);
    await qr.query('ANALYZE import_stage');
    const conflicts: { line: number; crime_reference: string; force_id: string; current_status: string; new_status: string }[] = await qr.query(sql.STATE_CONFLICTS_SQL);
    if (conflicts.length === 0) return;
    await this.jobs.reject(id, conflicts.map((c) => ({
      status: 'rejected' as const, line: c.line, crimeReference: c.crime_reference, forceId: c.force_id,
      problems: [c.current_status === 'confirmed'
        ? { code: 'IMP-STATE-002', message: 'a confirmed record cannot go back to draft' }
        : { code: 'IMP-STATE-001', message: `the record is ${c.current_status}; it cannot be changed` }],
    })));
    counts.rejected += conflicts.length;
    counts.accepted -= conflicts.length;
    if (mode !== 'all_or_nothing') await qr.query(sql.DROP_STAGE_LINES_SQL, [conflicts.map((c) => c.line)]);
  }

  private async merge(qr: QueryRunner, rc: RequestContext, id: string, counts: ImportCounts): Promise<string[]> {
    const reason = `import ${id}`;
    await qr.query(sql.CREATE_TOUCHED_SQL);
    await qr.query(sql.INSERT_NEW_SQL, [rc.actor.userId, reason]);
    await qr.query(sql.AMEND_EXISTING_SQL, [rc.actor.userId, reason]);
    const [t]: { inserted: number; amended: number; forces: string[] }[] = await qr.query(sql.TOUCHED_COUNTS_SQL);
    counts.inserted = t.inserted;
    counts.amended = t.amended;
    counts.unchanged = counts.accepted - t.inserted - t.amended;
    await qr.query(sql.LOG_TOUCHED_SQL, [rc.actor.userId, rc.route, rc.purpose ?? `import ${id}`, rc.requestId]);
    return t.forces;
  }

  async view(id: string): Promise<ImportJobView> {
    const job = await this.jobs.get(id);
    if (!job) throw new DomainError('NOT_FOUND', `import ${id} not found`);
    return job;
  }
}
