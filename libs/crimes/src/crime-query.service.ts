import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { Actor, RequestContext } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import { decodeKeysetCursor, DomainError, encodeKeysetCursor, ScopedDb } from '#libs/persistence';
import { Crime } from './crime.entity.js';
import { CrimeHistory } from './crime-history.entity.js';
import { toView } from './crime.mapper.js';
import { CrimeReadBatcher } from './crime-read-batcher.js';
import { CrimePageReader } from './crime-page-reader.js';
import { CrimeViews, type PageKey } from './crime-views.js';
import { CrimeStore, crimeSelect, crimeViewJson, toCrime } from './crime-store.js';
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

// A shared page's items as JSON text, made once for the requests that share it (listJson).
const joinedViews = new WeakMap<readonly unknown[], Promise<string | undefined>>();

// Reads, always scoped to the caller's forces (query filter and row-level security), and logged as consultations.
const DEFAULT_PAGE = 50;

@Injectable()
export class CrimeQueryService {
  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly log: AccessLogService,
    private readonly ds: DataSource,
    private readonly reads: CrimeReadBatcher,
    private readonly pages: CrimePageReader,
    private readonly views: CrimeViews,
  ) {}

  // The read and its access-log entry: one statement in one round trip, with the reads of other requests that
  // arrive meanwhile (CrimeReadBatcher, issue #21). The view is built after the commit; toView only copies fields
  // and its formatter is total (issue #18).
  async get(ctx: RequestContext, id: string): Promise<CrimeView> {
    const row = await this.reads.read(ctx.actor.forces, { ctx, action: 'consultation', id });
    return toView(this.store.found(row ? [row] : [], id));
  }

  async list(ctx: RequestContext, q: CrimeListQuery): Promise<CrimePage> {
    const { rows, limit } = await this.page(ctx, q);
    const items = rows.slice(0, limit).map((r) => toCrime(this.ds, r));
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeKeysetCursor(last.recordedAt, last.id) : null;
    return { items: items.map(toView), nextCursor };
  }

  // list()'s page as the JSON text that serialising list()'s answer gives, its records written by the database
  // (crimeViewJson): for the API, which sends it as it is (issue #21). The same filters, scope and access-log entry.
  // The page's statement reads each record's keys, and the views come from CrimeViews (read only for records not
  // kept there); if a record changed between the two, the page is read again with its views, in one statement.
  async listJson(ctx: RequestContext, q: CrimeListQuery): Promise<string> {
    type Keyed = PageKey & { recorded_at: Date };
    let { rows, limit } = await this.readPage<Keyed>(ctx, q, 'keys');
    let items = await this.joinedViews(ctx, rows, limit);
    if (items === undefined) {
      const again = await this.readPage<Keyed & { view: string }>(ctx, q, 'json');
      rows = again.rows;
      items = again.rows
        .slice(0, limit)
        .map((r) => r.view)
        .join(',');
    }
    await this.logPage(ctx, q, rows.slice(0, limit));
    const last = rows[Math.min(rows.length, limit) - 1];
    const nextCursor =
      rows.length > limit && last ? encodeKeysetCursor(last.recorded_at, last.id) : null;
    return `{"items":[${items}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  }

  // The shown records' views joined, once for the requests that share the page (CrimePageReader); undefined when
  // one of them changed after the page was read.
  private joinedViews(
    ctx: RequestContext,
    rows: readonly PageKey[],
    limit: number,
  ): Promise<string | undefined> {
    let joined = joinedViews.get(rows);
    if (joined === undefined) {
      joined = this.views
        .of(ctx.actor.forces, rows.slice(0, limit))
        .then((views) => views?.join(','));
      joinedViews.set(rows, joined);
    }
    return joined;
  }

  private async page<R = Record<string, unknown>>(
    ctx: RequestContext,
    q: CrimeListQuery,
  ): Promise<{ rows: readonly R[]; limit: number }> {
    const { rows, limit } = await this.readPage<R>(ctx, q, 'records');
    await this.logPage(ctx, q, rows.slice(0, limit));
    return { rows, limit };
  }

  // One page of the list (limit + 1 rows, to tell whether another follows): every column of each record, its
  // keys, or its view as JSON text with the keys of its order.
  private async readPage<R = Record<string, unknown>>(
    ctx: RequestContext,
    q: CrimeListQuery,
    shape: 'records' | 'keys' | 'json',
  ): Promise<{ rows: readonly (R & { force_id: string })[]; limit: number }> {
    const actor = ctx.actor;
    if (q.forceId !== undefined && !canAccessForce(actor, q.forceId)) {
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to read crimes of force ${q.forceId}`);
    }
    const limit = q.limit ?? DEFAULT_PAGE;
    const params: unknown[] = [];
    const forces = q.forceId !== undefined ? [q.forceId] : actor.forces;
    const where = await this.filters(q, params);
    const order = 'ORDER BY c.recorded_at DESC, c.id DESC';
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    // The page's own columns: every column, or the view and what the page and its log entry need besides.
    const cols =
      shape === 'records'
        ? crimeSelect(this.ds)
        : shape === 'keys'
          ? 'c.force_id, c.recorded_at, c.id, c.version'
          : `c.force_id, c.recorded_at, c.id, ${crimeViewJson(this.ds)} AS view`;
    const and = (extra: string[]) => {
      const all = [...extra, ...where];
      return all.length ? `WHERE ${all.join(' AND ')}` : '';
    };
    // A page is read in the order of ix_crimes_force_recorded (force, newest first), so its cost does not grow with
    // the force's records: one force is a range of that index; several are each force's first page, merged; all
    // forces (a national reader) read ix_crimes_recorded_at. The scope is also enforced by row-level security.
    let page: string;
    if (forces === 'all') {
      page = `SELECT ${cols} FROM crimes c ${and([])} ${order} LIMIT ${p(limit + 1)}`;
    } else if (forces.length === 1) {
      page = `SELECT ${cols} FROM crimes c ${and([`c.force_id = ${p(forces[0])}`])} ${order} LIMIT ${p(limit + 1)}`;
    } else {
      const f = p(forces);
      const n = p(limit + 1);
      page = `SELECT x.* FROM unnest(${f}::text[]) AS s(force_id) CROSS JOIN LATERAL (
        SELECT ${cols} FROM crimes c ${and(['c.force_id = s.force_id'])} ${order} LIMIT ${n}) x
        ORDER BY x.recorded_at DESC, x.id DESC LIMIT ${n}`;
    }
    // Browsing (no filter but the scope and the cursor) is prepared: its plan is the same range of an index
    // whatever the values, and it is what a registrar's list does most, so parsing and planning it for every page
    // was PostgreSQL's work for nothing (issue #21; bench/README.md). Searches keep a plan made for their values.
    const browsing = where.length === (q.cursor === undefined ? 0 : 1);
    // Read once for the requests that ask for the same page together (CrimePageReader).
    const rows = await this.pages.read<R & { force_id: string }>(actor.forces, {
      sql: page,
      params,
      prepare: browsing,
    });
    return { rows, limit };
  }

  // A list query is logged as the query and its size, not row by row (DPA 2018 s.62 consultation); its size
  // and, for a national reader, its forces are the shown page's. The page is read in a transaction that writes
  // nothing; its entry is written after it with the entries of other requests (AccessLogService.append, one
  // commit for many: issue #21), and the page is answered only once its entry is stored. The answer is built
  // after that and building it cannot fail (toView is total, and the JSON is only joined: issue #18).
  private async logPage(
    ctx: RequestContext,
    q: CrimeListQuery,
    shown: readonly { force_id: string }[],
  ): Promise<void> {
    const actor = ctx.actor;
    const { cursor: _cursor, ...filters } = q;
    await this.log.append({
      userId: actor.userId,
      action: 'consultation',
      forceIds: q.forceId
        ? [q.forceId]
        : actor.forces === 'all'
          ? shown.map((r) => r.force_id)
          : actor.forces,
      route: ctx.route,
      purpose: ctx.purpose,
      query: { ...filters, page: q.cursor ? 'next' : 'first' },
      recordCount: shown.length,
      requestId: ctx.requestId,
    });
  }

  // The list's filters other than the force, as SQL over crimes c (values appended to params).
  private async filters(q: CrimeListQuery, params: unknown[]): Promise<string[]> {
    const where: string[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.financialYear !== undefined) {
      // The year is also its span of recorded_at (1 April to 1 April, UK time, as the generated column), so a
      // page of an earlier year starts at that year in the index instead of reading every later record first.
      const y = p(q.financialYear);
      where.push(
        `c.financial_year = ${y}`,
        `c.recorded_at >= make_timestamptz(${y}::int, 4, 1, 0, 0, 0, 'Europe/London')`,
        `c.recorded_at < make_timestamptz(${y}::int + 1, 4, 1, 0, 0, 0, 'Europe/London')`,
      );
    }
    if (q.offenceCode !== undefined) where.push(`c.offence_code = ${p(q.offenceCode)}`);
    if (q.onlineFlag !== undefined) where.push(`c.online_flag = ${p(q.onlineFlag)}`);
    if (q.status !== undefined) where.push(`c.status = ${p(q.status)}`);
    if (q.reference !== undefined) where.push(`c.crime_reference = ${p(q.reference)}`);
    if (q.referencePrefix !== undefined) {
      const prefix = p(q.referencePrefix);
      where.push(`starts_with(c.crime_reference, ${prefix})`);
      // Where text sorts by code point, the prefix is one range of uq_crimes_reference (force_id, crime_reference):
      // an index range scan. Under a linguistic collation it is not a contiguous range, so only the exact filter runs.
      if (await this.codePointOrder()) {
        where.push(
          `c.crime_reference >= ${prefix} AND c.crime_reference < ${p(prefixEnd(q.referencePrefix))}`,
        );
      }
    }
    if (q.cursor !== undefined) {
      const [recordedAt, id] = decodeKeysetCursor(q.cursor);
      where.push(`(c.recorded_at, c.id) < (${p(recordedAt)}, ${p(id)})`);
    }
    return where;
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
  private codePointOrder(): Promise<boolean> {
    this.collation ??= this.ds
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
