import { Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { decodeKeysetCursor, DomainError, encodeKeysetCursor, ScopedDb } from '#libs/persistence';
import { reportCsvLines } from '../report.js';
import {
  ImportJobs,
  importIdFor,
  type ImportJobView,
  type ImportState,
  type RejectionView,
} from './import-jobs.js';

export interface ImportPage {
  items: ImportJobView[];
  nextCursor: string | null;
}

// Who may see an import: its creator; a caller whose scope covers every force the import was allowed to touch;
// or, for an import allowed to touch any force, a caller whose scope covers every force it did touch (once it has
// finished: a force registrar sees the national loads into their forces). Others get 404, so imports of other
// forces do not reveal themselves.
@Injectable()
export class ImportReports {
  constructor(
    private readonly jobs: ImportJobs,
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
  ) {}

  // By its id, or by the X-Import-Id its creator chose (importIdFor), so an upload can be polled while it runs.
  async visibleJob(ctx: RequestContext, id: string): Promise<ImportJobView> {
    const { forces } = ctx.actor;
    const covers = (job: ImportJobView | undefined): job is ImportJobView =>
      !!job &&
      (job.createdBy === ctx.actor.userId ||
        forces === 'all' ||
        (!job.scope.includes('*') && job.scope.every((f) => forces.includes(f))) ||
        (job.scope.includes('*') &&
          job.forces.length > 0 &&
          job.forces.every((f) => forces.includes(f))));
    const reader = { userId: ctx.actor.userId, forces: ctx.actor.forces };
    const job = await this.jobs.get(id, reader);
    if (covers(job)) return job;
    const own = await this.jobs.get(importIdFor(ctx.actor.userId, id), reader);
    if (covers(own)) return own;
    throw new DomainError('NOT_FOUND', `import ${id} not found`);
  }

  // GET /imports: the imports the caller may see, newest first. Counts and states only: no record-level data.
  async list(
    ctx: RequestContext,
    q: { state?: ImportState; cursor?: string; limit: number },
  ): Promise<ImportPage> {
    const before = q.cursor === undefined ? undefined : decodeKeysetCursor(q.cursor);
    const rows = await this.jobs.list({
      userId: ctx.actor.userId,
      forces: ctx.actor.forces,
      state: q.state,
      before,
      limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > q.limit && last ? encodeKeysetCursor(last.createdAt, last.id) : null,
    };
  }

  // The report names crime references: reading it is a consultation of record-level data.
  async rejections(
    ctx: RequestContext,
    job: ImportJobView,
    afterLine: number,
    limit: number,
  ): Promise<RejectionView[]> {
    const rows = await this.jobs.rejections(job.id, afterLine, limit, {
      userId: ctx.actor.userId,
      forces: ctx.actor.forces,
    });
    if (rows.length > 0) await this.logRead(ctx, job, 'consultation', rows.length);
    return rows;
  }

  async *csv(ctx: RequestContext, job: ImportJobView): AsyncGenerator<string> {
    await this.logRead(ctx, job, 'disclosure', job.counts.rejected);
    yield* reportCsvLines(this.allRejections(ctx, job.id));
  }

  private async *allRejections(ctx: RequestContext, id: string): AsyncGenerator<RejectionView> {
    for (let after = 0; ;) {
      const page = await this.jobs.rejections(id, after, 5000, {
        userId: ctx.actor.userId,
        forces: ctx.actor.forces,
      });
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1].line;
    }
  }

  private logRead(
    ctx: RequestContext,
    job: ImportJobView,
    action: 'consultation' | 'disclosure',
    count: number,
  ): Promise<void> {
    return this.db.run(ctx.actor.forces, (em) =>
      this.log.record(em, {
        userId: ctx.actor.userId,
        action,
        forceIds: job.scope.includes('*') ? job.forces : job.scope,
        route: ctx.route,
        purpose: ctx.purpose,
        query: { importId: job.id, report: true },
        recordCount: count,
        requestId: ctx.requestId,
      }),
    );
  }
}
