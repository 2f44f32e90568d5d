import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { insertRecords, seedReturn, type Rec } from '#libs/national/testing';
import { main as cli } from '../apps/api/src/cli/commands.js';
import { createTestApp, testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';
import { personas, type Personas } from './factories/identity.js';

// The national return over HTTP. Data (written as the owner):
// 2020-21 accepted: avon-and-somerset, devon-and-cornwall, gloucestershire, wiltshire (South West), kent,
// surrey (South East); dorset submitted only; hampshire returned; sussex records but no return.
// 2021-22 accepted: avon-and-somerset, devon-and-cornwall, kent; gloucestershire submitted; wiltshire records only.
const Y1: [string, Rec[], 'accepted' | 'submitted' | 'returned' | null][] = [
  [
    'avon-and-somerset',
    [
      { code: '88A', flag: 'yes', age: 13, times: 4 },
      { code: '8L', flag: 'yes', age: 30, times: 5 },
      { code: '8L', flag: 'no', age: 30, times: 10 },
    ],
    'accepted',
  ],
  [
    'devon-and-cornwall',
    [
      { code: '19E', flag: 'yes', age: 11, times: 2 },
      { code: '8L', flag: 'no', age: 40, times: 6 },
    ],
    'accepted',
  ],
  [
    'gloucestershire',
    [
      { code: '88A', flag: 'yes', age: 14, sex: 'male', times: 3 },
      { code: '58A', flag: 'no', age: 50, times: 7 },
    ],
    'accepted',
  ],
  [
    'wiltshire',
    [
      { code: '71', flag: 'yes', age: 16 },
      { code: '8L', flag: 'yes', age: 20, times: 2 },
    ],
    'accepted',
  ],
  [
    'kent',
    [
      { code: '88A', flag: 'yes', age: 15, times: 6 },
      { code: '8L', flag: 'no', age: 33, times: 20 },
      { code: '8L', flag: 'unknown', age: null, status: 'draft' },
    ],
    'accepted',
  ],
  [
    'surrey',
    [
      { code: '8L', flag: 'yes', age: 22, times: 3 },
      { code: '88A', flag: 'no', age: 14 },
    ],
    'accepted',
  ],
  ['dorset', [{ code: '8L', flag: 'yes', age: 25, times: 9 }], 'submitted'],
  ['hampshire', [{ code: '8L', flag: 'yes', age: 25, times: 2 }], 'returned'],
  ['sussex', [{ code: '8L', flag: 'no', age: 25, times: 11 }], null],
];
const Y2: typeof Y1 = [
  [
    'avon-and-somerset',
    [
      { code: '88A', flag: 'yes', age: 13, times: 6 },
      { code: '8L', flag: 'no', age: 30, times: 4 },
    ],
    'accepted',
  ],
  ['devon-and-cornwall', [{ code: '8L', flag: 'yes', age: 30, times: 2 }], 'accepted'],
  [
    'kent',
    [
      { code: '88A', flag: 'yes', age: 15, times: 2 },
      { code: '8L', flag: 'yes', age: 30, times: 10 },
    ],
    'accepted',
  ],
  ['gloucestershire', [{ code: '8L', flag: 'yes', age: 30 }], 'submitted'],
  ['wiltshire', [{ code: '8L', flag: 'yes', age: 30, times: 5 }], null],
];

interface Area {
  id: string;
  level: string;
  name: string;
  regionId: string | null;
  coverage: { text: string };
  status?: string;
  tableA?: { rows: { level: string; total: number; flagYes: number }[] };
  tableB?: { summary: { total: number } };
  perDay?: { days: number; recordedCrimes: number };
}
const total = (a: Area) => a.tableA!.rows.at(-1)!.total;

describe('national return', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let pool: pg.Pool;
  let owner: Queryable;
  const http = () => request(app.getHttpServer());
  const combinations = async () =>
    (
      await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM access_log WHERE action = 'combination' AND route = 'GET /national/:year'`,
      )
    )[0]!.n;

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    owner = pgQueryable(pool);
    for (const [year, list] of [
      [2020, Y1],
      [2021, Y2],
    ] as const) {
      for (const [force, recs, state] of list) {
        await insertRecords(owner, force, year, recs);
        if (state) await seedReturn(owner, force, year, state);
      }
    }
  });
  afterAll(async () => {
    await pool.end();
    await app.close();
  });

  it('sums accepted returns force → region → England and Wales, stating coverage on every total', async () => {
    const before = await combinations();
    const { body } = await http().get('/national/2020-21').set(who.statistician).expect(200);
    expect(body.metadata).toMatchObject({
      basis: 'accepted',
      year: { label: '2020-21', days: 365 },
      returns: { expected: 44, received: 8, accepted: 6, included: 6 },
      coverage: { text: '6 of 44 forces' },
    });
    const forces = (body.forces as Area[]).filter((f) => f.tableA);
    expect(forces.map((f) => f.id)).toEqual([
      'avon-and-somerset',
      'devon-and-cornwall',
      'gloucestershire',
      'kent',
      'surrey',
      'wiltshire',
    ]);
    expect(forces.map(total)).toEqual([19, 8, 10, 26, 4, 3]);
    const region = (id: string) => (body.regions as Area[]).find((r) => r.id === id)!;
    expect(total(region('south-west'))).toBe(19 + 8 + 10 + 3);
    expect(region('south-west').coverage.text).toBe('4 of 5 forces');
    expect(total(region('south-east'))).toBe(26 + 4);
    expect(region('south-east').coverage.text).toBe('2 of 5 forces');
    for (const r of body.regions as Area[])
      expect(total(r)).toBe(
        forces.filter((f) => f.regionId === r.id).reduce((s, f) => s + total(f), 0),
      );
    expect(total(body.national)).toBe(70);
    expect(body.national.tableB.summary).toMatchObject({ total: 16, rapes: 2, modalAge: 15 });
    expect(body.national.perDay).toMatchObject({ days: 365, recordedCrimes: 0.2 });
    // Missing forces are rows, never dropped.
    const row = (id: string) => (body.forces as Area[]).find((f) => f.id === id)!;
    expect(row('sussex')).toEqual({
      level: 'force',
      id: 'sussex',
      name: 'Sussex Police',
      regionId: 'south-east',
      status: 'not received',
    });
    expect(row('dorset').status).toBe('received, not accepted');
    expect(row('hampshire').status).toBe('received, not accepted');
    expect(body.forces).toHaveLength(44);
    // Aggregates of accepted snapshots are not record-level data: nothing to log.
    expect(await combinations()).toBe(before);
  });

  it('previews every force from live records, logged as a combination', async () => {
    const before = await combinations();
    const { body } = await http()
      .get('/national/2020-21')
      .query({ basis: 'live' })
      .set(who.statistician)
      .set('x-access-purpose', 'national preview')
      .expect(200);
    expect(body.metadata).toMatchObject({
      basis: 'live',
      coverage: { text: '44 of 44 forces' },
      returns: { accepted: 6 },
    });
    const forces = body.forces as Area[];
    const byId = (id: string) => forces.find((f) => f.id === id)!;
    expect([
      total(byId('dorset')),
      total(byId('sussex')),
      total(byId('hampshire')),
      total(byId('kent')),
    ]).toEqual([9, 11, 2, 26]);
    expect(total(body.national)).toBe(forces.reduce((s, f) => s + total(f), 0));
    for (const r of body.regions as Area[])
      expect(total(r)).toBe(
        forces.filter((f) => f.regionId === r.id).reduce((s, f) => s + total(f), 0),
      );
    expect(await combinations()).toBe(before + 1);
    const [entry] = await owner.query<{
      purpose: string;
      force_ids: string[];
      record_count: number;
    }>(
      `SELECT purpose, force_ids, record_count FROM access_log WHERE action = 'combination' AND route = 'GET /national/:year' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry).toMatchObject({ purpose: 'national preview' });
    expect(entry!.force_ids).toHaveLength(44);
    expect(entry!.record_count).toBeGreaterThanOrEqual(82);
  });

  it('compares years over the forces accepted in both only', async () => {
    const { body } = await http()
      .get('/national/2021-22/compare/2020-21')
      .set(who.statistician)
      .expect(200);
    expect(body.forcesIncluded.map((f: { forceId: string }) => f.forceId)).toEqual([
      'avon-and-somerset',
      'devon-and-cornwall',
      'kent',
    ]);
    expect(body.metadata.coverage.text).toMatch(/^3 of 4\d forces$/);
    const excluded = new Map(
      (body.forcesExcluded as { forceId: string; reason: string }[]).map((f) => [
        f.forceId,
        f.reason,
      ]),
    );
    expect(excluded.get('gloucestershire')).toBe(
      '2021-22: received, not accepted; 2020-21: included',
    );
    expect(excluded.get('surrey')).toBe('2021-22: not received; 2020-21: included');
    expect(excluded.get('wiltshire')).toBe('2021-22: not received; 2020-21: included');
    const m = (name: string) =>
      body.national.measures.find((x: { measure: string }) => x.measure === name);
    expect(m('recordedCrimes')).toEqual({
      measure: 'recordedCrimes',
      base: 19 + 8 + 26,
      current: 10 + 2 + 12,
      change: -29,
      pctChange: -54.7,
    });
    expect(m('childSexualOffences')).toEqual({
      measure: 'childSexualOffences',
      base: 12,
      current: 8,
      change: -4,
      pctChange: -33.3,
    });
    expect(body.regions.find((r: { id: string }) => r.id === 'south-west').coverage.text).toBe(
      '2 of 5 forces',
    );
    await http().get('/national/2021-22/compare/2021-22').set(who.statistician).expect(400);
  });

  it('exports year on year as CSV: every area and measure, then the forces left out with the reason', async () => {
    const json = (
      await http().get('/national/2021-22/compare/2020-21').set(who.statistician).expect(200)
    ).body;
    const csv = await http()
      .get('/national/2021-22/compare/2020-21')
      .query({ format: 'csv' })
      .set(who.statistician)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('national-2021-22-vs-2020-21.csv');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'level,area_id,area,coverage,measure,base_year,base,year,current,change,pct_change,note',
    );
    const cov = json.metadata.coverage.text;
    expect(lines).toContain(
      `national,england-and-wales,England and Wales,${cov},recordedCrimes,2020-21,53,2021-22,24,-29,-54.7,`,
    );
    expect(lines).toContain(
      `national,england-and-wales,England and Wales,${cov},childSexualOffences,2020-21,12,2021-22,8,-4,-33.3,`,
    );
    expect(lines).toContain(
      'force,gloucestershire,Gloucestershire Constabulary,,excluded,2020-21,,2021-22,,,,"2021-22: received, not accepted; 2020-21: included"',
    );
    // 7 measures for England and Wales, each region and each compared force; one line per force left out; the final CRLF.
    expect(lines).toHaveLength(
      1 + 7 * (1 + json.regions.length + json.forces.length) + json.forcesExcluded.length + 1,
    );
    await http()
      .get('/national/2021-22/compare/2020-21')
      .query({ format: 'xlsx' })
      .set(who.statistician)
      .expect(400);
  });

  it('exports CSV in long form and XLSX, with missing forces as rows', async () => {
    const csv = await http()
      .get('/national/2020-21')
      .query({ format: 'csv' })
      .set(who.statistician)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('level,area_id,area,coverage,table,row,column,value');
    expect(lines).toContain(
      'national,england-and-wales,England and Wales,6 of 44 forces,A,Total,total,70',
    );
    expect(lines).toContain('region,south-west,South West,4 of 5 forces,A,Total,total,40');
    expect(lines).toContain('force,sussex,Sussex Police,,coverage,,status,not received');
    const xlsx = await http()
      .get('/national/2020-21')
      .query({ format: 'xlsx' })
      .set(who.statistician)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Cover',
      'Coverage',
      'A national',
      'B national',
      'C national',
      'Regions',
      'Forces',
      'Long',
    ]);
    const forces = wb.getWorksheet('Forces')!;
    const values = (r: number) => (forces.getRow(r).values as unknown[]).slice(1);
    const rows = Array.from({ length: forces.rowCount }, (_, i) => values(i + 1));
    expect(rows.find((r) => r[0] === 'Sussex Police')).toEqual([
      'Sussex Police',
      '',
      'not received',
    ]);
    expect(rows.find((r) => r[0] === 'Kent Police')!.slice(0, 4)).toEqual([
      'Kent Police',
      '1 of 1 forces',
      'included',
      26,
    ]);
  });

  it('runs from the command line with the same figures', async () => {
    const saved = process.env.DATABASE_URL;
    const dir = mkdtempSync(join(tmpdir(), 'cyberflag-national-'));
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.DATABASE_APP_URL = testAppDatabaseUrl();
    try {
      const out: string[] = [];
      expect(
        await cli(['national', '2020-21', '--format', 'csv', '--out', join(dir, 'n.csv')], (l) =>
          out.push(l),
        ),
      ).toBe(0);
      expect(out.join('\n')).toMatch(/^wrote .*n\.csv \(\d+ bytes, text\/csv\)$/);
      expect(readFileSync(join(dir, 'n.csv'), 'utf8')).toContain(
        'national,england-and-wales,England and Wales,6 of 44 forces,A,Total,total,70',
      );
      expect(await cli(['national', '2020-21', '--basis', 'nope'], () => undefined)).toBe(1);
      expect(await cli(['national'], () => undefined)).toBe(1);
    } finally {
      process.env.DATABASE_URL = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is for national statisticians only, and refuses a malformed year', async () => {
    await http().get('/national/2020-21').set(who.derbyshireRegistrar).expect(403);
    await http().get('/national/2020-21').set(who.nationalAuditor).expect(403);
    await http().get('/national/2020-21/compare/2021-22').set(who.admin).expect(403);
    await http().get('/national/2020-22').set(who.statistician).expect(400);
    await http()
      .get('/national/2020-21')
      .query({ basis: 'maybe' })
      .set(who.statistician)
      .expect(400);
  });
});
