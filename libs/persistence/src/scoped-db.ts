import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

export type ForceScope = readonly string[] | 'all';
export const APP_DB_ROLE = 'cyberflag_app';

// PostgreSQL's levels (READ UNCOMMITTED behaves as READ COMMITTED there, so it is not offered).
export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface ScopedRunOptions {
  // Default READ COMMITTED. REPEATABLE READ makes every query see the same moment (a return's snapshot).
  isolation?: IsolationLevel;
  // The acting user's id in cyberflag.user, for the policies that let a user see what they created (imports).
  user?: string;
}

// The transaction as runRaw hands it over: the query runner, its entity manager, and pg's own client for
// what TypeORM cannot do (COPY FROM STDIN). Work may ask for a rollback instead of a commit (a dry run).
export interface RawScopedTransaction {
  queryRunner: QueryRunner;
  em: EntityManager;
  client: PoolClient;
  rollbackOnly(): void;
}

// The ONE way to open a transaction on record-level data: its row-level-security scope is set first with
// SET LOCAL (set_config(..., true)), so it ends with the transaction and cannot leak to the next pool user.
@Injectable()
export class ScopedDb {
  constructor(private readonly ds: DataSource) {}

  run<T>(
    scope: ForceScope,
    work: (em: EntityManager) => Promise<T>,
    options: ScopedRunOptions = {},
  ): Promise<T> {
    const scoped = async (em: EntityManager) => {
      await setScope(em, scope, options.user);
      return work(em);
    };
    // The isolation level is set by BEGIN, before the first query; the scope is the first query.
    return options.isolation
      ? this.ds.transaction(options.isolation, scoped)
      : this.ds.transaction(scoped);
  }

  // The same transaction on one raw connection, for work that needs pg itself (COPY streams) or decides
  // at the end whether to keep what it did. Throwing rolls back; so does rollbackOnly().
  async runRaw<T>(
    scope: ForceScope,
    work: (tx: RawScopedTransaction) => Promise<T>,
    options: ScopedRunOptions = {},
  ): Promise<T> {
    const qr = this.ds.createQueryRunner();
    try {
      const client = (await qr.connect()) as PoolClient;
      await qr.startTransaction(options.isolation);
      await setScope(qr, scope, options.user);
      let rollback = false;
      const result = await work({
        queryRunner: qr,
        em: qr.manager,
        client,
        rollbackOnly: () => {
          rollback = true;
        },
      });
      if (rollback) await qr.rollbackTransaction();
      else await qr.commitTransaction();
      return result;
    } catch (e) {
      // A lost connection cannot roll back, and needs not (PostgreSQL rolls back when the session ends): the
      // work's own error is the one to report.
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.release();
    }
  }
}

function setScope(
  db: EntityManager | QueryRunner,
  scope: ForceScope,
  user: string | undefined,
): Promise<unknown> {
  return user === undefined
    ? db.query(`SELECT set_config('cyberflag.forces', $1, true)`, [scopeSetting(scope)])
    : db.query(
        `SELECT set_config('cyberflag.forces', $1, true), set_config('cyberflag.user', $2, true)`,
        [scopeSetting(scope), user],
      );
}

function scopeSetting(scope: ForceScope): string {
  if (scope === 'all') return '*';
  // Force ids are [a-z-] only; anything else would be a bug, so refuse rather than widen the scope.
  for (const f of scope)
    if (!/^[a-z][a-z-]*$/.test(f)) throw new Error(`invalid force id in scope: ${f}`);
  return scope.join(',');
}
