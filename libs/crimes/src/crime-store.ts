import { Injectable } from '@nestjs/common';
import { DataSource, type Driver, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import {
  accessLogInsertJoined,
  accessLogJoinedText,
  accessLogJoinedValues,
  type AccessAction,
  type AccessEntry,
  type AccessEntrySql,
} from '#libs/access-log';
import type { Actor, RequestContext } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import { DomainError, type ForceScope } from '#libs/persistence';
import { Crime } from './crime.entity.js';
import { toView } from './crime.mapper.js';
import type { FieldChanges, HistoryAction } from './crime-history.entity.js';

// Scoped reads and versioned writes shared by the crime use cases. Every write appends history and its
// access-log entry in the same statement (the caller's EntityManager, or a statement for ScopedDb.runStatement).
@Injectable()
export class CrimeStore {
  // insertManyStatement()'s texts, by the layouts of their records (insertText()).
  private readonly insertTexts = new Map<string, InsertText>();

  constructor(private readonly ds: DataSource) {}

  // One force as one value, so that an index led by force_id gives its rows in the index's order (a home page's
  // recent work reads ix_crimes_force_updater newest first instead of sorting all the user's records).
  scoped(qb: SelectQueryBuilder<Crime>, actor: Actor, alias = 'c'): SelectQueryBuilder<Crime> {
    if (actor.forces === 'all') return qb;
    return actor.forces.length === 1
      ? qb.andWhere(`${alias}.force_id = :scopeForce`, { scopeForce: actor.forces[0] })
      : qb.andWhere(`${alias}.force_id = ANY(:scopeForces)`, { scopeForces: actor.forces });
  }

  // Another force's record answers 404, not 403, so that its existence does not leak.
  async lockForChange(
    em: EntityManager,
    actor: Actor,
    id: string,
    version: number,
  ): Promise<Crime> {
    const params: unknown[] = [id];
    const [row] = await em.query<CrimeRow[]>(
      `SELECT ${crimeColumns(em.connection).select} FROM crimes c WHERE c.id = $1${scopeSql(actor.forces, params)} FOR UPDATE`,
      params,
    );
    if (!row) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    const crime = toCrime(em.connection, row);
    assertVersion(crime, version);
    return crime;
  }

  // find() of several records in one statement, for ScopedDb.runStatement (reads that are part of a change, so not
  // logged themselves: CrimeAmendBatcher); its rows go through toCrime(). The ids are one parameter, so that it is
  // one statement whatever their number.
  findManyStatement(forces: ForceScope, ids: readonly string[]): Statement {
    const params: unknown[] = [ids];
    return {
      sql: `SELECT ${crimeColumns(this.ds).select} FROM crimes c WHERE c.id = ANY($1::uuid[])${scopeSql(forces, params)}`,
      params,
    };
  }

  // A scoped read by id; another force's record answers 404.
  async find(em: EntityManager, actor: Actor, id: string): Promise<Crime> {
    const params: unknown[] = [id];
    const [row] = await em.query<CrimeRow[]>(
      `SELECT ${crimeColumns(em.connection).select} FROM crimes c WHERE c.id = $1${scopeSql(actor.forces, params)}`,
      params,
    );
    if (!row) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    return toCrime(em.connection, row);
  }

  // Reads by id and their access-log entries in one statement, for ScopedDb.runStatement: reads from concurrent
  // requests (CrimeReadBatcher, issue #21). One SELECT of their ids, and for each request whose record was found its
  // own entry (entry(): its user, route and request id), so one commit for all of them; two requests for one record
  // each get theirs. Rows come back in no particular order, one per record found; each goes through found().
  findLoggedManyStatement(forces: ForceScope, reads: readonly LoggedRead[]): Statement {
    const params: unknown[] = [reads.map((r) => r.id)];
    const found = `SELECT ${crimeColumns(this.ds).select} FROM crimes c WHERE c.id = ANY($1::uuid[])${scopeSql(forces, params)}`;
    const log = accessLogInsertJoined(
      'f',
      [{ column: 'id', type: 'uuid' }],
      reads.map((r) => ({ key: [r.id], entry: this.entryFor(r.ctx, r.action) })),
      params,
      recordSql('f', [], params),
    );
    return { sql: `WITH f AS (${found}), l AS (${log}) SELECT * FROM f`, params };
  }

  // The record of a statement's rows, or 404.
  found(rows: CrimeRow[], id: string): Crime {
    if (!rows[0]) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    return toCrime(this.ds, rows[0]);
  }

  entry(
    ctx: RequestContext,
    action: AccessAction,
    crime: Crime,
    alsoForces: string[] = [],
  ): AccessEntry {
    return {
      ...this.entryFor(ctx, action),
      forceIds: [crime.forceId, ...alsoForces],
      recordIds: [crime.id],
    };
  }

  // entry() before the record is known: its force and id are then taken from the statement's row (recordSql).
  private entryFor(ctx: RequestContext, action: AccessAction): AccessEntry {
    return {
      userId: ctx.actor.userId,
      action,
      forceIds: [],
      route: ctx.route,
      purpose: ctx.purpose,
      recordIds: [],
      recordCount: 1,
      requestId: ctx.requestId,
    };
  }

  assertForce(actor: Actor, forceId: string): void {
    if (!canAccessForce(actor, forceId)) {
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to record crimes for force ${forceId}`);
    }
  }

  // The record, its 'created' history row and its access-log entry (entry()) in one statement, in the caller's
  // transaction (issue #21: one round trip instead of four, and the row comes back whole instead of being read again).
  async insert(em: EntityManager, record: NewRecord): Promise<Crime> {
    const { sql, params } = this.insertManyStatement([record]);
    return this.writtenEach(await em.query<CrimeRow[]>(sql, params), [record])[0]!;
  }

  // Several new records, each with its 'created' history row and its own request's access-log entry, in one
  // statement: a batch of creates from concurrent requests (CrimeCreateBatcher, issue #21). A column some records
  // leave out takes its default. Rows come back in no particular order: writtenEach() matches them to the records.
  // The text depends only on which columns each record gives (its layout), so it is made once per sequence of
  // layouts and kept (insertText()); only the values are gathered for each batch, in the order the text numbers
  // them. The statement took 7-12 µs a create to make, text and all, and takes 4-5 µs so (bench/README.md,
  // "Twenty-first session").
  insertManyStatement(records: readonly NewRecord[]): Statement {
    const rows = records.map((r) => this.insertRow(r.crime, r.actor));
    let key = '';
    for (const r of rows) key += `${r.layout};`;
    let text = this.insertTexts.get(key);
    if (text === undefined) {
      text = this.insertText(rows);
      // Records of many layouts together would otherwise keep a text for every combination met.
      if (this.insertTexts.size < INSERT_TEXTS_KEPT) this.insertTexts.set(key, text);
    }
    const params: unknown[] = [];
    for (const r of rows) for (const i of text.places) if (r.given[i]) params.push(r.values[i]);
    for (const r of records)
      params.push(
        r.crime.forceId,
        r.crime.crimeReference,
        JSON.stringify(r.changes),
        r.actor.userId,
      );
    accessLogJoinedValues(
      records.map((r) => ({
        key: [r.crime.forceId, r.crime.crimeReference],
        entry: this.entryFor(r.log.ctx, r.log.action),
      })),
      params,
    );
    return { sql: text.sql, params };
  }

  // insertManyStatement()'s text for these rows' layouts, its parameters numbered in the order it gathers them:
  // each row's values of the columns any row gives (in the entity's column order; DEFAULT where it gives none),
  // then each record's force, reference, changes and author for its history row, then each one's access-log entry.
  private insertText(rows: readonly InsertRow[]): InsertText {
    const cols = crimeColumns(this.ds);
    const places = cols.insertColumns.flatMap((_, i) => (rows.some((r) => r.given[i]) ? [i] : []));
    let n = 1;
    const tuples = rows.map(
      (r) => `(${places.map((i) => (r.given[i] ? `$${n++}` : 'DEFAULT')).join(', ')})`,
    );
    const names = places.map((i) => cols.insertColumns[i]!.databaseName);
    const write = `INSERT INTO crimes (${names.join(', ')}) VALUES ${tuples.join(', ')} RETURNING ${cols.returning}`;
    const meta = rows.map(() => `($${n++}::text, $${n++}::text, $${n++}::jsonb, $${n++}::text)`);
    const history = `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
      SELECT w.force_id, w.id, w.version, 'created', NULL, m.changes, m.changed_by
      FROM w JOIN (VALUES ${meta.join(', ')}) AS m(force_id, crime_reference, changes, changed_by)
        ON w.force_id = m.force_id AND w.crime_reference = m.crime_reference`;
    const logged = accessLogJoinedText(
      'w',
      [
        { column: 'force_id', type: 'text' },
        { column: 'crime_reference', type: 'text' },
      ],
      rows.length,
      n,
      recordSql('w', [], []), // no other forces: no parameter of its own
    );
    return {
      sql: `WITH w AS (${write}), h AS (${history}), l AS (${logged}) SELECT * FROM w`,
      places,
    };
  }

  // insertManyStatement()'s rows, as each record's entity in the records' order.
  writtenEach(rows: CrimeRow[], records: readonly NewRecord[]): Crime[] {
    const key = (forceId: unknown, reference: unknown) => `${String(forceId)} ${String(reference)}`;
    const byKey = new Map(rows.map((r) => [key(r.force_id, r.crime_reference), r]));
    return records.map((r) =>
      this.written(
        [byKey.get(key(r.crime.forceId, r.crime.crimeReference))].filter((x) => x !== undefined),
      ),
    );
  }

  // A new record's values as its INSERT takes them (TypeORM's conversions; an undefined value is left to the
  // column's default, as TypeORM leaves it), by the column's place among the insertable columns.
  private insertRow(crime: Partial<Crime>, actor: Actor): InsertRow {
    const cols = crimeColumns(this.ds);
    const count = cols.insertColumns.length;
    const values: unknown[] = new Array<unknown>(count);
    const given: boolean[] = new Array<boolean>(count).fill(false);
    const put = (property: string, value: unknown) => {
      const i = cols.insertPlace.get(property);
      if (i === undefined || value === undefined) return;
      values[i] = cols.driver.preparePersistentValue(value, cols.insertColumns[i]!);
      given[i] = true;
    };
    // As `{ ...crime, createdBy, updatedBy, version: 1 }` would have them (the stamps over any the record has),
    // without copying the record (3 µs a create: crime-recording.service.ts record()).
    const stamps: Record<string, unknown> = {
      createdBy: actor.userId,
      updatedBy: actor.userId,
      version: 1,
    };
    for (const property of Object.keys(crime))
      put(
        property,
        Object.hasOwn(stamps, property) ? stamps[property] : crime[property as keyof Crime],
      );
    for (const property of Object.keys(stamps))
      if (!Object.hasOwn(crime, property)) put(property, stamps[property]);
    let layout = '';
    for (const g of given) layout += g ? '1' : '0';
    return { values, given, layout };
  }

  // The change, its history row and its access-log entry in one statement; the row comes back as it now is.
  async update(em: EntityManager, ...change: CrimeUpdate): Promise<Crime> {
    const st = this.updateManyStatement([change]);
    return this.written(await em.query<CrimeRow[]>(st.sql, st.params));
  }

  // What updates must share to go in one statement (updateManyStatement): the columns they set and the other
  // forces their entries name. The batcher keys by it, so it never groups what the statement refuses.
  updateShape([before, patch, actor, , , , log]: CrimeUpdate): string {
    return shapeOf(this.updateSet(before, patch, actor), log.alsoForces);
  }

  // Changes of one or more records (a batch of amendments, CrimeAmendBatcher, issue #21), each with its history row
  // and its own request's access-log entry, in one statement; all set the same columns (updateShape) and log the
  // same other forces. Each changes its record only while it is still at the version `before` was read at, so that
  // it can also run without a lock taken first (CrimeAmendmentService.amend): a record changed meanwhile comes back
  // as no row, with no history row and no entry. Rows come back in no particular order.
  updateManyStatement(updates: readonly CrimeUpdate[]): Statement {
    const params: unknown[] = [];
    const p = (v: unknown, type: string) => {
      params.push(v);
      return `$${params.length}::${type}`;
    };
    const sets = updates.map(([before, patch, actor]) => this.updateSet(before, patch, actor));
    const columns = sets[0]!.map(([c]) => c);
    const also = updates[0]![6].alsoForces ?? [];
    const first = shapeOf(sets[0]!, also);
    const tuples = updates.map(([before, , , , , , log], i) => {
      if (shapeOf(sets[i]!, log.alsoForces) !== first)
        throw new Error(
          'the updates of one statement must set the same columns and log the same forces',
        );
      return `(${[
        p(before.forceId, 'text'),
        p(before.id, 'uuid'),
        p(before.version, 'integer'),
        ...sets[i]!.map(([c, v]) => p(v, `${String(c.type)}${c.isArray ? '[]' : ''}`)),
      ].join(', ')})`;
    });
    const write = `UPDATE crimes SET ${columns.map((c, i) => `${c.databaseName} = v.s${i}`).join(', ')}, updated_at = now()
      FROM (VALUES ${tuples.join(', ')}) AS v(k_force, k_id, k_version, ${columns.map((_, i) => `s${i}`).join(', ')})
      WHERE force_id = v.k_force AND id = v.k_id AND version = v.k_version
      RETURNING ${crimeColumns(this.ds).returning}`;
    const meta = updates.map(
      ([before, , actor, action, reason, changes]) =>
        `(${[
          p(before.forceId, 'text'),
          p(before.id, 'uuid'),
          p(action, 'text'),
          p(reason, 'text'),
          p(JSON.stringify(changes), 'jsonb'),
          p(actor.userId, 'text'),
        ].join(', ')})`,
    );
    const history = `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
      SELECT w.force_id, w.id, w.version, m.action, m.reason, m.changes, m.changed_by
      FROM w JOIN (VALUES ${meta.join(', ')}) AS m(force_id, id, action, reason, changes, changed_by)
        ON w.force_id = m.force_id AND w.id = m.id`;
    const logged = accessLogInsertJoined(
      'w',
      [
        { column: 'force_id', type: 'text' },
        { column: 'id', type: 'uuid' },
      ],
      updates.map(([before, , , , , , log]) => ({
        key: [before.forceId, before.id],
        entry: this.entryFor(log.ctx, log.action),
      })),
      params,
      recordSql('w', also, params),
    );
    return {
      sql: `WITH w AS (${write}), h AS (${history}), l AS (${logged}) SELECT * FROM w`,
      params,
    };
  }

  // The columns an update sets and their values as the driver writes them: the patch, the next version and who.
  private updateSet(
    before: Crime,
    patch: Partial<Crime>,
    actor: Actor,
  ): [ColumnMetadata, unknown][] {
    const cols = crimeColumns(this.ds);
    const set: Partial<Crime> = { ...patch, version: before.version + 1, updatedBy: actor.userId };
    const out: [ColumnMetadata, unknown][] = [];
    for (const [property, value] of Object.entries(set)) {
      const column = cols.updatable.get(property);
      if (column === undefined || value === undefined) continue; // as TypeORM: not a column, or left alone
      out.push([column, cols.driver.preparePersistentValue(value, column)]);
    }
    return out;
  }

  // The row a write statement returned (locked or just inserted, so always there).
  written(rows: CrimeRow[]): Crime {
    if (!rows[0]) throw new Error('the crime written was not returned');
    return toCrime(this.ds, rows[0]);
  }
}

// A change asks for the version its caller last saw: any other answers 409 with the current one.
export function assertVersion(crime: Crime, version: number): void {
  if (crime.version !== version) {
    throw new DomainError(
      'VERSION_CONFLICT',
      `crime ${crime.id} is at version ${crime.version}, not ${version}: reload and retry`,
      { currentVersion: crime.version },
    );
  }
}

// An update's shape (CrimeStore.updateShape): its columns, then the other forces its entry names.
function shapeOf(set: [ColumnMetadata, unknown][], alsoForces: string[] = []): string {
  return `${set.map(([c]) => c.databaseName).join(',')} ${alsoForces.join(',')}`;
}

// A change of a record, as update() and updateManyStatement() take it: the record as read, the new values, who,
// the history's action, reason and old -> new, and how it is logged.
export type CrimeUpdate = [
  before: Crime,
  patch: Partial<Crime>,
  actor: Actor,
  action: HistoryAction,
  reason: string | null,
  changes: FieldChanges,
  log: LogAs,
];

// SQL and its parameters.
export interface Statement {
  sql: string;
  params: unknown[];
}

// A record to create, as insertManyStatement() takes it: its values, who creates it, its history's changes and
// how its request is logged (creates log no other force).
export interface NewRecord {
  crime: Partial<Crime> & Pick<Crime, 'forceId' | 'crimeReference'>;
  actor: Actor;
  changes: FieldChanges;
  log: LogAs;
}

// A read by id and how its request is logged, as findLoggedManyStatement() takes it.
export interface LoggedRead {
  ctx: RequestContext;
  action: AccessAction;
  id: string;
}

// How a write is logged: entry(ctx, action, the record written, alsoForces).
export interface LogAs {
  ctx: RequestContext;
  action: AccessAction;
  alsoForces?: string[];
}

// entry()'s forces and record id where they come from the statement's row `rel` (the record's force first,
// then alsoForces, de-duplicated and sorted as AccessLogService.record() sorts them: code-point order).
function recordSql(rel: string, alsoForces: string[], params: unknown[]): AccessEntrySql {
  let forceIds = `ARRAY[${rel}.force_id]`;
  if (alsoForces.length > 0) {
    params.push(alsoForces);
    forceIds = `ARRAY(SELECT DISTINCT f COLLATE "C" FROM unnest(${rel}.force_id || $${params.length}::text[]) f ORDER BY 1)`;
  }
  return { forceIds, recordIds: `ARRAY[${rel}.id]` };
}

type CrimeRow = Record<string, unknown>;

// A new record's values for insertManyStatement(), by place in CrimeColumns.insertColumns: given[i] when it sets
// that column (values[i] may then still be undefined, sent as NULL, as TypeORM sends it), and `layout`, which
// places it gives, as text.
interface InsertRow {
  values: unknown[];
  given: boolean[];
  layout: string;
}

// insertManyStatement()'s text for one sequence of layouts, and the places whose values it takes from each row.
interface InsertText {
  sql: string;
  places: number[];
}
// Texts kept per CrimeStore: about 5 to 50 kB each.
const INSERT_TEXTS_KEPT = 128;

interface CrimeColumns {
  select: string; // c.force_id, c.id, … (every entity column)
  returning: string;
  all: ColumnMetadata[];
  insertColumns: ColumnMetadata[]; // the columns an INSERT may set, in the entity's order
  insertPlace: Map<string, number>; // by property: the column's place in insertColumns
  updatable: Map<string, ColumnMetadata>;
  driver: Driver;
}

// The entity's columns from TypeORM's metadata, read once per process: rows are mapped here instead of by
// TypeORM's query builder and hydration on every request (issue #21), with the driver's own conversions both
// ways, so values are written and read exactly as TypeORM did.
// Per DataSource (a test may start several apps in one process).
const columnsOf = new WeakMap<DataSource, CrimeColumns>();
function crimeColumns(ds: DataSource): CrimeColumns {
  const known = columnsOf.get(ds);
  if (known) return known;
  const all = ds.getMetadata(Crime).columns;
  const columns: CrimeColumns = {
    select: all.map((c) => `c.${c.databaseName}`).join(', '),
    returning: all.map((c) => c.databaseName).join(', '),
    all,
    insertColumns: all.filter((c) => c.isInsert),
    insertPlace: new Map(all.filter((c) => c.isInsert).map((c, i) => [c.propertyName, i])),
    updatable: new Map(all.filter((c) => c.isUpdate).map((c) => [c.propertyName, c])),
    driver: ds.driver,
  };
  columnsOf.set(ds, columns);
  return columns;
}

// Every column of crimes c, for a raw SELECT whose rows go through toCrime().
export function crimeSelect(ds: DataSource): string {
  return crimeColumns(ds).select;
}

// toView() of a row of crimes c, as a SQL expression giving its JSON text (issue #21). A list's page is sent as the
// database wrote it: parsing the columns of 50 records into objects and serialising them again was most of a list's
// CPU in the app, and most of its garbage. The keys are toView()'s, in its order, read off toView() itself; each
// is the entity column of that property, with timestamps written as Date.toJSON() writes them (UTC, milliseconds
// truncated; years up to 9999, as the recording rules' date range allows) and the financial year as
// formatFinancialYear() writes it. A key that toView() gains without a column of that name throws here, so the two
// cannot drift apart unnoticed; test/crime-list-json.e2e-spec.ts holds their output equal byte for byte.
// row_to_json over a subquery: PostgreSQL 15's json_build_object looks up the output function of every argument on
// every call (measured: 1.9 ms for 51 records against 0.66 ms).
const viewJsonOf = new WeakMap<DataSource, string>();
export function crimeViewJson(ds: DataSource): string {
  const known = viewJsonOf.get(ds);
  if (known) return known;
  const byProperty = new Map(crimeColumns(ds).all.map((c) => [c.propertyName, c]));
  const sql = viewJsonSql(
    Object.keys(toView({} as Crime)).map((key) => {
      const column = byProperty.get(key);
      if (!column) throw new Error(`crimeViewJson: the view's ${key} has no column`);
      const kind =
        key === 'financialYear'
          ? 'financialYear'
          : column.type === 'timestamptz'
            ? 'timestamp'
            : 'value';
      return { key, column: column.databaseName, kind };
    }),
  );
  viewJsonOf.set(ds, sql);
  return sql;
}

// A column of crimes c in a view's JSON: as it is, a timestamp as Date.toJSON() writes it, or the financial year's
// start as formatFinancialYear() writes the year.
export interface ViewJsonField {
  key: string;
  column: string;
  kind: 'value' | 'timestamp' | 'financialYear';
}

// The JSON text of these fields of a row of crimes c, as a SQL expression: crimeViewJson's, and the bench's
// bare-pg list (bench/api-support.ts) writes the same.
export function viewJsonSql(fields: readonly ViewJsonField[]): string {
  const value = ({ column, kind }: ViewJsonField) =>
    kind === 'timestamp'
      ? `to_char(c.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : kind === 'financialYear'
        ? `c.${column} || '-' || lpad((((c.${column} + 1) % 100 + 100) % 100)::text, 2, '0')`
        : `c.${column}`;
  return `(SELECT row_to_json(v)::text FROM (SELECT ${fields.map((f) => `${value(f)} AS "${f.key}"`).join(', ')}) v)`;
}

// A raw row of crimes (every column, as crimeSelect() names them) as the entity, without TypeORM's hydration.
export function toCrime(ds: DataSource, row: CrimeRow): Crime {
  const { all, driver } = crimeColumns(ds);
  const crime: Record<string, unknown> = {};
  for (const c of all) crime[c.propertyName] = driver.prepareHydratedValue(row[c.databaseName], c);
  return crime as unknown as Crime;
}

// The caller's forces, as CrimeStore.scoped() adds them (row-level security says the same).
function scopeSql(forces: ForceScope, params: unknown[]): string {
  if (forces === 'all') return '';
  params.push(forces);
  return ` AND c.force_id = ANY($${params.length})`;
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
    // Scalars compare as they are; only arrays (and any object) need their JSON compared.
    const same =
      typeof o === 'object' && o !== null
        ? JSON.stringify(o) === JSON.stringify(n)
        : typeof n === 'object' && n !== null
          ? false
          : o === n;
    if (!same) out[String(f)] = { old: o, new: n };
  }
  return out;
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return [...(v as unknown[])].sort();
  return v ?? null;
}
