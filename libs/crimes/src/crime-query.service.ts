import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { Actor, RequestContext } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import { decodeKeysetCursor, DomainError, encodeKeysetCursor, ScopedDb } from '#libs/persistence';
import { Crime } from './crime.entity.js';
import { CrimeHistory } from './crime-history.entity.js';
import { toView } from './crime.mapper.js';
import { CrimeStore } from './crime-store.js';
import { derivedCreationChanges } from './derived-creation.js';
import type { CrimeListQuery, CrimePage, CrimeView } from './crime.types.js';

export interface HistoryEntryView {
  version: number;
  action: CrimeHistory['action'];
  reason: string | null;
  changes: CrimeHistory['changes'];
  changedAt: Date;
  changedBy: string;
}

// Reads, always scoped to the caller's forces (query filter and row-level security), and logged as consultations.
const DEFAULT_PAGE = 50;

@Injectable()
export class CrimeQueryService {
  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly log: AccessLogService,
  ) {}

  get(ctx: RequestContext, id: string): Promise<CrimeView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const crime = await this.find(em, ctx.actor, id);
      await this.log.record(em, this.store.entry(ctx, 'consultation', crime));
      return toView(crime);
    });
  }

  list(ctx: RequestContext, q: CrimeListQuery): Promise<CrimePage> {
    const actor = ctx.actor;
    if (q.forceId !== undefined && !canAccessForce(actor, q.forceId)) {
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to read crimes of force ${q.forceId}`);
    }
    return this.db.run(actor.forces, async (em) => {
      const page = await this.page(em, actor, q);
      // A list query is logged as the query and its size, not row by row (DPA 2018 s.62 consultation).
      const { cursor: _cursor, ...filters } = q;
      await this.log.record(em, {
        userId: actor.userId,
        action: 'consultation',
        forceIds: q.forceId
          ? [q.forceId]
          : actor.forces === 'all'
            ? [...new Set(page.items.map((c) => c.forceId))]
            : actor.forces,
        route: ctx.route,
        purpose: ctx.purpose,
        query: { ...filters, page: q.cursor ? 'next' : 'first' },
        recordCount: page.items.length,
        requestId: ctx.requestId,
      });
      return page;
    });
  }

  private async page(em: EntityManager, actor: Actor, q: CrimeListQuery): Promise<CrimePage> {
    const qb = this.store.scoped(em.getRepository(Crime).createQueryBuilder('c'), actor);
    if (q.forceId !== undefined) qb.andWhere('c.force_id = :forceId', { forceId: q.forceId });
    if (q.financialYear !== undefined)
      qb.andWhere('c.financial_year = :fy', { fy: q.financialYear });
    if (q.offenceCode !== undefined) qb.andWhere('c.offence_code = :code', { code: q.offenceCode });
    if (q.onlineFlag !== undefined) qb.andWhere('c.online_flag = :flag', { flag: q.onlineFlag });
    if (q.status !== undefined) qb.andWhere('c.status = :status', { status: q.status });
    if (q.reference !== undefined) qb.andWhere('c.crime_reference = :ref', { ref: q.reference });
    if (q.referencePrefix !== undefined) {
      qb.andWhere('starts_with(c.crime_reference, :prefix)', { prefix: q.referencePrefix });
      // Where text sorts by code point, the prefix is one range of uq_crimes_reference (force_id, crime_reference):
      // an index range scan. Under a linguistic collation it is not a contiguous range, so only the exact filter runs.
      if (await this.codePointOrder(em)) {
        qb.andWhere('c.crime_reference >= :prefix AND c.crime_reference < :prefixEnd', {
          prefixEnd: prefixEnd(q.referencePrefix),
        });
      }
    }
    if (q.cursor !== undefined) {
      const [recordedAt, id] = decodeKeysetCursor(q.cursor);
      qb.andWhere('(c.recorded_at, c.id) < (:cRecordedAt, :cId)', {
        cRecordedAt: recordedAt,
        cId: id,
      });
    }
    const limit = q.limit ?? DEFAULT_PAGE;
    const rows = await qb
      .orderBy('c.recorded_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeKeysetCursor(last.recordedAt, last.id) : null;
    return { items: items.map(toView), nextCursor };
  }

  // GET /crimes/by-reference/:force/:reference: the record, or 404. Asking about a force outside the caller's
  // scope answers 403, as listing it does (it says nothing about whether the reference exists).
  byReference(ctx: RequestContext, forceId: string, reference: string): Promise<CrimeView> {
    if (!canAccessForce(ctx.actor, forceId)) {
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to read crimes of force ${forceId}`);
    }
    return this.db.run(ctx.actor.forces, async (em) => {
      const crime = await em.getRepository(Crime).findOneBy({ forceId, crimeReference: reference });
      if (!crime) throw new DomainError('NOT_FOUND', `no crime ${reference} in ${forceId}`);
      await this.log.record(em, this.store.entry(ctx, 'consultation', crime));
      return toView(crime);
    });
  }

  // The records the caller created or changed most recently (a home page's "your recent work"), logged as a list.
  recentWork(ctx: RequestContext, limit: number): Promise<CrimeView[]> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const qb = this.store
        .scoped(em.getRepository(Crime).createQueryBuilder('c'), ctx.actor)
        .andWhere('c.updated_by = :me', { me: ctx.actor.userId });
      const rows = await qb.orderBy('c.updated_at', 'DESC').limit(limit).getMany();
      await this.log.record(em, {
        userId: ctx.actor.userId,
        action: 'consultation',
        forceIds: [...new Set(rows.map((c) => c.forceId))],
        route: ctx.route,
        purpose: ctx.purpose,
        query: { recentWorkOf: ctx.actor.userId },
        recordCount: rows.length,
        requestId: ctx.requestId,
      });
      return rows.map(toView);
    });
  }

  private collation?: Promise<boolean>;
  private codePointOrder(em: EntityManager): Promise<boolean> {
    this.collation ??= em
      .query(
        `SELECT datcollate, datlocprovider FROM pg_database WHERE datname = current_database()`,
      )
      .then(
        (rows: { datcollate: string; datlocprovider: string }[]) =>
          rows[0] !== undefined &&
          rows[0].datlocprovider !== 'i' &&
          /^(C|POSIX|C\.UTF-?8)$/i.test(rows[0].datcollate),
      );
    return this.collation;
  }

  history(ctx: RequestContext, id: string): Promise<HistoryEntryView[]> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const crime = await this.find(em, ctx.actor, id);
      const rows = await em.getRepository(CrimeHistory).find({
        where: { forceId: crime.forceId, crimeId: crime.id },
        order: { version: 'ASC' },
      });
      await this.log.record(em, this.store.entry(ctx, 'consultation', crime));
      const entries: HistoryEntryView[] = rows.map(
        ({ version, action, reason, changes, changedAt, changedBy }) => ({
          version,
          action,
          reason,
          changes,
          changedAt,
          changedBy,
        }),
      );
      if (entries[0]?.version === 1) return entries;
      // Created by a bulk import: the first version is derived from the record and its later changes.
      const created: HistoryEntryView = {
        version: 1,
        action: 'created',
        reason: crime.importId ? `import ${crime.importId}` : null,
        changes: derivedCreationChanges(crime, rows),
        changedAt: crime.createdAt,
        changedBy: crime.createdBy,
      };
      return [created, ...entries];
    });
  }

  private find(em: EntityManager, actor: Actor, id: string): Promise<Crime> {
    return this.store.find(em, actor, id);
  }
}

// The least string greater than every string starting with p, in code-point order.
function prefixEnd(p: string): string {
  return p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);
}
