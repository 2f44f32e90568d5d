import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AccessAction, AccessEntry } from '#libs/access-log';
import type { Actor, RequestContext } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import { Crime } from './crime.entity.js';
import type { FieldChanges, HistoryAction } from './crime-history.entity.js';

// Scoped reads and versioned writes shared by the crime use cases. Every write appends history
// in the same transaction (the caller's EntityManager).
@Injectable()
export class CrimeStore {
  scoped(qb: SelectQueryBuilder<Crime>, actor: Actor, alias = 'c'): SelectQueryBuilder<Crime> {
    return actor.forces === 'all'
      ? qb
      : qb.andWhere(`${alias}.force_id = ANY(:scopeForces)`, { scopeForces: actor.forces });
  }

  // Another force's record answers 404, not 403, so that its existence does not leak.
  async lockForChange(
    em: EntityManager,
    actor: Actor,
    id: string,
    version: number,
  ): Promise<Crime> {
    const qb = em
      .getRepository(Crime)
      .createQueryBuilder('c')
      .where('c.id = :id', { id })
      .setLock('pessimistic_write');
    const crime = await this.scoped(qb, actor).getOne();
    if (!crime) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    if (crime.version !== version) {
      throw new DomainError(
        'VERSION_CONFLICT',
        `crime ${id} is at version ${crime.version}, not ${version}: reload and retry`,
        {
          currentVersion: crime.version,
        },
      );
    }
    return crime;
  }

  // A scoped read by id; another force's record answers 404.
  async find(em: EntityManager, actor: Actor, id: string): Promise<Crime> {
    const qb = em.getRepository(Crime).createQueryBuilder('c').where('c.id = :id', { id });
    const crime = await this.scoped(qb, actor).getOne();
    if (!crime) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    return crime;
  }

  entry(
    ctx: RequestContext,
    action: AccessAction,
    crime: Crime,
    alsoForces: string[] = [],
  ): AccessEntry {
    return {
      userId: ctx.actor.userId,
      action,
      forceIds: [crime.forceId, ...alsoForces],
      route: ctx.route,
      purpose: ctx.purpose,
      recordIds: [crime.id],
      recordCount: 1,
      requestId: ctx.requestId,
    };
  }

  assertForce(actor: Actor, forceId: string): void {
    if (!canAccessForce(actor, forceId)) {
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to record crimes for force ${forceId}`);
    }
  }

  async insert(
    em: EntityManager,
    crime: Partial<Crime>,
    actor: Actor,
    changes: FieldChanges,
  ): Promise<Crime> {
    const rows = await em
      .createQueryBuilder()
      .insert()
      .into(Crime)
      .values({ ...crime, createdBy: actor.userId, updatedBy: actor.userId, version: 1 })
      .returning('id')
      .execute();
    const id = (rows.raw as { id: string }[])[0].id;
    const saved = await em.getRepository(Crime).findOneByOrFail({ forceId: crime.forceId, id });
    await this.appendHistory(em, saved, actor, 'created', null, changes);
    return saved;
  }

  async update(
    em: EntityManager,
    before: Crime,
    patch: Partial<Crime>,
    actor: Actor,
    action: HistoryAction,
    reason: string | null,
    changes: FieldChanges,
  ): Promise<Crime> {
    await em
      .createQueryBuilder()
      .update(Crime)
      .set({
        ...patch,
        version: before.version + 1,
        updatedBy: actor.userId,
        updatedAt: () => 'now()',
      })
      .where('force_id = :forceId AND id = :id', { forceId: before.forceId, id: before.id })
      .execute();
    const after = await em
      .getRepository(Crime)
      .findOneByOrFail({ forceId: before.forceId, id: before.id });
    await this.appendHistory(em, after, actor, action, reason, changes);
    return after;
  }

  private async appendHistory(
    em: EntityManager,
    crime: Crime,
    actor: Actor,
    action: HistoryAction,
    reason: string | null,
    changes: FieldChanges,
  ): Promise<void> {
    await em.query(
      `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        crime.forceId,
        crime.id,
        crime.version,
        action,
        reason,
        JSON.stringify(changes),
        actor.userId,
      ],
    );
  }
}

// old -> new for every field whose value differs (dates and arrays compared by value).
export function diff<T extends object>(
  before: T,
  after: Partial<T>,
  fields: readonly (keyof T)[],
): FieldChanges {
  const out: FieldChanges = {};
  for (const f of fields) {
    if (!(f in after)) continue;
    const o = normalise(before[f]);
    const n = normalise(after[f]);
    if (JSON.stringify(o) !== JSON.stringify(n)) out[String(f)] = { old: o, new: n };
  }
  return out;
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return [...(v as unknown[])].sort();
  return v ?? null;
}
