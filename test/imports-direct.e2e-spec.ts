import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ImportService } from '#libs/imports';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody, crimesCsv } from './factories/crime.factory.js';
import { loginAs, type Headers } from './factories/identity.js';

// Issue #22 item 4: a file of new records is COPYed straight into crimes as the loader role; a file that names
// existing records (amendments, or a mix) goes through the stage and the merge. Either way the records, history,
// access log and maintained figures come out the same (the loader role itself: direct-copy.int-spec.ts).
const FORCE_A = 'derbyshire';
const FORCE_B = 'nottinghamshire';
const FORCE_C = 'leicestershire';

// n varied rows of one force: statuses, ages and flags differ, so the figures have several groups.
const rowsOf = (force: string, prefix: string, n: number, o: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) =>
    crimeBody({
      forceId: force,
      crimeReference: `${prefix}-${String(i).padStart(5, '0')}`,
      victimAge: i % 7 === 0 ? null : i % 16,
      status: i % 3 === 0 ? 'draft' : 'confirmed',
      domesticAbuse: i % 5 === 0,
      hateStrands: i % 11 === 0 ? ['race'] : [],
      ...o,
    }),
  );

describe('imports: the direct COPY path and the staging path', () => {
  let app: INestApplication<App>;
  let registrar: Headers;
  let owner: pg.Client;
  let paths: boolean[]; // loadDirect's answer for each batch that tried it (true: COPYed into crimes)
  const http = () => request(app.getHttpServer());

  const importCsv = (rows: Record<string, unknown>[]) =>
    http().post('/imports').set(registrar).set('content-type', 'text/csv').send(crimesCsv(rows));

  beforeAll(async () => {
    app = await createTestApp();
    registrar = await loginAs(app, ['registrar'], [FORCE_A, FORCE_B, FORCE_C], 'direct-registrar');
    owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await app.close();
  });

  // Watches the real method; `force` replaces it with "not taken" (the staging path, as without the loader role).
  const watchPaths = (force?: 'staging') => {
    paths = [];
    const service = app.get(ImportService) as unknown as Record<string, () => Promise<boolean>>;
    const real = service.loadDirect.bind(service);
    return jest.spyOn(service, 'loadDirect').mockImplementation(async (...args: unknown[]) => {
      const taken =
        force === 'staging'
          ? false
          : await (real as (...a: unknown[]) => Promise<boolean>)(...args);
      paths.push(taken);
      return taken;
    });
  };
  afterEach(() => jest.restoreAllMocks());

  it('COPYs a file of new records straight into crimes, batch after batch', async () => {
    watchPaths();
    // 1,200 rows: a first batch of 1,000 and a second of 200.
    const res = await importCsv(rowsOf(FORCE_A, 'DIR-NEW', 1200)).expect(201);
    expect(res.body).toMatchObject({
      state: 'completed',
      counts: { read: 1200, accepted: 1200, inserted: 1200, amended: 0, rejected: 0 },
      forces: [FORCE_A],
    });
    expect(paths).toEqual([true, true]);
  });

  it('stages a file that amends existing records, and amends them with history', async () => {
    await importCsv(rowsOf(FORCE_A, 'DIR-AMD', 5)).expect(201);
    watchPaths();
    const res = await importCsv(rowsOf(FORCE_A, 'DIR-AMD', 5, { suspectAge: 44 }));
    expect(res.body).toMatchObject({ state: 'completed', counts: { inserted: 0, amended: 5 } });
    expect(paths).toEqual([false]); // tried once, then the rest of the file staged without trying
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n FROM crime_history h JOIN crimes c ON c.force_id = h.force_id AND c.id = h.crime_id
       WHERE c.crime_reference LIKE 'DIR-AMD-%' AND h.action = 'amended'`,
    );
    expect(rows[0].n).toBe(5);
  });

  it('takes the direct path until a batch names an existing record, then stages the rest', async () => {
    await importCsv(rowsOf(FORCE_A, 'DIR-MIX-OLD', 3)).expect(201);
    watchPaths();
    // Batch 1 (1,000 rows) all new; batch 2 new rows and the three existing records amended; batch 3 new again.
    const rows = [
      ...rowsOf(FORCE_A, 'DIR-MIX-NEW', 1100),
      ...rowsOf(FORCE_A, 'DIR-MIX-OLD', 3, { suspectAge: 50 }),
    ];
    const res = await importCsv(rows);
    expect(res.body).toMatchObject({
      state: 'completed',
      counts: { read: 1103, inserted: 1100, amended: 3, rejected: 0 },
    });
    expect(paths).toEqual([true, false]);
  });

  it('reports a record named twice in one file the same way whichever path its batches took', async () => {
    watchPaths();
    const rows = rowsOf(FORCE_A, 'DIR-DUP', 1001);
    rows[1000] = { ...rows[1000], crimeReference: rows[2].crimeReference as string };
    const res = await importCsv(rows).expect(422);
    expect(paths).toEqual([true, false]);
    const { rows: found } = await owner.query(
      `SELECT count(*)::int AS n FROM crimes WHERE crime_reference LIKE 'DIR-DUP-%'`,
    );
    expect(found[0].n).toBe(0); // all or nothing: the direct batch was rolled back too
    const id = (res.body as { details: { import: { id: string } } }).details.import.id;
    const job = await http().get(`/imports/${id}`).set(registrar).expect(200);
    expect(job.body.rejections).toEqual([
      expect.objectContaining({ line: 1002, codes: ['IMP-DUP-001'] }),
    ]);
  });

  it('writes the same records, history, access log and figures either way', async () => {
    const n = 1200;
    // The same facts in two forces that have no records yet: one file direct, the other through the stage.
    watchPaths();
    const direct = await importCsv(rowsOf(FORCE_B, 'DIR-SAME', n)).expect(201);
    expect(paths).toEqual([true, true]);
    jest.restoreAllMocks();
    watchPaths('staging');
    const staged = await importCsv(rowsOf(FORCE_C, 'DIR-SAME', n)).expect(201);
    expect(paths).toEqual([false, false]);
    expect(staged.body.counts).toEqual(direct.body.counts);

    // Records: every column but the force, the id and the times of writing.
    const records = async (force: string) =>
      (
        await owner.query<Record<string, unknown>>(
          `SELECT * FROM crimes WHERE force_id = $1 ORDER BY crime_reference`,
          [force],
        )
      ).rows.map(({ force_id, id, created_at, updated_at, import_id, ...rest }) => {
        void [force_id, id, created_at, updated_at];
        return { ...rest, import_id: import_id !== null };
      });
    const [a, b] = [await records(FORCE_B), await records(FORCE_C)];
    expect(a).toHaveLength(n);
    expect(b).toEqual(a);

    // History: none for a created record, either way (its creation is the record itself).
    const history = async (force: string) =>
      (
        await owner.query(`SELECT count(*)::int AS n FROM crime_history WHERE force_id = $1`, [
          force,
        ])
      ).rows[0].n as number;
    expect(await history(FORCE_B)).toBe(0);
    expect(await history(FORCE_C)).toBe(0);

    // Access log: the same entries, one per batch, that together name every record the import created.
    const log = async (importId: string, force: string) => {
      const { rows } = await owner.query<{
        user_id: string;
        action: string;
        force_ids: string[];
        route: string;
        purpose: string;
        query: { importId: string };
        record_ids: string[];
        record_count: number;
      }>(`SELECT * FROM access_log WHERE query ->> 'importId' = $1 ORDER BY record_count DESC`, [
        importId,
      ]);
      const ids = (
        await owner.query<{ id: string }>(`SELECT id FROM crimes WHERE import_id = $1`, [importId])
      ).rows.map((r) => r.id);
      expect(rows.flatMap((r) => r.record_ids).sort()).toEqual(ids.sort());
      return rows.map((r) => ({
        user: r.user_id,
        action: r.action,
        forces: r.force_ids.map((f) => (f === force ? 'F' : f)),
        route: r.route,
        purpose: r.purpose.replace(importId, 'ID'),
        // How many per entry follows how the upload was cut into batches, which varies from run to run.
        count: r.record_count > 0,
      }));
    };
    const logA = await log(direct.body.id as string, FORCE_B);
    expect(logA.map((e) => e.action)).toEqual(['collection', 'collection']);
    expect(await log(staged.body.id as string, FORCE_C)).toEqual(logA);

    // Figures: the maintained aggregate, the same groups either way, and equal to a recount from the records.
    const figures = async (view: string, force: string) =>
      (
        await owner.query(
          `SELECT financial_year, offence_code, status, online_flag, cancellation_category, child, child_age,
             child_sex, warnings, sum(n)::int AS n, sum(within_24h)::int AS within_24h,
             sum(unknown_age)::int AS unknown_age, sum(unknown_sex)::int AS unknown_sex,
             sum(version_sum)::int AS version_sum
           FROM ${view} WHERE force_id = $1
           GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9::text`,
          [force],
        )
      ).rows;
    const figA = await figures('crime_figures', FORCE_B);
    expect(figA.length).toBeGreaterThan(3);
    expect(figA.reduce((t, r) => t + (r.n as number), 0)).toBe(n);
    expect(await figures('crime_figures_from_records', FORCE_B)).toEqual(figA);
    expect(await figures('crime_figures', FORCE_C)).toEqual(figA);
  });
});
