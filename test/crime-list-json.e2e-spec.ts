import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { CrimeQueryService, type CrimeListQuery } from '#libs/crimes';
import type { RequestContext } from '#libs/auth';
import { ScopedDb } from '#libs/persistence';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { insertCrimeRows, removal, type CrimeRow } from './factories/crime-row.js';
import { loginAs } from './factories/identity.js';

// The API sends a list's page as the database wrote it (CrimeQueryService.listJson, crimeViewJson: issue #21).
// It must be, byte for byte, what serialising list()'s records gives: every field, every value, every escape.
describe('a list page written by the database', () => {
  let app: INestApplication<App>;
  let owner: pg.Client;
  let query: CrimeQueryService;
  const ctx = (forces: string[] | 'all'): RequestContext => ({
    actor: { userId: 'list-json-test', displayName: 'List test', roles: ['auditor'], forces },
    requestId: null,
    route: 'GET /crimes',
    purpose: null,
  });
  // What the API's answer must be: list()'s, serialised as Express's res.json() does.
  const same = async (c: RequestContext, q: CrimeListQuery) => {
    const json = await query.listJson(c, q);
    expect(json).toBe(JSON.stringify(await query.list(c, q)));
    return JSON.parse(json) as { items: { id: string }[]; nextCursor: string | null };
  };

  // Text the two serialisers could escape differently: quotes, backslashes, every kind of control character that
  // a text column can hold, a slash, markup, line and paragraph separators, and characters beyond the BMP.
  const awkward =
    'a "quoted" \\ back\\slash\nnew line\ttab\r\b\f\u0001\u0007\u001f\u007f / </script> \u2028\u2029 é 😀';
  const rows: CrimeRow[] = [
    // Defaults: offline, nothing optional.
    { force_id: 'cumbria', crime_reference: 'LJ/plain' },
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/awkward',
      online_flag: 'yes',
      online_method: awkward,
      online_platform: '{"not":"json"}',
      victim_age: 13,
      victim_sex: 'female',
      suspect_age: 0,
      domestic_abuse: true,
      hate_strands: ['race', 'religion', 'disability'],
      child_sexual_exploitation: true,
      child_sexual_abuse: true,
      incident_reference: 'INC/2019.1_a-b',
      rule_warnings: ['CF-AGE-001', 'CF-ONLINE-002'],
      acknowledged_rules: ['CF-AGE-001'],
    },
    // Microseconds: toJSON() keeps milliseconds, truncated, and so must the page.
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/micro',
      offence_from: '2019-01-01T09:59:59.000001Z',
      offence_to: '2019-01-01T10:00:00.5Z',
      reported_at: '2019-01-02T10:00:00.999999Z',
      recorded_at: '2019-01-02T11:00:00.123456Z',
      created_at: '2019-01-02T11:00:00.0009Z',
      updated_at: '2019-01-03T00:00:00Z',
      version: 3,
    },
    // Either side of a financial year's start in UK time, and a century's turn in the year's name.
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/fy-end',
      reported_at: '2019-03-31T22:00:00Z',
      recorded_at: '2019-03-31T22:59:59.999Z',
    },
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/fy-start',
      reported_at: '2019-03-31T22:00:00Z',
      recorded_at: '2019-03-31T23:00:00Z',
    },
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/y2k',
      offence_from: '2000-01-01T00:00:00Z',
      reported_at: '2000-01-01T00:00:00Z',
      recorded_at: '2000-01-15T00:00:00Z',
    },
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/cancelled',
      status: 'cancelled',
      ...removal('cancelled', '2019-02-01T08:30:00.25Z', 'C1'),
    },
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/transferred',
      status: 'transferred',
      ...removal('transferred', '2019-02-01T08:30:00Z', 'C1', 'dorset'),
    },
    {
      force_id: 'cumbria',
      crime_reference: 'LJ/authority',
      status: 'transferred',
      ...removal('transferred', '2019-02-01T08:30:00Z', 'C1'),
      transferred_to_authority_id: 'police-scotland',
    },
    { force_id: 'cumbria', crime_reference: 'LJ/draft', status: 'draft', online_flag: 'unknown' },
    {
      force_id: 'dorset',
      crime_reference: 'LJ/dorset',
      online_flag: 'yes',
      online_method: 'email',
    },
  ];

  beforeAll(async () => {
    app = await createTestApp();
    query = app.get(CrimeQueryService);
    owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    const db = {
      query: async <T>(sql: string, params?: unknown[]) =>
        (await owner.query(sql, params)).rows as T[],
    };
    await insertCrimeRows(db, rows);
    // Enough records of one force for two full pages and a part, recorded a minute apart.
    await insertCrimeRows(
      db,
      Array.from({ length: 120 }, (_, i) => ({
        force_id: 'dorset',
        crime_reference: `LJ/bulk/${i}`,
        recorded_at: new Date(Date.UTC(2020, 5, 1, 12, i)).toISOString(),
        reported_at: '2020-06-01T10:00:00Z',
        offence_from: '2020-06-01T09:00:00Z',
        online_flag: i % 3 === 0 ? 'yes' : 'no',
        online_method: i % 3 === 0 ? 'a chat app' : null,
        victim_age: i % 2 === 0 ? null : i,
      })),
    );
  });
  afterAll(async () => {
    await owner.end();
    await app.close();
  });

  it('is what serialising the records gives, for every kind of value a record holds', async () => {
    const page = await same(ctx(['cumbria']), {});
    expect(page.items).toHaveLength(rows.filter((r) => r.force_id === 'cumbria').length);
    expect(page.nextCursor).toBeNull();
  });

  it('is the same for one force, several, and all of them, page after page, with the same cursors', async () => {
    for (const c of [ctx(['dorset']), ctx(['cumbria', 'dorset']), ctx('all')]) {
      let cursor: string | undefined;
      const seen = new Set<string>();
      for (let n = 0; n < 10; n++) {
        const page = await same(c, { limit: 50, cursor });
        page.items.forEach((i) => seen.add(i.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen.size).toBeGreaterThanOrEqual(120);
    }
  });

  it('is the same with every filter', async () => {
    const queries: CrimeListQuery[] = [
      { forceId: 'dorset', limit: 7 },
      { financialYear: 2018, limit: 5 },
      { financialYear: 2019 },
      { onlineFlag: 'yes', limit: 3 },
      { status: 'transferred' },
      { offenceCode: '8L', limit: 9 },
      { reference: 'LJ/awkward' },
      { referencePrefix: 'LJ/bulk/1', limit: 4 },
      { reference: 'LJ/none' },
    ];
    for (const q of queries) await same(ctx(['cumbria', 'dorset']), q);
  });

  it('is prepared when browsing (the scope and a cursor at most), and planned for its values when searching', async () => {
    const run = jest.spyOn(ScopedDb.prototype, 'runStatement');
    try {
      const first = await query.listJson(ctx(['dorset']), { limit: 5 });
      await query.listJson(ctx(['cumbria', 'dorset']), {
        limit: 5,
        cursor: (JSON.parse(first) as { nextCursor: string }).nextCursor,
      });
      await query.listJson(ctx('all'), { limit: 5 });
      await query.listJson(ctx(['dorset']), { limit: 5, onlineFlag: 'yes' });
      await query.listJson(ctx(['dorset']), { referencePrefix: 'LJ/bulk/1' });
      // The pages' statements (each list's access-log entry is appended after it, in a statement of its own).
      const pages = run.mock.calls.filter((c) => c[1].includes('FROM crimes'));
      expect(pages.map((c) => c[3]?.prepare)).toEqual([true, true, true, false, false]);
    } finally {
      run.mockRestore();
    }
  });

  it('is what GET /crimes answers, as JSON', async () => {
    const reader = await loginAs(app, ['auditor'], ['cumbria'], 'list-json-reader');
    const res = await request(app.getHttpServer()).get('/crimes?limit=4').set(reader).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const expected = await query.list(ctx(['cumbria']), { limit: 4 });
    expect(res.text).toBe(JSON.stringify(expected));
    expect(res.body.items.map((i: { crimeReference: string }) => i.crimeReference)).toEqual(
      expected.items.map((i) => i.crimeReference),
    );
  });
});
