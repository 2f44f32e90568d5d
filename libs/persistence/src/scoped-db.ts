import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, QueryFailedError, type EntityManager, type QueryRunner } from 'typeorm';
import { unavailableReason } from './database-unavailable.js';
import { queryScopedMany } from './scoped-statement.js';

export type ForceScope = readonly string[] | 'all';
export const APP_DB_ROLE = 'cyberflag_app';

// A statement of runStatement(s). replan: a prepared statement that looks rows up in a table that grows (by key, or
// a range of an index) is planned for the table as it is at every run, not with a plan kept from its first runs.
// PostgreSQL may keep one generic plan for a prepared statement after five runs, costed on the tables as they were
// then, until an ANALYZE of them (which nothing guarantees: autovacuum can be off, as on this project's CI server,
// or behind a fast-growing table). An amendment first prepared while crimes was nearly empty kept a hash join
// over a sequential scan of the whole table: 28 ms an amendment at 100,000 records, and worse with every one
// (bench/README.md, "Sixteenth session"). Statements that only insert need not: their plan does not depend on
// any table's size, and planning a create's statement costs more than running it.
export interface ScopedStatementText {
  sql: string;
  params: unknown[];
  replan?: boolean;
}

// plan_cache_mode for the rest of the transaction, between the statements of one pipeline: PostgreSQL chooses a
// prepared statement's plan when it binds it, so each statement is planned in the mode set before it.
const PLAN_MODES = {
  replan: { sql: `SELECT set_config('plan_cache_mode', 'force_custom_plan', true)`, params: [] },
  keep: { sql: `SELECT set_config('plan_cache_mode', 'auto', true)`, params: [] },
} as const satisfies Record<string, ScopedStatementText>;
const isPlanMode = (st: ScopedStatementText) => st === PLAN_MODES.replan || st === PLAN_MODES.keep;

function withPlanModes(statements: readonly ScopedStatementText[]): readonly ScopedStatementText[] {
  if (!statements.some((st) => st.replan)) return statements;
  const out: ScopedStatementText[] = [];
  let replanning = false;
  for (const st of statements) {
    if (Boolean(st.replan) !== replanning) {
      replanning = !replanning;
      out.push(replanning ? PLAN_MODES.replan : PLAN_MODES.keep);
    }
    out.push(st);
  }
  return out;
}

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

  // As DataSource.transaction, but BEGIN and the scope go in one round trip (issue #21: each statement is a
  // socket write and a wake-up on both sides, and most requests are only three or four statements).
  async run<T>(
    scope: ForceScope,
    work: (em: EntityManager) => Promise<T>,
    options: ScopedRunOptions = {},
  ): Promise<T> {
    const setting = scopeSetting(scope);
    const qr = this.ds.createQueryRunner();
    return settle(qr, async () => {
      await begin(qr, setting, options.isolation, options.user);
      return { result: await work(qr.manager), rollback: false };
    });
  }

  // One statement in a scoped transaction of its own, in one round trip (scoped-statement.ts): for a request
  // that is a single statement (a read and its access-log entry, a write and its history and entry). Errors are
  // TypeORM's QueryFailedError with pg's error as driverError, as from EntityManager.query.
  // prepare: keep it prepared on its connection (scoped-statement.ts), for a statement whose best plan does not
  // depend on its values (a write, a read by id); not for searches and lists. replan: see ScopedStatementText.
  async runStatement<T>(
    scope: ForceScope,
    sql: string,
    params: unknown[],
    options: { prepare?: boolean; replan?: boolean } = {},
  ): Promise<T[]> {
    return (
      await this.pipeline<T>(scope, [{ sql, params, replan: options.replan }], options.prepare)
    )[0]!;
  }

  // Several statements in one scoped transaction of their own, in one round trip (scoped-statement.ts): each
  // one's rows, in order. If one fails, none is written. As runStatement otherwise.
  async runStatements<T>(
    scope: ForceScope,
    statements: readonly ScopedStatementText[],
    options: { prepare?: boolean } = {},
  ): Promise<T[][]> {
    return statements.length === 0 ? [] : this.pipeline<T>(scope, statements, options.prepare);
  }

  private async pipeline<T>(
    scope: ForceScope,
    statements: readonly ScopedStatementText[],
    prepare = false,
  ): Promise<T[][]> {
    const setting = scopeSetting(scope);
    const piped = prepare ? withPlanModes(statements) : statements; // unnamed: planned at every run anyway
    const qr = this.ds.createQueryRunner();
    try {
      const client = (await qr.connect()) as PoolClient;
      const results = await queryScopedMany<T>(
        client,
        setting,
        piped.map((st) => ({ text: st.sql, values: st.params })),
        prepare,
      ).catch((e: unknown) => {
        // A connection the server ended (57P01 at a restart, a terminated backend) is given back as ending, so
        // the pool drops it: its socket's end can arrive after the release, and the pool hands out the client
        // released last first, so the next request would meet the dead connection (a 503 for nothing).
        if (unavailableReason(e) === 'down') void client.end().catch(() => undefined);
        throw new QueryFailedError(
          statements.map((st) => st.sql).join(';\n'),
          statements.flatMap((st) => st.params),
          e as Error,
        );
      });
      return piped === statements ? results : results.filter((_, i) => !isPlanMode(piped[i]!));
    } finally {
      await qr.release();
    }
  }

  // The same transaction on one raw connection, for work that needs pg itself (COPY streams) or decides
  // at the end whether to keep what it did. Throwing rolls back; so does rollbackOnly().
  async runRaw<T>(
    scope: ForceScope,
    work: (tx: RawScopedTransaction) => Promise<T>,
    options: ScopedRunOptions = {},
  ): Promise<T> {
    const qr = this.ds.createQueryRunner();
    return settle(qr, async () => {
      const setting = scopeSetting(scope);
      const client = (await qr.connect()) as PoolClient;
      await begin(qr, setting, options.isolation, options.user);
      let rollback = false;
      const result = await work({
        queryRunner: qr,
        em: qr.manager,
        client,
        rollbackOnly: () => {
          rollback = true;
        },
      });
      return { result, rollback };
    });
  }
}

// The end of run's and runRaw's transaction: commit (or roll back when the work asked to), roll back on an
// error and always give the connection back. The work's error is the one to report, even if the rollback fails
// too (as DataSource.transaction): a lost connection cannot roll back, and needs not (PostgreSQL rolls back
// when the session ends).
async function settle<T>(
  qr: QueryRunner,
  body: () => Promise<{ result: T; rollback: boolean }>,
): Promise<T> {
  try {
    const { result, rollback } = await body();
    if (rollback) await qr.rollbackTransaction();
    else await qr.commitTransaction();
    return result;
  } catch (e) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw e;
  } finally {
    await qr.release();
  }
}

const ISOLATION_LEVELS: readonly string[] = ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'];

// START TRANSACTION and SET LOCAL of the scope as one simple query (one round trip; no parameters in that
// protocol, so the setting is written as a literal: scopeSetting() lets only [a-z,-] or '*' through, and the
// check below repeats it where the text meets the SQL). The query runner is then told what its own
// startTransaction would have recorded, so that commit, rollback and nested transactions (savepoints) work
// as before. (TypeORM's Before/AfterTransactionStart events are not broadcast; the app has no subscribers.)
async function begin(
  qr: QueryRunner,
  setting: string,
  isolation: IsolationLevel | undefined,
  user: string | undefined,
): Promise<void> {
  if (!/^(\*|[a-z,-]*)$/.test(setting)) throw new Error(`invalid scope setting: ${setting}`);
  if (isolation !== undefined && !ISOLATION_LEVELS.includes(isolation))
    throw new Error(`invalid isolation level: ${String(isolation)}`);
  try {
    await qr.query(
      `START TRANSACTION${isolation ? ` ISOLATION LEVEL ${isolation}` : ''}; ` +
        `SELECT set_config('cyberflag.forces', '${setting}', true)`,
    );
  } catch (e) {
    // Had BEGIN gone through, the connection must not go back to the pool inside a failed transaction.
    await qr.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  Object.assign(qr, { isTransactionActive: true, transactionDepth: 1 });
  // The acting user is free text, so it goes as a parameter, in a round trip of its own (imports only).
  if (user !== undefined) await qr.query(`SELECT set_config('cyberflag.user', $1, true)`, [user]);
}

function scopeSetting(scope: ForceScope): string {
  if (scope === 'all') return '*';
  // Force ids are [a-z-] only; anything else would be a bug, so refuse rather than widen the scope.
  for (const f of scope)
    if (!/^[a-z][a-z-]*$/.test(f)) throw new Error(`invalid force id in scope: ${f}`);
  return scope.join(',');
}
