import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { parseFlagYear } from '#libs/recording-rules';
import { accessEntry, forcesFor, scopeList } from '../audit-context.js';
import { AUDITING_CONFIG, type AuditingConfig } from '../auditing-config.js';
import { toCsv, type CsvValue } from '#libs/csv';
import {
  findReviewItem,
  insertManualItem,
  listReviewItems,
  refreshReviewItems,
  updateReviewItem,
  type RefreshRow,
  type ReviewReason,
  type ReviewStatus,
} from './review-items.query.js';
import {
  REVIEW_CSV_HEADER,
  reviewCsvRow,
  toReviewItemView,
  type ReviewItemView,
  type ReviewPage,
} from './review-item.view.js';

export interface ReviewQueueFilter {
  forceId?: string;
  status?: ReviewStatus;
  reason?: ReviewReason;
  year?: string;
  // The username that added the item (by hand, or by refreshing the queue from the rules).
  addedBy?: string;
}

export interface RefreshResult {
  forces: string[] | 'all';
  year: string;
  lateFlagChangeDays: number;
  byReason: RefreshRow[];
  found: number;
  added: number;
}

// Statuses a reviewer sets by hand; 'corrected' is set only by the correction path (the record changed).
export type ReviewDecision = Exclude<ReviewStatus, 'corrected'>;

const EXPORT_PAGE = 5000;

// The review queue (issue 7 §3). Reads and writes run in the caller's scope (RLS too) and are logged
// with purpose 'audit'. Another force's item answers 404; asking for another force answers 403.
@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    @Inject(AUDITING_CONFIG) private readonly config: AuditingConfig,
  ) {}

  async refresh(
    ctx: RequestContext,
    q: { forceId?: string; year: string },
  ): Promise<RefreshResult> {
    const year = parseFlagYear(q.year);
    const forceIds = forcesFor(ctx.actor, q.forceId);
    const lateDays = this.config.lateFlagChangeDays;
    const byReason = await this.db.run(ctx.actor.forces, async (em) => {
      const rows = await refreshReviewItems(em, { forceIds, year, lateDays, by: ctx.actor.userId });
      await this.log.record(
        em,
        accessEntry(ctx, 'consultation', forceIds ?? [], {
          query: { forceId: q.forceId ?? null, year: q.year, lateFlagChangeDays: lateDays },
          recordCount: rows.reduce((n, r) => n + r.found, 0),
        }),
      );
      return rows;
    });
    return {
      forces: forceIds ?? 'all',
      year: q.year,
      lateFlagChangeDays: lateDays,
      byReason,
      found: byReason.reduce((n, r) => n + r.found, 0),
      added: byReason.reduce((n, r) => n + r.added, 0),
    };
  }

  // No cap on the queue: every item is reachable page by page (keyset on insertion order).
  list(
    ctx: RequestContext,
    f: ReviewQueueFilter & { limit?: number; cursor?: string },
  ): Promise<ReviewPage> {
    const filter = this.filter(ctx, f);
    const afterSeq = f.cursor === undefined ? null : decodeCursor(f.cursor);
    return this.db.run(ctx.actor.forces, async (em) => {
      const limit = f.limit ?? 100;
      const rows = await listReviewItems(em, { ...filter, afterSeq, limit: limit + 1 });
      const page = rows.slice(0, limit);
      await this.log.record(
        em,
        accessEntry(ctx, 'consultation', filter.forceIds ?? forcesOf(page), {
          query: { ...describe(f), page: f.cursor ? 'next' : 'first' },
          recordCount: page.length,
        }),
      );
      const last = page.at(-1);
      return {
        items: page.map(toReviewItemView),
        nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
      };
    });
  }

  // The whole filtered queue as CSV, read in one transaction (a consistent snapshot); a disclosure.
  exportCsv(ctx: RequestContext, f: ReviewQueueFilter): Promise<string> {
    const filter = this.filter(ctx, f);
    return this.db.run(ctx.actor.forces, async (em) => {
      const lines: CsvValue[][] = [];
      let afterSeq: string | null = null;
      for (;;) {
        const rows = await listReviewItems(em, { ...filter, afterSeq, limit: EXPORT_PAGE });
        lines.push(...rows.map(reviewCsvRow));
        if (rows.length < EXPORT_PAGE) break;
        afterSeq = rows[rows.length - 1].seq;
      }
      await this.log.record(
        em,
        accessEntry(ctx, 'disclosure', filter.forceIds ?? [], {
          query: { ...describe(f), format: 'csv' },
          recordCount: lines.length,
        }),
      );
      return toCsv(REVIEW_CSV_HEADER, lines);
    });
  }

  // One item, for its page in the browser (logged as every read of it).
  get(ctx: RequestContext, id: string): Promise<ReviewItemView> {
    return this.db.run(ctx.actor.forces, (em) => this.loggedView(em, ctx, id));
  }

  // An auditor adds a record by hand, with a note saying why.
  add(ctx: RequestContext, input: { crimeId: string; note: string }): Promise<ReviewItemView> {
    const scope = ctx.actor.forces;
    return this.db.run(scope, async (em) => {
      const forceId = await this.crimeForce(em, scope, input.crimeId);
      const id = await insertManualItem(em, {
        forceId,
        crimeId: input.crimeId,
        note: input.note,
        by: ctx.actor.userId,
      });
      if (id === null) {
        throw new DomainError(
          'DUPLICATE_REFERENCE',
          `crime ${input.crimeId} is already in the review queue as added by an auditor`,
        );
      }
      return this.loggedView(em, ctx, id);
    });
  }

  review(
    ctx: RequestContext,
    id: string,
    input: { version: number; status: ReviewDecision; note: string },
  ): Promise<ReviewItemView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const item = await findReviewItem(em, id, scopeList(ctx.actor.forces), true);
      if (!item) throw new DomainError('NOT_FOUND', `review item ${id} not found`);
      if (item.status === 'corrected') {
        throw new DomainError(
          'INVALID_TRANSITION',
          'the record was corrected through this item: its review is final',
        );
      }
      assertVersion(item.version, input.version, id);
      await updateReviewItem(
        em,
        { forceId: item.force_id, id, version: item.version },
        {
          status: input.status,
          note: input.note,
          by: ctx.actor.userId,
          correctedVersion: null,
        },
      );
      return this.loggedView(em, ctx, id);
    });
  }

  private async loggedView(
    em: EntityManager,
    ctx: RequestContext,
    id: string,
  ): Promise<ReviewItemView> {
    const row = await findReviewItem(em, id, scopeList(ctx.actor.forces));
    if (!row) throw new DomainError('NOT_FOUND', `review item ${id} not found`);
    await this.log.record(
      em,
      accessEntry(ctx, 'consultation', [row.force_id], {
        recordIds: [row.crime_id],
        recordCount: 1,
      }),
    );
    return toReviewItemView(row);
  }

  private async crimeForce(
    em: EntityManager,
    scope: readonly string[] | 'all',
    crimeId: string,
  ): Promise<string> {
    const rows: { force_id: string }[] = await em.query(
      `SELECT force_id FROM crimes WHERE id = $1 AND force_id = ANY (COALESCE($2::text[], ARRAY(SELECT f.id FROM forces f)))`,
      [crimeId, scopeList(scope)],
    );
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `crime ${crimeId} not found`);
    return rows[0].force_id;
  }

  private filter(ctx: RequestContext, f: ReviewQueueFilter) {
    return {
      forceIds: forcesFor(ctx.actor, f.forceId),
      status: f.status ?? null,
      reason: f.reason ?? null,
      year: f.year === undefined ? null : parseFlagYear(f.year),
      addedBy: f.addedBy ?? null,
    };
  }
}

export function assertVersion(current: number, given: number, id: string): void {
  if (current !== given) {
    throw new DomainError(
      'VERSION_CONFLICT',
      `review item ${id} is at version ${current}, not ${given}: reload and retry`,
      {
        currentVersion: current,
      },
    );
  }
}

function forcesOf(items: readonly { force_id: string }[]): string[] {
  return [...new Set(items.map((i) => i.force_id))];
}

function describe(f: ReviewQueueFilter): Record<string, unknown> {
  return {
    forceId: f.forceId ?? null,
    status: f.status ?? null,
    reason: f.reason ?? null,
    year: f.year ?? null,
    addedBy: f.addedBy ?? null,
  };
}

// The cursor is the last item's insertion sequence, opaque to clients.
function encodeCursor(seq: string): string {
  return Buffer.from(`rq:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const m = /^rq:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new DomainError('INVALID_INPUT', 'cursor is not valid');
  return m[1];
}
