import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import { Crime } from './crime.entity.js';
import { CrimeHistory } from './crime-history.entity.js';
import { toView } from './crime.mapper.js';
import { CrimeStore } from './crime-store.js';
import type { CrimeListQuery, CrimePage, CrimeView } from './crime.types.js';

export interface HistoryEntryView {
  version: number;
  action: CrimeHistory['action'];
  reason: string | null;
  changes: CrimeHistory['changes'];
  changedAt: Date;
  changedBy: string;
}

// Reads, always scoped to the caller's forces.
@Injectable()
export class CrimeQueryService {
  constructor(
    private readonly ds: DataSource,
    private readonly store: CrimeStore,
  ) {}

  async get(actor: Actor, id: string): Promise<CrimeView> {
    return toView(await this.find(actor, id));
  }

  async list(actor: Actor, q: CrimeListQuery): Promise<CrimePage> {
    if (q.forceId !== undefined && !canAccessForce(actor, q.forceId)) {
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to read crimes of force ${q.forceId}`);
    }
    const qb = this.store.scoped(this.ds.getRepository(Crime).createQueryBuilder('c'), actor);
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

  async history(actor: Actor, id: string): Promise<HistoryEntryView[]> {
    const crime = await this.find(actor, id);
    const rows = await this.ds.getRepository(CrimeHistory).find({
      where: { forceId: crime.forceId, crimeId: crime.id },
      order: { version: 'ASC' },
    });
    return rows.map(({ version, action, reason, changes, changedAt, changedBy }) => ({
      version, action, reason, changes, changedAt, changedBy,
    }));
  }

  private async find(actor: Actor, id: string): Promise<Crime> {
    const qb = this.ds.getRepository(Crime).createQueryBuilder('c').where('c.id = :id', { id });
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
