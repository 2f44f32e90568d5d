import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Actor, RequestContext } from '#libs/auth';
import {
  CrimeAmendBatcher,
  CrimeAmendmentService,
  CrimeRecordingService,
  RecentCrimes,
  type Crime,
  type CrimeView,
  type NewCrimeInput,
  type AmendCrimeInput,
} from '#libs/crimes';

type AmendCrimeChanges = AmendCrimeInput['changes'];
import { DomainError, ScopedDb } from '#libs/persistence';
import { crimeInput } from './factories/crime.factory.js';
import { serviceActor, serviceContext } from './factories/identity.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';

// Issue #21's cheaper writes must behave as the old ones under concurrency.
// Creates from concurrent requests are written together (CrimeCreateBatcher): each must come out as if written
// alone: its record, one 'created' history row by its user, one access-log entry with its request's id; a failing
// statement must give each create its own answer and leave nothing half-written.
// An amendment reads without a lock and writes only if the record is still at that version: one changed in between
// must answer 409 and write nothing.
describe('concurrent writes', () => {
  let app: INestApplication;
  let db: pg.Client;
  let recording: CrimeRecordingService;
  let one: jest.SpiedFunction<ScopedDb['runStatement']>;
  let many: jest.SpiedFunction<ScopedDb['runStatements']>;

  beforeAll(async () => {
    app = await createTestApp();
    recording = app.get(CrimeRecordingService);
    db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    one = jest.spyOn(ScopedDb.prototype, 'runStatement'); // calls through
    many = jest.spyOn(ScopedDb.prototype, 'runStatements'); // calls through
  });
  const clear = () => {
    one.mockClear();
    many.mockClear();
  };
  beforeEach(clear);
  // Every statement sent since the last clear(), in the order sent, with its run: a run of runStatements is one
  // transaction (creates and amendments written together, CrimeWriteBatcher).
  const sent = () =>
    [
      ...one.mock.calls.map((c, i) => ({
        order: one.mock.invocationCallOrder[i]!,
        run: [[c[0], c[1], c[2]] as const],
      })),
      ...many.mock.calls.map((c, i) => ({
        order: many.mock.invocationCallOrder[i]!,
        run: c[1].map((st) => [c[0], st.sql, st.params] as const),
      })),
    ]
      .sort((a, b) => a.order - b.order)
      .flatMap((r) => r.run.map(([scope, sql, params]) => [scope, sql, params, r.order] as const));
  // The statements that created records since the last clear(), in the order they were sent.
  const statements = () =>
    sent()
      .filter(([, sql]) => sql.includes('INSERT INTO crimes'))
      .map(([scope, sql, params]) => ({ scope, sql, params }));
  // Runs `before` ahead of every scoped statement (it may throw instead), while `body` runs.
  async function intercepting<T>(
    before: (sql: string) => Promise<void> | void,
    body: () => Promise<T>,
  ): Promise<T> {
    const throughOne = one.getMockImplementation()!; // spyOn's own: the real runStatement
    const throughMany = many.getMockImplementation()!;
    one.mockImplementation(async function (this: ScopedDb, scope, sql, params, options) {
      await before(sql);
      return throughOne.call(this, scope, sql, params, options);
    } as typeof throughOne);
    many.mockImplementation(async function (this: ScopedDb, scope, statements, options) {
      for (const st of statements) await before(st.sql);
      return throughMany.call(this, scope, statements, options);
    } as typeof throughMany);
    try {
      return await body();
    } finally {
      one.mockImplementation(throughOne);
      many.mockImplementation(throughMany);
    }
  }
  afterAll(async () => {
    jest.restoreAllMocks();
    await db.end();
    await app.close();
  });

  const actor = (forces: string[]): Actor => serviceActor('batch', forces);
  const ctx = (a: Actor): RequestContext => serviceContext(a, 'POST /crimes');
  // The tests' usual record (crime.factory.ts), as the service takes it.
  const input = (forceId: string, crimeReference: string): NewCrimeInput =>
    crimeInput({ forceId, crimeReference });
  const settled = (ps: Promise<CrimeView>[]) => Promise.allSettled(ps);
  // How many creates each statement wrote: each one's reference is a parameter three times (record, history, entry).
  const sizes = (tag: string) =>
    statements().map(
      (s) => s.params.filter((p) => typeof p === 'string' && p.includes(tag)).length / 3,
    );

  // What was written for these references: records, their history and their access-log entries.
  async function stored(forceId: string, refs: string[]) {
    const { rows } = await db.query<{
      id: string;
      crime_reference: string;
      created_by: string;
      history: { action: string; changed_by: string; version: number }[];
      entries: { user_id: string; action: string; request_id: string; force_ids: string[] }[];
    }>(
      `SELECT c.id, c.crime_reference, c.created_by,
         (SELECT json_agg(json_build_object('action', h.action, 'changed_by', h.changed_by, 'version', h.version))
            FROM crime_history h WHERE h.force_id = c.force_id AND h.crime_id = c.id) AS history,
         (SELECT json_agg(json_build_object('user_id', a.user_id, 'action', a.action, 'request_id', a.request_id,
              'force_ids', a.force_ids))
            FROM access_log a WHERE c.id = ANY(a.record_ids)) AS entries
       FROM crimes c WHERE c.force_id = $1 AND c.crime_reference = ANY($2)`,
      [forceId, refs],
    );
    return new Map(rows.map((r) => [r.crime_reference, r]));
  }

  it('writes creates that arrive together in fewer statements, each as if alone', async () => {
    const tag = randomUUID().slice(0, 8);
    const requests = Array.from({ length: 10 }, (_, i) => ({
      ctx: ctx(actor(['derbyshire'])),
      ref: `BATCH-${tag}-${i}`,
    }));
    const results = await settled(
      requests.map((r) => recording.record(r.ctx, input('derbyshire', r.ref))),
    );
    expect(results.map((r) => r.status)).toEqual(requests.map(() => 'fulfilled'));
    // One statement starts at once (one create); the nine that arrived meanwhile go in the next one.
    expect(sizes(tag)).toEqual([1, 9]);
    const rows = await stored(
      'derbyshire',
      requests.map((r) => r.ref),
    );
    requests.forEach((r, i) => {
      const view = (results[i] as PromiseFulfilledResult<CrimeView>).value;
      const row = rows.get(r.ref)!;
      expect(view).toMatchObject({ id: row.id, crimeReference: r.ref, version: 1 });
      expect(row.created_by).toBe(r.ctx.actor.userId);
      expect(row.history).toEqual([
        { action: 'created', changed_by: r.ctx.actor.userId, version: 1 },
      ]);
      expect(row.entries).toEqual([
        {
          user_id: r.ctx.actor.userId,
          action: 'collection',
          request_id: r.ctx.requestId,
          force_ids: ['derbyshire'],
        },
      ]);
    });
  });

  it('gives each create of a failed statement its own answer and writes nothing of the failure', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = actor(['derbyshire']);
    await recording.record(ctx(a), input('derbyshire', `TAKEN-${tag}`));
    clear();
    // One fills the statement in flight; the next seven go together: one reference already exists, two are the same.
    const refs = [
      `A-${tag}`,
      `B-${tag}`,
      `C-${tag}`,
      `TAKEN-${tag}`,
      `D-${tag}`,
      `SAME-${tag}`,
      `SAME-${tag}`,
      `E-${tag}`,
    ];
    const results = await settled(
      refs.map((ref) => recording.record(ctx(a), input('derbyshire', ref))),
    );
    const outcome = results.map((r) =>
      r.status === 'fulfilled' ? 'created' : (r.reason as DomainError).code,
    );
    expect(outcome).toEqual([
      'created',
      'created',
      'created',
      'DUPLICATE_REFERENCE',
      'created',
      'created',
      'DUPLICATE_REFERENCE',
      'created',
    ]);
    // The batch of seven failed as a whole, then each went alone.
    expect(sizes(tag)).toEqual([1, 7, 1, 1, 1, 1, 1, 1, 1]);
    const rows = await stored('derbyshire', [...new Set(refs)]);
    expect([...rows.keys()].sort()).toEqual([...new Set(refs)].sort());
    for (const row of rows.values()) {
      expect(row.history).toHaveLength(1);
      expect(row.entries).toHaveLength(1);
    }
  });

  it('answers every create of a batch at once when the database cannot take it, without retrying each', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = actor(['derbyshire']);
    const refs = Array.from({ length: 6 }, (_, i) => `DOWN-${tag}-${i}`);
    let n = 0;
    const results = await intercepting(
      (sql) => {
        if (sql.includes('INSERT INTO crimes') && ++n === 2)
          throw new Error('timeout exceeded when trying to connect'); // as pg-pool says it
      },
      () => settled(refs.map((ref) => recording.record(ctx(a), input('derbyshire', ref)))),
    );
    expect(results.map((r) => (r.status === 'fulfilled' ? 'created' : String(r.reason)))).toEqual([
      'created',
      ...refs.slice(1).map(() => 'Error: timeout exceeded when trying to connect'),
    ]);
    expect(sizes(tag)).toEqual([1, 5]); // no statement per create after the failure
    expect([...(await stored('derbyshire', refs)).keys()].sort()).toEqual(refs.slice(0, 1));
  });

  it('never puts creates of different scopes in one statement', async () => {
    const tag = randomUUID().slice(0, 8);
    const derby = actor(['derbyshire']);
    const lincs = actor(['lincolnshire']);
    const both = actor(['lincolnshire', 'derbyshire']);
    // Five creates each, from three scopes: each scope's first goes at once, its other four together.
    const made = [derby, lincs, both].flatMap((who) =>
      Array.from(
        { length: 5 },
        (_, i) =>
          [who, who === lincs || (who === both && i % 2) ? 'lincolnshire' : 'derbyshire'] as const,
      ),
    );
    const results = await settled(
      made.map(([who, force], i) => recording.record(ctx(who), input(force, `SCOPE-${tag}-${i}`))),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(sizes(tag).sort()).toEqual([1, 1, 1, 4, 4, 4]);
    for (const s of statements()) {
      const refs = s.params.filter((p) => typeof p === 'string' && p.startsWith(`SCOPE-${tag}`));
      const who = new Set(
        refs.map((ref) =>
          (made[Number(String(ref).split('-').pop())]![0].forces as string[]).join(','),
        ),
      );
      expect(who.size).toBe(1);
      expect((s.scope as string[]).join(',')).toBe([...who][0]);
    }
  });
  // Amendments from concurrent requests are written together too (CrimeAmendBatcher).
  describe('amendments that arrive together', () => {
    const updates = () =>
      sent()
        .filter(([, sql]) => sql.startsWith('WITH w AS (UPDATE'))
        .map(([, , params]) => params);
    // How many of these records each statement amended: each id is a parameter three times (update, history, entry).
    const amended = (ids: string[]) =>
      updates().map((params) => params.filter((p) => ids.includes(p as string)).length / 3);
    async function records(n: number, tag: string) {
      const a = actor(['derbyshire']);
      const made: CrimeView[] = [];
      for (let i = 0; i < n; i++)
        made.push(await recording.record(ctx(a), input('derbyshire', `AM-${tag}-${i}`)));
      app.get(RecentCrimes).forget(); // these amendments read their records (a kept one is not read: below)
      clear();
      return made.map((c) => c.id);
    }
    async function written(ids: string[]) {
      const { rows } = await db.query<{
        id: string;
        version: number;
        victim_age: number | null;
        online_method: string | null;
        updated_by: string;
        history: { action: string; changed_by: string; version: number }[];
        entries: { user_id: string; request_id: string }[];
      }>(
        `SELECT c.id, c.version, c.victim_age, c.online_method, c.updated_by,
           (SELECT json_agg(json_build_object('action', h.action, 'changed_by', h.changed_by, 'version', h.version)
              ORDER BY h.version) FROM crime_history h WHERE h.force_id = c.force_id AND h.crime_id = c.id) AS history,
           (SELECT json_agg(json_build_object('user_id', a.user_id, 'request_id', a.request_id))
              FROM access_log a WHERE c.id = ANY(a.record_ids) AND a.action = 'alteration') AS entries
         FROM crimes c WHERE c.force_id = 'derbyshire' AND c.id = ANY($1)`,
        [ids],
      );
      return new Map(rows.map((r) => [r.id, r]));
    }

    it('writes them in fewer statements, each as if alone', async () => {
      const amendments = app.get(CrimeAmendmentService);
      const ids = await records(10, randomUUID().slice(0, 8));
      const requests = ids.map((id, i) => ({ id, ctx: ctx(actor(['derbyshire'])), age: 3 + i }));
      const results = await Promise.all(
        requests.map((r) =>
          amendments.amend(r.ctx, r.id, {
            version: 1,
            reason: `age ${r.age}`,
            changes: { victimAge: r.age },
          }),
        ),
      );
      // The reads: one statement starts at once (one record); the nine that arrived meanwhile go in the next one,
      // a SELECT of their ids (one parameter).
      const reads = sent()
        .filter(([, sql]) => sql.startsWith('SELECT') && sql.includes('c.id = ANY($1::uuid[])'))
        .map(([, , params]) => (params[0] as string[]).filter((id) => ids.includes(id)).length);
      expect(reads).toEqual([1, 9]);
      // The writes follow as the reads come back: each record once, several in a statement.
      const writes = amended(ids);
      expect(writes.reduce((a, b) => a + b, 0)).toBe(10);
      expect(Math.max(...writes)).toBeGreaterThan(1);
      const rows = await written(ids);
      requests.forEach((r, i) => {
        expect(results[i]).toMatchObject({ id: r.id, version: 2, victimAge: r.age });
        expect(rows.get(r.id)).toMatchObject({
          version: 2,
          victim_age: r.age,
          updated_by: r.ctx.actor.userId,
          history: [
            { action: 'created', version: 1 },
            { action: 'amended', changed_by: r.ctx.actor.userId, version: 2 },
          ],
          entries: [{ user_id: r.ctx.actor.userId, request_id: r.ctx.requestId }],
        });
      });
    });

    it('never writes two amendments of one record in one statement: the second meets the new version', async () => {
      const batcher = app.get(CrimeAmendBatcher);
      const [a, b, c] = await Promise.all(
        (await records(3, randomUUID().slice(0, 8))).map((id) => batcher.read(['derbyshire'], id)),
      );
      clear();
      const first = ctx(actor(['derbyshire']));
      const second = ctx(actor(['derbyshire']));
      const update = (before: Crime, who: RequestContext, age: number) =>
        batcher
          .update(
            ['derbyshire'],
            [
              before,
              { victimAge: age },
              who.actor,
              'amended',
              'both',
              { victimAge: { old: before.victimAge, new: age } },
              { ctx: who, action: 'alteration' },
            ],
          )
          .then((v) => v?.version ?? 'not written');
      // a fills the statement in flight, so b and both amendments of c, read at version 1, arrive meanwhile.
      const results = await Promise.all([
        update(a!, first, 5),
        update(b!, first, 5),
        update(c!, first, 6),
        update(c!, second, 7),
      ]);
      expect(results).toEqual([2, 2, 2, 'not written']);
      // a's statement, then b's with c's first amendment (the second left out of it), then the second alone.
      expect(amended([c!.id])).toEqual([0, 1, 1]);
      expect((await written([c!.id])).get(c!.id)).toMatchObject({
        version: 2,
        victim_age: 6,
        history: [{ action: 'created' }, { action: 'amended', changed_by: first.actor.userId }],
        entries: [{ user_id: first.actor.userId, request_id: first.requestId }],
      });
    });

    it('puts amendments whose entries name different forces in different statements', async () => {
      const batcher = app.get(CrimeAmendBatcher);
      const [a, b, c, d] = await Promise.all(
        (await records(4, randomUUID().slice(0, 8))).map((id) => batcher.read(['derbyshire'], id)),
      );
      clear();
      const who = ctx(actor(['derbyshire']));
      const update = (before: Crime, alsoForces: string[]) =>
        batcher
          .update(
            ['derbyshire'],
            [
              before,
              { victimAge: 8 },
              who.actor,
              'amended',
              'forces',
              { victimAge: { old: before.victimAge, new: 8 } },
              { ctx: who, action: 'alteration', alsoForces },
            ],
          )
          .then((v) => v?.version);
      // a fills the run in flight; b, c and d arrive meanwhile and go in the next run, d alike but for the forces
      // its entry names: there it has a statement of its own, and b and c share another.
      expect(
        await Promise.all([update(a!, []), update(b!, []), update(c!, []), update(d!, ['kent'])]),
      ).toEqual([2, 2, 2, 2]);
      expect(amended([c!.id, d!.id])).toEqual([0, 1, 1]);
      const { rows } = await db.query<{ id: string; force_ids: string[] }>(
        `SELECT c.id, a.force_ids FROM crimes c JOIN access_log a ON c.id = ANY(a.record_ids) AND a.action = 'alteration'
         WHERE c.force_id = 'derbyshire' AND c.id = ANY($1)`,
        [[c!.id, d!.id]],
      );
      expect(new Map(rows.map((r) => [r.id, r.force_ids]))).toEqual(
        new Map([
          [c!.id, ['derbyshire']],
          [d!.id, ['derbyshire', 'kent']],
        ]),
      );
    });

    it('puts only amendments that change the same fields in one statement', async () => {
      const amendments = app.get(CrimeAmendmentService);
      const ids = await records(6, randomUUID().slice(0, 8));
      const who = ctx(actor(['derbyshire']));
      const results = await Promise.all(
        ids.map((id, i) =>
          amendments.amend(who, id, {
            version: 1,
            reason: 'mixed',
            changes: i % 2 ? { victimAge: 9 } : { onlineMethod: 'social media' },
          }),
        ),
      );
      expect(results.map((r) => r.version)).toEqual(ids.map(() => 2));
      // Each record once, and no statement holds both kinds (how they group depends on when their reads return).
      expect(amended(ids).reduce((a, b) => a + b, 0)).toBe(6);
      for (const params of updates()) {
        const kinds = new Set(
          ids.filter((id) => params.includes(id)).map((id) => ids.indexOf(id) % 2),
        );
        expect(kinds.size).toBe(1);
      }
      const rows = await written(ids);
      ids.forEach((id, i) =>
        expect(rows.get(id)).toMatchObject(
          i % 2 ? { victim_age: 9 } : { online_method: 'social media' },
        ),
      );
    });
  });

  // Creates and amendments of one scope go in one run: their statements in one transaction, one commit
  // (CrimeWriteBatcher).
  describe('creates and amendments that arrive together', () => {
    const amendments = () => app.get(CrimeAmendmentService);
    // Each run (one transaction) that wrote these references or ids, as the kinds of its statements.
    const runs = (keys: string[]) => {
      const byRun = new Map<number, string[]>();
      for (const [, sql, params, order] of sent()) {
        const kind = sql.includes('INSERT INTO crimes')
          ? 'create'
          : sql.startsWith('WITH w AS (UPDATE')
            ? 'amend'
            : null;
        if (!kind || !params.some((p) => keys.includes(p as string))) continue;
        byRun.set(order, [...(byRun.get(order) ?? []), kind]);
      }
      return [...byRun.values()];
    };
    const kept = async (who: RequestContext, ref: string) => {
      const c = await recording.record(who, input('derbyshire', ref));
      clear();
      return c;
    };

    it('writes them in one transaction, each as if alone', async () => {
      const tag = randomUUID().slice(0, 8);
      const who = ctx(actor(['derbyshire']));
      const { id } = await kept(who, `MIX-${tag}-R`);
      const changer = ctx(actor(['derbyshire']));
      // The first create fills the run in flight; the amendment and two creates arrive meanwhile.
      const [first, amended, b, c] = await Promise.all([
        recording.record(ctx(actor(['derbyshire'])), input('derbyshire', `MIX-${tag}-A`)),
        amendments().amend(changer, id, { version: 1, reason: 'age', changes: { victimAge: 11 } }),
        recording.record(ctx(actor(['derbyshire'])), input('derbyshire', `MIX-${tag}-B`)),
        recording.record(ctx(actor(['derbyshire'])), input('derbyshire', `MIX-${tag}-C`)),
      ]);
      expect(runs([`MIX-${tag}-A`, `MIX-${tag}-B`, `MIX-${tag}-C`, id])).toEqual([
        ['create'],
        ['create', 'amend'],
      ]);
      expect([first.version, amended.version, b.version, c.version]).toEqual([1, 2, 1, 1]);
      const rows = await stored('derbyshire', [`MIX-${tag}-B`, `MIX-${tag}-R`]);
      expect(rows.get(`MIX-${tag}-B`)!.history).toEqual([
        { action: 'created', changed_by: expect.any(String), version: 1 },
      ]);
      const r = rows.get(`MIX-${tag}-R`)!;
      expect(r.history).toEqual(
        expect.arrayContaining([
          { action: 'created', changed_by: who.actor.userId, version: 1 },
          { action: 'amended', changed_by: changer.actor.userId, version: 2 },
        ]),
      );
      expect(r.history).toHaveLength(2);
      expect(r.entries.filter((e) => e.action === 'alteration')).toEqual([
        {
          user_id: changer.actor.userId,
          action: 'alteration',
          request_id: changer.requestId,
          force_ids: ['derbyshire'],
        },
      ]);
    });

    it('writes each again alone when one create fails the run: the amendment once, the duplicate refused', async () => {
      const tag = randomUUID().slice(0, 8);
      const who = ctx(actor(['derbyshire']));
      const { id } = await kept(who, `MIXF-${tag}-R`);
      await kept(who, `MIXF-${tag}-TAKEN`);
      const outcome = await Promise.allSettled([
        recording.record(who, input('derbyshire', `MIXF-${tag}-A`)),
        amendments().amend(who, id, { version: 1, reason: 'age', changes: { victimAge: 12 } }),
        recording.record(who, input('derbyshire', `MIXF-${tag}-TAKEN`)),
        recording.record(who, input('derbyshire', `MIXF-${tag}-D`)),
      ]);
      expect(
        outcome.map((o) =>
          o.status === 'fulfilled' ? o.value.version : (o.reason as DomainError).code,
        ),
      ).toEqual([1, 2, 'DUPLICATE_REFERENCE', 1]);
      // The run of three was rolled back as a whole, then each went alone.
      expect(runs([`MIXF-${tag}-A`, `MIXF-${tag}-TAKEN`, `MIXF-${tag}-D`, id])).toEqual([
        ['create'],
        ['create', 'amend'],
        ['amend'],
        ['create'],
        ['create'],
      ]);
      const r = (await stored('derbyshire', [`MIXF-${tag}-R`])).get(`MIXF-${tag}-R`)!;
      expect(r.history.map((h) => `${h.action}:${h.version}`).sort()).toEqual([
        'amended:2',
        'created:1',
      ]);
      expect(r.entries.filter((e) => e.action === 'alteration')).toHaveLength(1);
      const { rows } = await db.query<{ version: number; victim_age: number }>(
        `SELECT version, victim_age FROM crimes WHERE force_id = 'derbyshire' AND id = $1`,
        [id],
      );
      expect(rows).toEqual([{ version: 2, victim_age: 12 }]);
    });
  });

  // RecentCrimes: a record this process wrote is amended at that version without being read again; anything but
  // success is answered from a fresh read, as if it had not been kept.
  describe('amendments of a record this process just wrote', () => {
    const reads = (id: string) =>
      sent().filter(
        ([, sql, params]) =>
          sql.startsWith('SELECT') && (params[0] as unknown[] | undefined)?.includes?.(id),
      ).length;
    const writes = (id: string) =>
      sent().filter(([, sql, params]) => sql.startsWith('WITH w AS (UPDATE') && params.includes(id))
        .length;
    async function stored(id: string) {
      const { rows } = await db.query(
        `SELECT c.version, c.victim_age, c.online_method,
           (SELECT array_agg(h.action || ':' || h.version ORDER BY h.version) FROM crime_history h
             WHERE h.force_id = c.force_id AND h.crime_id = c.id) AS history,
           (SELECT array_agg(a.request_id) FROM access_log a WHERE c.id = ANY(a.record_ids) AND a.action = 'alteration') AS altered
         FROM crimes c WHERE c.force_id = 'derbyshire' AND c.id = $1`,
        [id],
      );
      return rows[0] as Record<string, unknown>;
    }
    const made = async (who: RequestContext) => {
      const c = await recording.record(
        who,
        input('derbyshire', `KEPT-${randomUUID().slice(0, 8)}`),
      );
      clear();
      return c;
    };

    it('writes the amendment without reading the record, as if it had read it', async () => {
      const amendments = app.get(CrimeAmendmentService);
      const who = ctx(actor(['derbyshire']));
      const { id } = await made(who);
      const first = await amendments.amend(who, id, {
        version: 1,
        reason: 'age',
        changes: { victimAge: 12 },
      });
      expect(first).toMatchObject({ id, version: 2, victimAge: 12 });
      // The amended record is kept in turn: the next amendment at its version is not read either.
      const second = ctx(actor(['derbyshire']));
      expect(
        await amendments.amend(second, id, {
          version: 2,
          reason: 'method',
          changes: { onlineMethod: 'a game chat' },
        }),
      ).toMatchObject({ version: 3, victimAge: 12, onlineMethod: 'a game chat' });
      expect([reads(id), writes(id)]).toEqual([0, 2]);
      expect(await stored(id)).toEqual({
        version: 3,
        victim_age: 12,
        online_method: 'a game chat',
        history: ['created:1', 'amended:2', 'amended:3'],
        altered: [who.requestId, second.requestId],
      });
    });

    it('answers 409 and writes nothing when the kept version was changed elsewhere', async () => {
      const amendments = app.get(CrimeAmendmentService);
      const who = ctx(actor(['derbyshire']));
      const { id } = await made(who);
      // An operator's correction in SQL: the database advances the version (migration 1780000027700).
      await db.query(
        `UPDATE crimes SET online_method = 'corrected' WHERE force_id = 'derbyshire' AND id = $1`,
        [id],
      );
      const answer = (changes: AmendCrimeChanges) =>
        amendments.amend(who, id, { version: 1, reason: 'stale', changes }).then(
          () => null,
          (e: unknown) => e,
        );
      // A change the rules allow (the write at version 1 finds nothing), and one they refuse on the kept record
      // (CF-AGE-002): both are answered from the record as it is, at version 2.
      for (const changes of [{ victimAge: 12 }, { victimAge: 17 }]) {
        expect(await answer(changes)).toMatchObject({
          code: 'VERSION_CONFLICT',
          details: { currentVersion: 2 },
        });
      }
      expect(reads(id)).toBeGreaterThanOrEqual(2);
      expect(await stored(id)).toEqual({
        version: 2,
        victim_age: 14,
        online_method: 'corrected',
        history: ['created:1'],
        altered: null,
      });
    });

    it('reads a kept record of a force the caller may not see, and answers 404', async () => {
      const amendments = app.get(CrimeAmendmentService);
      const { id } = await made(ctx(actor(['derbyshire'])));
      await expect(
        amendments.amend(ctx(actor(['kent'])), id, {
          version: 1,
          reason: 'not mine',
          changes: { victimAge: 12 },
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect([reads(id), writes(id)]).toEqual([1, 0]);
    });
  });

  it('answers 409 and writes nothing when the record changes between the read and the write', async () => {
    const amendments = app.get(CrimeAmendmentService);
    const registrar = actor(['derbyshire']);
    // A colleague who may also see Kent: writes of another scope never share a run, so the colleague's amendment
    // can be awaited inside this one's turn to write.
    const other = actor(['derbyshire', 'kent']);
    const { id } = await recording.record(
      ctx(registrar),
      input('derbyshire', `RACE-${randomUUID().slice(0, 8)}`),
    );
    // The other amendment commits after this one has read the record and before it writes.
    let raced = false;
    const lost = await intercepting(
      async (sql) => {
        if (raced || !sql.startsWith('WITH w AS (UPDATE')) return;
        raced = true;
        await amendments.amend(ctx(other), id, {
          version: 1,
          reason: 'corrected by a colleague',
          changes: { onlineMethod: 'corrected by a colleague' },
        });
      },
      () =>
        amendments
          .amend(ctx(registrar), id, { version: 1, reason: 'race', changes: { victimAge: 13 } })
          .then(
            () => null,
            (e: unknown) => e,
          ),
    );
    expect(raced).toBe(true);
    expect(lost).toBeInstanceOf(DomainError);
    expect(lost).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const { rows } = await db.query(
      `SELECT c.version, c.victim_age, c.online_method, c.updated_by,
         (SELECT array_agg(h.action || ':' || h.changed_by ORDER BY h.version) FROM crime_history h
           WHERE h.force_id = c.force_id AND h.crime_id = c.id) AS history,
         (SELECT count(*)::int FROM access_log a WHERE c.id = ANY(a.record_ids) AND a.action = 'alteration') AS altered
       FROM crimes c WHERE c.force_id = 'derbyshire' AND c.id = $1`,
      [id],
    );
    expect(rows).toEqual([
      {
        version: 2,
        victim_age: 14, // the factory's: this amendment's 13 was not written
        online_method: 'corrected by a colleague',
        updated_by: other.userId,
        history: [`created:${registrar.userId}`, `amended:${other.userId}`],
        altered: 1,
      },
    ]);
  });
});
