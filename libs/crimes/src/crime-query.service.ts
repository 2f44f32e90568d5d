import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { Actor, RequestContext } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
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
        forceIds: q.forceId ? [q.forceId] : actor.forces === 'all' ? [...new Set(page.items.map((c) => c.forceId))] : actor.forces,
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
    if (q.financialYear !== undefined) qb.andWhere('c.financial_year = :fy', { fy: q.financialYear });
    if (q.offenceCode !== undefined) qb.andWhere('c.offence_code = :code', { code: q.offenceCode });
    if (q.onlineFlag !== undefined) qb.andWhere('c.online_flag = :flag', { flag: q.onlineFlag });
    if (q.status !== undefined) qb.andWhere('c.status = :status', { status: q.status });
    if (q.cursor !== undefined) {
      const [recordedAt, id] = decodeCursor(q.cursor);
      qb.andWhere('(c.recorded_at, c.id) < (:cRecordedAt, :cId)', { cRecordedAt: recordedAt, cId: id });
    }
    const rows = await qb.orderBy('c.recorded_at', 'DESC').addOrderBy('c.id', 'DESC').limit(q.limit + 1).getMany();
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    const nextCursor = rows.length > q.limit && last ? encodeCursor(last) : null;
    return { items: items.map(toView), nextCursor };
  }

  history(ctx: RequestContext, id: string): Promise<HistoryEntryView[]> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const crime = await this.find(em, ctx.actor, id);
      const rows = await em.getRepository(CrimeHistory).find({
        where: { forceId: crime.forceId, crimeId: crime.id },
        order: { version: 'ASC' },
      });
      await this.log.record(em, this.store.entry(ctx, 'consultation', crime));
      const entries: HistoryEntryView[] = rows.map(({ version, action, reason, changes, changedAt, changedBy }) => ({
        version, action, reason, changes, changedAt, changedBy,
      }));
      if (entries[0]?.version === 1) return entries;
      // Created by a bulk import: the first version is derived from the record and its later changes.
      const created: HistoryEntryView = {
        version: 1, action: 'created', reason: crime.importId ? `import ${crime.importId}` : null,
        changes: derivedCreationChanges(crime, rows), changedAt: crime.createdAt, changedBy: crime.createdBy,
      };
      return [created, ...entries];
    });
  }

  private async find(em: EntityManager, actor: Actor, id: string): Promise<Crime> {
    const qb = em.getRepository(Crime).createQueryBuilder('c').where('c.id = :id', { id });
    const crime = await this.store.scoped(qb, actor).getOne();
    if (!crime) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    return crime;
  }
}

function encodeCursor(c: Crime): string {
  return Buffer.from(JSON.stringify([c.recordedAt.toISOString(), c.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
      && !Number.isNaN(Date.parse(v[0])) && /^[0-9a-f-]{36}$/i.test(v[1])) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through to the coded error
  }
  throw new DomainError('INVALID_INPUT', 'cursor is not valid');
}
