import { Injectable } from '@nestjs/common';
import { Inject, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, ScopedDb, StatementBatches, type ForceScope } from '#libs/persistence';
import {
  ACCESS_LOG_CHAIN,
  readCheckpoint,
  type AccessLogChainConfig,
  type Checkpoint,
} from './access-log-key.js';
import { AccessLogSealer } from './access-log-sealer.js';
import { verifyAccessLog } from './access-log-verify.js';
import type {
  AccessEntry,
  AccessLogFilter,
  AccessLogSearch,
  AccessLogView,
  ChainVerification,
} from './access-log.types.js';

interface Row {
  seq: string;
  at: Date;
  user_id: string;
  action: AccessLogView['action'];
  force_ids: string[];
  purpose: string | null;
  justification: string | null;
  route: string;
  query: Record<string, unknown> | null;
  record_ids: string[];
  withheld: number;
  record_count: number;
  request_id: string | null;
  hash: string | null;
}

const COLUMNS =
  'user_id, action, force_ids, purpose, justification, route, query, record_ids, record_count, request_id';
const TYPES = ['text', 'text', 'text[]', 'text', 'text', 'text', 'jsonb', 'uuid[]', 'int', 'text'];

// An entry's column values, in COLUMNS' order: its forces de-duplicated and sorted, absent values null.
function entryValues(e: AccessEntry): unknown[] {
  return [
    e.userId,
    e.action,
    [...new Set(e.forceIds)].sort(),
    e.purpose ?? null,
    e.justification ?? null,
    e.route,
    e.query ? JSON.stringify(e.query) : null,
    e.recordIds ?? [],
    e.recordCount,
    e.requestId ?? null,
  ];
}

// SQL standing in for an entry's values where they come from the statement's own rows (a new record's id).
export interface AccessEntrySql {
  forceIds?: string;
  recordIds?: string;
  recordCount?: string;
}

// Entries as one INSERT … VALUES (AccessLogService.append; the bench's bare-pg list), values appended to params.
export function accessLogInsertValues(entries: readonly AccessEntry[], params: unknown[]): string {
  const tuples = entries.map(
    (e) =>
      `(${entryValues(e)
        .map((v, i) => {
          params.push(v);
          return `$${params.length}::${TYPES[i]}`;
        })
        .join(', ')})`,
  );
  return `INSERT INTO access_log (${COLUMNS}) VALUES ${tuples.join(', ')}`;
}

// An entry as an INSERT … SELECT over `from`, a relation of the caller's statement, for a data-modifying CTE: the
// write or read and its entry take one round trip (issue #21). For a statement that writes or reads several rows
// for several requests (a batch of creates, amendments or reads): each row of `from` gets the entry of every
// request it belongs to, found by the row's key columns; a row whose key matches no entry gets none. Values are
// appended to params, and those named in `sql` are taken from the statement instead (an expression over `from`).
export function accessLogInsertJoined(
  from: string,
  keys: readonly { column: string; type: string }[],
  rows: readonly { key: readonly unknown[]; entry: AccessEntry }[],
  params: unknown[],
  sql: AccessEntrySql = {},
): string {
  const first = params.length + 1;
  accessLogJoinedValues(rows, params);
  return accessLogJoinedText(from, keys, rows.length, first, sql);
}

// accessLogInsertJoined() in its two halves, for a caller that keeps the text of a statement's shape and builds
// only its values for each run (CrimeStore.insertManyStatement): the values, appended to params (each row's key,
// then its entry's values in COLUMNS' order)…
export function accessLogJoinedValues(
  rows: readonly { key: readonly unknown[]; entry: AccessEntry }[],
  params: unknown[],
): void {
  for (const { key, entry } of rows) params.push(...key, ...entryValues(entry));
}

// …and the text for `count` rows whose values are parameters first, first + 1, … in that order.
export function accessLogJoinedText(
  from: string,
  keys: readonly { column: string; type: string }[],
  count: number,
  first: number,
  sql: AccessEntrySql = {},
): string {
  const types = [...keys.map((k) => k.type), ...TYPES];
  let next = first;
  const tuples = Array.from(
    { length: count },
    () => `(${types.map((type) => `$${next++}::${type}`).join(', ')})`,
  );
  const names = COLUMNS.split(', ');
  const given: Record<string, string | undefined> = {
    force_ids: sql.forceIds,
    record_ids: sql.recordIds,
    record_count: sql.recordCount,
  };
  const list = names.map((n) => given[n] ?? `e.${n}`);
  const alias = [...keys.map((k) => k.column), ...names].join(', ');
  const on = keys.map((k) => `${from}.${k.column} = e.${k.column}`).join(' AND ');
  return `INSERT INTO access_log (${COLUMNS}) SELECT ${list.join(', ')}
    FROM ${from} JOIN (VALUES ${tuples.join(', ')}) AS e(${alias}) ON ${on}`;
}

// Writes go in the caller's transaction, so an access is logged exactly when the work it describes commits.
// The database sets seq and time (trigger) and refuses DELETE and any UPDATE but sealing; the sealer chains
// the entry shortly after it commits (access-log-sealer.ts).
// Who searches: only the forces they may read. Structural, not #libs/auth's Actor: auth's UsersService writes
// to this log, so importing auth here would make a cycle (and a class used before it is defined at start-up).
interface Reader {
  forces: ForceScope;
}
const canRead = (r: Reader, forceId: string): boolean =>
  r.forces === 'all' || r.forces.includes(forceId);

@Injectable()
export class AccessLogService {
  // The sealer and the chain's key are needed only to verify: a command that only appends (user add) passes none.
  constructor(
    private readonly db: ScopedDb,
    @Optional() private readonly sealer?: AccessLogSealer,
    @Optional() @Inject(ACCESS_LOG_CHAIN) private readonly chain?: AccessLogChainConfig,
  ) {}

  // The auditors' search (GET /access-log and the web page): a force outside the reader's scope is refused, not
  // silently answered empty; several record ids are searched in one transaction, their entries one list each.
  search(actor: Reader, q: AccessLogSearch): Promise<AccessLogView[]> {
    if (q.forceId !== undefined && !canRead(actor, q.forceId))
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to audit force ${q.forceId}`);
    const { recordIds, ...rest } = q;
    const filter: AccessLogFilter = {
      ...rest,
      from: q.from === undefined ? undefined : new Date(q.from),
      to: q.to === undefined ? undefined : new Date(q.to),
      limit: q.limit ?? 100,
    };
    const ids = recordIds?.length ? recordIds : [q.recordId];
    return this.db.run(actor.forces, async (em) => {
      const lists = await Promise.all(
        ids.map((recordId) => this.list(em, actor.forces, { ...filter, recordId })),
      );
      return lists.flat();
    });
  }

  // The whole chain (hashes only, no record data), so it reads every force's entries. Seals what has
  // committed first, so the check reaches the newest entries.
  async verify(): Promise<ChainVerification> {
    const { sealer, chain } = this;
    if (!sealer || !chain) throw new Error('verifying the access log needs its sealer and key');
    await sealer.sealNow();
    return this.db.run('all', (em) => verifyAccessLog(em, chain));
  }

  // The log's head, sealed now and signed (the checkpoint the sealer keeps outside the database), for a
  // publication to carry: null when there is no checkpoint folder (or no sealer). Seals before reading, so it
  // covers every entry committed before the call; the caller's own entries, not committed yet, come after it.
  async checkpoint(): Promise<Checkpoint | null> {
    const { sealer, chain } = this;
    if (!sealer || !chain?.checkpointDir) return null;
    await sealer.sealNow(2000);
    const chainId = await this.db.run('all', async (em) => {
      const [row] = await em.query(`SELECT id::text FROM access_log_chain`);
      return (row as { id: string }).id;
    });
    return readCheckpoint(chain, chainId).checkpoint;
  }

  // An entry in a transaction of its own, for a read that wrote nothing itself (a list's page, issue #21): written
  // with the entries of other requests that arrive meanwhile, in one statement and one commit. Resolves once it is
  // committed, so that the caller answers only after its entry is stored; rejects if it could not be written.
  append(e: AccessEntry): Promise<void> {
    return this.appends.submit([], e);
  }

  private readonly appends = new StatementBatches<AccessEntry, void>(async (scope, entries) => {
    const params: unknown[] = [];
    // Appending needs no force's visibility (p_access_log_append), so every entry shares one queue.
    await this.db.runStatement(scope, accessLogInsertValues(entries, params), params, {
      prepare: true,
    });
    return entries.map(() => undefined);
  });

  async record(em: EntityManager, e: AccessEntry): Promise<void> {
    await em.query(
      `INSERT INTO access_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      entryValues(e),
    );
  }

  // Auditors see entries that concern their forces (all, for national auditors). A force-scoped reader sees an entry
  // only if it names one of their forces (so not entries with no force: national aggregates, system events), and in
  // it only the record ids of their forces; the others are withheld and counted (issue #18: a Kent auditor read the
  // record ids of every force from national imports). An entry's records belong to its forces, so an entry within
  // the reader's forces is shown whole without looking its records up.
  async list(em: EntityManager, scope: ForceScope, f: AccessLogFilter): Promise<AccessLogView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    let scopeParam = '';
    if (scope !== 'all') {
      add('force_ids && ?::text[]', [...scope]);
      scopeParam = `$${params.length}::text[]`;
    }
    if (f.userId) add('user_id = ?', f.userId);
    // Containment (@>), not '= ANY': only the former can use the GIN indexes on force_ids and record_ids.
    if (f.forceId) add('force_ids @> ARRAY[?::text]', f.forceId);
    if (f.action) add('action = ?', f.action);
    if (f.recordId) {
      // An import's 'collection' entries are found through the record's import_id (migration 1780000011000);
      // every other entry through the GIN index on record_ids (the first arm repeats that index's predicate).
      // (Built by hand: '?' is also jsonb's key-exists operator.)
      params.push(f.recordId);
      const id = `$${params.length}::uuid`;
      where.push(`((action <> 'collection' OR query IS NULL OR NOT query ? 'importId') AND record_ids @> ARRAY[${id}]
        OR action = 'collection' AND query ? 'importId' AND query ->> 'importId' = (SELECT c.import_id::text FROM crimes c WHERE c.id = ${id}))`);
      // Another force's record: nothing, rather than the entries of the reader's forces that name it.
      if (scopeParam)
        where.push(
          `EXISTS (SELECT 1 FROM crimes c WHERE c.id = ${id} AND c.force_id = ANY (${scopeParam}))`,
        );
    }
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    if (f.afterSeq) add('seq > ?', f.afterSeq);
    params.push(f.limit);
    const shown = scopeParam
      ? `CASE WHEN force_ids <@ ${scopeParam} THEN record_ids ELSE ARRAY(
           SELECT r FROM unnest(record_ids) WITH ORDINALITY u (r, n)
           WHERE EXISTS (SELECT 1 FROM crimes c WHERE c.force_id = ANY (${scopeParam}) AND c.id = u.r) ORDER BY n) END`
      : 'record_ids';
    const rows: Row[] = await em.query(
      `SELECT seq::text, at, user_id, action, force_ids, purpose, justification, route, query, s.shown AS record_ids,
              cardinality(record_ids) - cardinality(s.shown) AS withheld, record_count, request_id, encode(hash, 'hex') AS hash
       FROM (SELECT * FROM access_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY access_log.seq LIMIT $${params.length}) a
         CROSS JOIN LATERAL (SELECT ${shown} AS shown) s
       ORDER BY a.seq`,
      params,
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      userId: r.user_id,
      action: r.action,
      forceIds: r.force_ids,
      purpose: r.purpose,
      justification: r.justification,
      route: r.route,
      query: r.query,
      recordIds: r.record_ids,
      recordIdsWithheld: r.withheld,
      recordCount: r.record_count,
      requestId: r.request_id,
      hash: r.hash,
    }));
  }
}
