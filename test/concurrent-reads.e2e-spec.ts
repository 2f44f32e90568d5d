import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Actor, RequestContext } from '#libs/auth';
import {
  CrimeQueryService,
  CrimeRecordingService,
  type CrimeListQuery,
  type CrimeView,
} from '#libs/crimes';
import { AccessLogService } from '#libs/access-log';
import { DomainError, ScopedDb } from '#libs/persistence';
import { crimeInput } from './factories/crime.factory.js';
import { serviceActor, serviceContext } from './factories/identity.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';

// Reads by id from concurrent requests are made together (CrimeReadBatcher, issue #21): each must come out as if
// made alone: its record, or 404 for one it may not see or that does not exist, and exactly one access-log entry
// of its own (its user, its request id, the record) for each record it was given, none otherwise. A list's entry
// is appended after its page with those of other lists (AccessLogService.append): one each, as if alone.
describe('concurrent reads', () => {
  let app: INestApplication;
  let db: pg.Client;
  let recording: CrimeRecordingService;
  let query: CrimeQueryService;
  let spy: jest.SpiedFunction<ScopedDb['runStatement']>;

  beforeAll(async () => {
    app = await createTestApp();
    recording = app.get(CrimeRecordingService);
    query = app.get(CrimeQueryService);
    db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    spy = jest.spyOn(ScopedDb.prototype, 'runStatement'); // calls through
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await db.end();
    await app.close();
  });

  const actor = (forces: string[] | 'all'): Actor => serviceActor('reader', forces);
  const ctx = (a: Actor): RequestContext => serviceContext(a, 'GET /crimes/:id');
  const record = async (forceId: string): Promise<string> =>
    (await recording.record(ctx(actor([forceId])), crimeInput({ forceId }))).id;
  // How many reads each logged read statement since the last mockClear() held (its first parameter is their ids).
  const sizes = () =>
    spy.mock.calls
      .filter(([, sql]) => sql.includes('c.id = ANY($1::uuid[])') && sql.includes('access_log'))
      .map(([, , params]) => (params[0] as string[]).length);
  // The access-log entries of these requests, by request id.
  async function entries(requestIds: (string | null)[]) {
    const { rows } = await db.query<{
      request_id: string;
      user_id: string;
      action: string;
      route: string;
      force_ids: string[];
      record_ids: string[];
      record_count: number;
      query: Record<string, unknown> | null;
    }>(
      `SELECT request_id, user_id, action, route, force_ids, record_ids, record_count, query FROM access_log
       WHERE request_id = ANY($1)`,
      [requestIds],
    );
    return rows;
  }
  const outcome = (r: PromiseSettledResult<CrimeView>) =>
    r.status === 'fulfilled' ? r.value.id : (r.reason as DomainError).code;

  it('makes reads that arrive together in fewer statements, each logged as if alone', async () => {
    const [a, b, c] = [
      await record('derbyshire'),
      await record('derbyshire'),
      await record('derbyshire'),
    ];
    const kents = await record('kent');
    const missing = randomUUID();
    // Ten readers of Derbyshire: two reads of one record, one asked in capitals, one of another force's record and
    // one of no record.
    const ids = [a, b, c, a, b.toUpperCase(), kents, missing, c, a, b];
    const requests = ids.map((id) => ({ id, ctx: ctx(actor(['derbyshire'])) }));
    spy.mockClear();
    const results = await Promise.allSettled(requests.map((r) => query.get(r.ctx, r.id)));
    // One statement starts at once (one read); the nine that arrived meanwhile go in the next one.
    expect(sizes()).toEqual([1, 9]);
    expect(results.map(outcome)).toEqual(
      ids.map((id) => (id === kents || id === missing ? 'NOT_FOUND' : id.toLowerCase())),
    );
    const logged = await entries(requests.map((r) => r.ctx.requestId));
    const found = requests.filter((r) => r.id !== kents && r.id !== missing);
    expect(logged).toHaveLength(found.length);
    for (const r of found)
      expect(logged.filter((e) => e.request_id === r.ctx.requestId)).toEqual([
        {
          request_id: r.ctx.requestId,
          user_id: r.ctx.actor.userId,
          action: 'consultation',
          route: 'GET /crimes/:id',
          force_ids: ['derbyshire'],
          record_ids: [r.id.toLowerCase()],
          record_count: 1,
          query: null,
        },
      ]);
  });

  it('never puts reads of different scopes in one statement', async () => {
    const d = await record('derbyshire');
    const k = await record('kent');
    const derby = actor(['derbyshire']);
    const kent = actor(['kent']);
    const reads = Array.from({ length: 8 }, (_, i) =>
      i % 2 ? { who: kent, id: k } : { who: derby, id: d },
    );
    spy.mockClear();
    const results = await Promise.allSettled(reads.map((r) => query.get(ctx(r.who), r.id)));
    expect(results.map(outcome)).toEqual(reads.map((r) => r.id));
    // Each scope's first goes at once, its other three together.
    expect(sizes().sort()).toEqual([1, 1, 3, 3]);
    for (const [scope, , params] of spy.mock.calls)
      expect(params[0]).toEqual(
        (params[0] as string[]).map(() => ((scope as string[])[0] === 'kent' ? k : d)),
      );
  });

  it('gives each read of a failed statement its own answer and logs only those that were answered', async () => {
    const a = await record('derbyshire');
    const b = await record('derbyshire');
    // The web pages pass an id as it came: one that is no uuid fails the whole statement (22P02), then each read
    // goes alone.
    const ids = [a, b, a, 'not-a-uuid', b];
    const requests = ids.map((id) => ({ id, ctx: ctx(actor(['derbyshire'])) }));
    spy.mockClear();
    const results = await Promise.allSettled(requests.map((r) => query.get(r.ctx, r.id)));
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(sizes()).toEqual([1, 4, 1, 1, 1, 1]);
    const logged = await entries(requests.map((r) => r.ctx.requestId));
    expect(logged.map((e) => e.request_id).sort()).toEqual(
      requests
        .filter((r) => r.id !== 'not-a-uuid')
        .map((r) => r.ctx.requestId)
        .sort(),
    );
  });

  // The statements that appended list entries since the last mockClear(), as their numbers of entries.
  const appends = () =>
    spy.mock.calls
      .filter(([, sql]) => sql.startsWith('INSERT INTO access_log') && sql.includes('VALUES'))
      .map(([, , params]) => params.length / 10);

  it('logs each list after its page as its query and size, with the entries of lists that arrive together', async () => {
    await record('derbyshire');
    await record('derbyshire');
    await record('kent');
    const lists: { who: Actor; q: CrimeListQuery; c?: RequestContext }[] = [
      { who: actor('all'), q: { limit: 2 } },
      { who: actor(['derbyshire']), q: { limit: 50, onlineFlag: 'no' } },
      { who: actor('all'), q: { limit: 5, reference: 'NO/SUCH/REF' } },
      { who: actor(['kent', 'derbyshire']), q: { limit: 3 } },
      { who: actor(['kent']), q: { limit: 1 } },
      { who: actor(['derbyshire']), q: { limit: 4 } },
    ];
    for (const l of lists) l.c = { ...ctx(l.who), route: 'GET /crimes' };
    spy.mockClear();
    const pages = await Promise.all(lists.map((l) => query.list(l.c!, l.q)));
    // Appended after their pages, in fewer statements than lists (how they group depends on when the pages return;
    // the next test pins the batching itself).
    expect(appends().reduce((a, b) => a + b, 0)).toBe(lists.length);
    expect(appends().length).toBeLessThan(lists.length);
    const logged = await entries(lists.map((l) => l.c!.requestId));
    lists.forEach((l, i) => {
      const shown = pages[i]!.items;
      const forces =
        l.who.forces === 'all'
          ? [...new Set(shown.map((v) => v.forceId))].sort()
          : [...l.who.forces].sort();
      expect(logged.filter((e) => e.request_id === l.c!.requestId)).toEqual([
        {
          request_id: l.c!.requestId,
          user_id: l.who.userId,
          action: 'consultation',
          route: 'GET /crimes',
          force_ids: forces,
          record_ids: [],
          record_count: shown.length,
          query: { ...l.q, page: 'first' },
        },
      ]);
    });
    // The national pages named the forces they showed, and the empty one none.
    expect(pages[0]!.items).toHaveLength(2);
    expect(pages[2]!.items).toHaveLength(0);
    expect(logged.find((e) => e.request_id === lists[2]!.c!.requestId)!.force_ids).toEqual([]);
  });

  it('appends entries that arrive together in fewer statements, each as if alone', async () => {
    const log = app.get(AccessLogService);
    const c = ctx(actor(['derbyshire']));
    const made = Array.from({ length: 6 }, (_, i) => ({
      userId: c.actor.userId,
      action: 'consultation' as const,
      forceIds: ['derbyshire'],
      route: 'GET /crimes',
      query: { limit: i + 1 },
      recordCount: i,
      requestId: randomUUID(),
    }));
    spy.mockClear();
    await Promise.all(made.map((e) => log.append(e)));
    // One statement starts at once; the five that arrived meanwhile go in the next one.
    expect(appends()).toEqual([1, 5]);
    const logged = await entries(made.map((e) => e.requestId));
    expect(logged.map((e) => [e.request_id, e.record_count, e.query]).sort()).toEqual(
      made.map((e) => [e.requestId, e.recordCount, e.query]).sort(),
    );
  });

  // CrimePageReader: the lists that ask for the same page while it is being read share the next read of it.
  describe('lists of the same page', () => {
    // The page statements since the last mockClear(), as their scopes and values.
    const pageReads = () =>
      spy.mock.calls
        .filter(
          ([, sql]) => sql.includes('FROM crimes c') && sql.includes('ORDER BY c.recorded_at DESC'),
        )
        .map(([scope, , params]) => ({ scope, params }));
    const listCtx = (who: Actor) => ({ ...ctx(who), route: 'GET /crimes' });

    it('reads a page once for the lists that ask for it together, each answered and logged as if alone', async () => {
      await record('derbyshire');
      const alone = await query.listJson(listCtx(actor(['derbyshire'])), { limit: 3 });
      const lists = Array.from({ length: 6 }, () => listCtx(actor(['derbyshire'])));
      spy.mockClear();
      const pages = await Promise.all(lists.map((c) => query.listJson(c, { limit: 3 })));
      // The first is read at once; the five that arrived meanwhile share the next read.
      expect(pageReads()).toHaveLength(2);
      for (const page of pages) expect(page).toBe(alone); // nothing was recorded in Derbyshire meanwhile
      const logged = await entries(lists.map((c) => c.requestId));
      expect(logged.map((e) => [e.request_id, e.user_id, e.record_count]).sort()).toEqual(
        lists.map((c) => [c.requestId, c.actor.userId, 3]).sort(),
      );
    });

    it('never shares a page between scopes or between queries', async () => {
      await record('kent');
      const lists: [Actor, CrimeListQuery][] = [
        [actor(['derbyshire']), { limit: 2 }],
        [actor(['derbyshire']), { limit: 2 }],
        [actor(['kent', 'derbyshire']), { limit: 2 }],
        [actor(['kent', 'derbyshire']), { limit: 2 }],
        [actor(['derbyshire']), { limit: 3 }],
        [actor(['derbyshire']), { limit: 3 }],
        [actor(['derbyshire']), { limit: 2, onlineFlag: 'no' }],
      ];
      spy.mockClear();
      const pages = await Promise.all(lists.map(([who, q]) => query.list(listCtx(who), q)));
      // Each of the four pages asked for is read at once for its first list; the second of each pair goes in the
      // next read of its own page.
      const reads = pageReads().map((r) => JSON.stringify(r));
      expect(reads).toHaveLength(7);
      expect(new Set(reads).size).toBe(4);
      for (const [i, [who]] of lists.entries())
        for (const item of pages[i]!.items) expect(who.forces).toContain(item.forceId);
    });

    it('makes a list that arrives while its page is being read wait for the next read, which sees what was recorded before it arrived', async () => {
      const reader = actor(['derbyshire']);
      const through = spy.getMockImplementation()!;
      let later: Promise<string> | undefined;
      let made: string | undefined;
      spy.mockImplementation(async function (this: ScopedDb, scope, sql, params, options) {
        const rows = await through.call(this, scope, sql, params, options);
        if (later === undefined && sql.includes('ORDER BY c.recorded_at DESC')) {
          // The first page has been read, not yet answered: a record is made, then the second list arrives.
          made = await record('derbyshire');
          later = query.listJson(listCtx(reader), { limit: 1 });
        }
        return rows;
      } as typeof through);
      let first: string;
      try {
        first = await query.listJson(listCtx(reader), { limit: 1 });
      } finally {
        spy.mockImplementation(through);
      }
      const second = (JSON.parse(await later!) as { items: CrimeView[] }).items;
      expect((JSON.parse(first) as { items: CrimeView[] }).items[0]!.id).not.toBe(made);
      expect(second.map((v) => v.id)).toEqual([made]);
    });
  });

  // CrimeViews: the API's list reads each record's view once per version, and the rest of the time only the page's
  // keys. A page answered from kept views must equal a page read whole, whatever changed in between.
  describe('views kept by version', () => {
    const listCtx = (who: Actor) => ({ ...ctx(who), route: 'GET /crimes' });
    // The statements since the last mockClear() that read views by id, as the ids they read.
    const viewReads = () =>
      spy.mock.calls
        .filter(([, sql]) => sql.includes('unnest($1::text[], $2::uuid[])'))
        .map(([, , params]) => params[1] as string[]);
    const wholePageReads = () =>
      spy.mock.calls.filter(
        ([, sql]) => sql.includes('ORDER BY c.recorded_at DESC') && sql.includes('row_to_json'),
      ).length;
    // The page as list() answers it (records mapped and serialised in the app): what listJson must equal.
    const asList = async (who: Actor, q: CrimeListQuery) =>
      JSON.stringify(await query.list(listCtx(who), q));

    it('reads a view once for each version of its record', async () => {
      const reader = actor(['northumbria']);
      const [a, b] = [await record('northumbria'), await record('northumbria')];
      spy.mockClear();
      const first = await query.listJson(listCtx(reader), { limit: 2 });
      expect(viewReads()).toEqual([[b, a]]); // newest first, neither kept yet
      expect(first).toBe(await asList(reader, { limit: 2 }));

      spy.mockClear();
      expect(await query.listJson(listCtx(reader), { limit: 2 })).toBe(first);
      expect(viewReads()).toEqual([]);

      // Changed in SQL: the database advances its version, so its kept view is not used.
      await db.query(`UPDATE crimes SET online_method = 'changed in SQL' WHERE id = $1`, [a]);
      spy.mockClear();
      const after = await query.listJson(listCtx(reader), { limit: 2 });
      expect(viewReads()).toEqual([[a]]);
      expect(after).toBe(await asList(reader, { limit: 2 }));
      const shown = (JSON.parse(after) as { items: CrimeView[] }).items.find((v) => v.id === a)!;
      expect([shown.onlineMethod, shown.version]).toEqual(['changed in SQL', 2]);
    });

    it('reads the page whole when a record changes between its page and its views', async () => {
      const reader = actor(['cumbria']);
      const a = await record('cumbria');
      const c = listCtx(reader);
      const through = spy.getMockImplementation()!;
      let changed = false;
      spy.mockImplementation(async function (this: ScopedDb, scope, sql, params, options) {
        const rows = await through.call(this, scope, sql, params, options);
        if (!changed && sql.includes('c.version FROM crimes c')) {
          // The page's keys have been read; the record changes before its view is.
          changed = true;
          await db.query(`UPDATE crimes SET online_platform = 'changed between' WHERE id = $1`, [
            a,
          ]);
        }
        return rows;
      } as typeof through);
      spy.mockClear();
      let page: string;
      try {
        page = await query.listJson(c, { limit: 1 });
      } finally {
        spy.mockImplementation(through);
      }
      expect(changed).toBe(true);
      expect(viewReads()).toEqual([[a]]);
      expect(wholePageReads()).toBe(1);
      expect(page).toBe(await asList(reader, { limit: 1 }));
      expect((JSON.parse(page) as { items: CrimeView[] }).items[0]!.onlinePlatform).toBe(
        'changed between',
      );
      expect((await entries([c.requestId])).map((e) => e.record_count)).toEqual([1]);
    });

    it('shows a kept view only to a reader whose page holds its record', async () => {
      const d = await record('durham');
      const k = await record('kent');
      // A national reader's page keeps both views; a reader of Durham then sees only Durham's record.
      const national = await query.listJson(listCtx(actor('all')), { limit: 50 });
      const ids = (JSON.parse(national) as { items: CrimeView[] }).items.map((v) => v.id);
      expect(ids).toEqual(expect.arrayContaining([d, k]));
      spy.mockClear();
      const durham = JSON.parse(
        await query.listJson(listCtx(actor(['durham'])), { limit: 50 }),
      ) as {
        items: CrimeView[];
      };
      expect(durham.items.map((v) => v.forceId)).toEqual(durham.items.map(() => 'durham'));
      expect(durham.items.map((v) => v.id)).toContain(d);
    });
  });

  it('answers no list whose entry could not be written, and logs nothing for it', async () => {
    await record('derbyshire');
    const c = { ...ctx(actor(['derbyshire'])), route: 'GET /crimes' };
    const through = spy.getMockImplementation()!;
    spy.mockImplementation(async function (this: ScopedDb, scope, sql, params, options) {
      if (sql.startsWith('INSERT INTO access_log'))
        throw new Error('Connection terminated unexpectedly');
      return through.call(this, scope, sql, params, options);
    } as typeof through);
    try {
      await expect(query.list(c, { limit: 5 })).rejects.toThrow(
        'Connection terminated unexpectedly',
      );
      await expect(query.listJson(c, { limit: 5 })).rejects.toThrow(
        'Connection terminated unexpectedly',
      );
    } finally {
      spy.mockImplementation(through);
    }
    expect(await entries([c.requestId])).toEqual([]);
  });
});
