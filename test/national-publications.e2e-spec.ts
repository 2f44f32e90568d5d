import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { attackPublishedTable, type PublishedTable } from '#libs/disclosure';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { canonicalJson, sha256Hex } from '#libs/returns';
import { insertRecords, seedReturn, type Rec } from '#libs/national/testing';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { downloadPublication } from './support/downloads.js';
import { personas, type Personas } from './factories/identity.js';

// Publications over HTTP. Data: 2021-22, East of England forces: essex, norfolk,
// suffolk, hertfordshire accepted; bedfordshire submitted.
const DATA: [string, Rec[], 'accepted' | 'submitted'][] = [
  [
    'essex',
    [
      { code: '88A', flag: 'yes', age: 13, times: 12 },
      { code: '19E', flag: 'yes', age: 11, times: 2 },
      { code: '8L', flag: 'yes', age: 30, times: 30 },
      { code: '8L', flag: 'no', age: 30, times: 80 },
    ],
    'accepted',
  ],
  [
    'norfolk',
    [
      { code: '88A', flag: 'yes', age: 14, times: 8 },
      { code: '71', flag: 'yes', age: 16, times: 6 },
      { code: '8L', flag: 'yes', age: 30, times: 15 },
      { code: '8L', flag: 'no', age: 30, times: 40 },
    ],
    'accepted',
  ],
  [
    'suffolk',
    [
      { code: '88A', flag: 'yes', age: 15, times: 3 },
      { code: '8L', flag: 'yes', age: 30, times: 20 },
      { code: '8L', flag: 'no', age: 30, times: 60 },
    ],
    'accepted',
  ],
  [
    'hertfordshire',
    [
      { code: '88A', flag: 'yes', age: 13, times: 7 },
      { code: '8L', flag: 'yes', age: 30, times: 25 },
      { code: '8L', flag: 'no', age: 30, times: 70 },
    ],
    'accepted',
  ],
  ['bedfordshire', [{ code: '8L', flag: 'yes', age: 30, times: 4 }], 'submitted'],
];
const MINE = ['essex', 'hertfordshire', 'norfolk', 'suffolk'];

interface Entry {
  id: string;
  rowKeys: string[];
  table: PublishedTable;
  coverage: { text: string };
  notPublishedRows: { key: string; status: string }[];
  allProtected: boolean;
  methodologyNote: string;
  countingUnit: string;
}
interface View {
  id: string;
  sha256: string;
  verified: boolean;
  returnsUsed: { forceId: string; revision: number }[];
  content: { tables: Entry[]; notes: string[]; metadata: { coverage: { text: string } } };
}

describe('national publications', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let pool: pg.Pool;
  let owner: Queryable;
  let first: View;
  const http = () => request(app.getHttpServer());
  const table = (v: View, id: string) => v.content.tables.find((t) => t.id === id)!;
  const row = (t: Entry, key: string) => t.table.cells[t.rowKeys.indexOf(key)]!;

  beforeAll(async () => {
    // Most forces have no 2021-22 return here: the coverage guard (which asks to acknowledge each missing
    // force) is off for this file and has its own tests in national-corrections.e2e-spec.ts.
    app = await createTestApp({ publication: { minCoverage: 0 } });
    who = await personas(app);
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    owner = pgQueryable(pool);
    for (const [force, recs, state] of DATA) {
      await insertRecords(owner, force, 2021, recs);
      await seedReturn(owner, force, 2021, state);
    }
    const res = await http()
      .post('/national/2021-22/publications')
      .set(who.statistician)
      .send({ title: 'Online-flagged crime 2021-22', disclosure: { method: 'threshold' } })
      .expect(201);
    first = res.body as View;
  });
  afterAll(async () => {
    await pool.end();
    await app.close();
  });

  it('publishes disclosure-controlled tables: small counts hidden, nothing recoverable, impossible cells blank', () => {
    const forces = table(first, 'force-by-flag');
    expect(forces.rowKeys).toEqual(expect.arrayContaining(MINE));
    expect(row(forces, 'essex')).toEqual(['14', '30', '80']);
    expect(row(forces, 'suffolk')[0]).toBe('[c]'); // 3 child sexual offences: confidential
    expect(forces.notPublishedRows).toEqual(
      expect.arrayContaining([
        { key: 'bedfordshire', label: 'Bedfordshire Police', status: 'received, not accepted' },
        { key: 'cambridgeshire', label: 'Cambridgeshire Constabulary', status: 'not received' },
      ]),
    );
    expect(forces.coverage.text).toMatch(/^\d+ of 44 forces$/);
    expect(forces.countingUnit).toBe('crimes; one crime per victim');
    for (const t of first.content.tables.filter((x) => x.id !== 'region-by-flag')) {
      expect(t.allProtected).toBe(true);
      for (const hit of attackPublishedTable(t.table, { method: 'threshold' }))
        expect(hit.range.max - hit.range.min).toBeGreaterThanOrEqual(1);
    }
    const offences = table(first, 'csa-offence-by-band');
    // rows are the catalogue's publication groups; unknown ages are not counted on codes open to adults
    expect(offences.rowKeys).toEqual([
      'rape',
      'sexual-assault',
      'sexual-activity-with-a-child',
      'grooming-and-exploitation',
      'other-sexual-offences',
    ]);
    expect(row(offences, 'other-sexual-offences')[5]).toBe('[z]');
    expect(offences.table.grandTotal).toBe(table(first, 'csa-band-by-sex').table.grandTotal);
    expect(table(first, 'region-by-flag').rowKeys).toContain('east-of-england');
  });

  it('stores an immutable hashed snapshot and locks the returns it used', async () => {
    expect(first.sha256).toBe(sha256Hex(canonicalJson(first.content)));
    expect(first.returnsUsed.filter((r) => MINE.includes(r.forceId))).toEqual(
      MINE.map((forceId) => ({
        forceId,
        revision: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      })),
    );
    const states = await owner.query<{ force_id: string; state: string }>(
      `SELECT force_id, state FROM force_returns WHERE financial_year = 2021 AND force_id = ANY($1) ORDER BY force_id`,
      [[...MINE, 'bedfordshire']],
    );
    expect(states).toEqual(
      [
        ['bedfordshire', 'submitted'],
        ['essex', 'locked'],
        ['hertfordshire', 'locked'],
        ['norfolk', 'locked'],
        ['suffolk', 'locked'],
      ].map(([force_id, state]) => ({ force_id, state })),
    );
    const events = await owner.query<{ force_id: string; reason: string }>(
      `SELECT force_id, reason FROM return_events WHERE action = 'lock' AND financial_year = 2021 AND force_id = ANY($1) ORDER BY force_id`,
      [MINE],
    );
    expect(events).toEqual(
      MINE.map((force_id) => ({ force_id, reason: `publication ${first.id}` })),
    );
    // The database refuses to change the publication or to move a locked return, whoever asks.
    await expect(
      owner.query(`UPDATE publications SET title = 'changed' WHERE id = $1`, [first.id]),
    ).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM publications WHERE id = $1`, [first.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      owner.query(
        `UPDATE force_returns SET state = 'accepted' WHERE force_id = 'essex' AND financial_year = 2021`,
      ),
    ).rejects.toThrow(/locked by a national publication/);
    await expect(
      owner.query(
        `UPDATE force_returns SET state = 'returned' WHERE force_id = 'suffolk' AND financial_year = 2021`,
      ),
    ).rejects.toThrow(/locked/);
    // Through the lifecycle API too: no transition from 'locked'.
    const accept = await http()
      .post('/returns/essex/2021-22/accept')
      .set(who.statistician)
      .send({ version: 2 });
    expect(accept.status).toBe(409);
    expect(
      (
        await owner.query<{ state: string }>(
          `SELECT state FROM force_returns WHERE force_id = 'essex' AND financial_year = 2021`,
        )
      )[0]!.state,
    ).toBe('locked');
  });

  it('lists and serves publications to every role, verified, as JSON, tidy CSV, zipped CSV and XLSX', async () => {
    const list = await http()
      .get('/national/2021-22/publications')
      .set(who.derbyshireRegistrar)
      .expect(200);
    expect(list.body.map((p: { id: string }) => p.id)).toContain(first.id);
    const got = await http().get(`/publications/${first.id}`).set(who.admin).expect(200);
    expect(got.body).toMatchObject({ id: first.id, verified: true, sha256: first.sha256 });
    const tidy = await http()
      .get(`/publications/${first.id}`)
      .query({ format: 'csv', layout: 'long' })
      .set(who.nationalAuditor)
      .expect(200);
    const lines = tidy.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'table,row_key,row,column,value,suppressed,reason,coverage,counting_unit',
    );
    expect(
      lines.find((l) =>
        l.startsWith('force-by-flag,suffolk,Suffolk Constabulary,online: child sexual offences,'),
      ),
    ).toMatch(/,\[c\],true,primary,/);
    expect(lines.find((l) => l.startsWith('force-by-flag,bedfordshire,'))).toMatch(
      /,\[x\],false,"received, not accepted",/,
    );
    const zip = await downloadPublication(app, first.id, 'csv', who.statistician);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect((zip.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const xlsx = await downloadPublication(app, first.id, 'xlsx', who.statistician);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    // The accessible-spreadsheet layout (its unit test checks the rules; here the real publication's figures).
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Cover',
      'Contents',
      'Notes',
      'Table_1',
      'Table_2',
      'Table_3',
      'Table_4',
      'Table_5',
      'Returns_used',
      'Tidy_data',
    ]);
    expect(wb.getWorksheet('Table_1')!.getCell('A1').value).toMatch(
      /^Table 1: Recorded crimes by force and online flag/,
    );
    const essex = wb
      .getWorksheet('Table_1')!
      .getRows(1, 60)!
      .find((r) => r.getCell(1).value === 'Essex Police')!;
    expect([2, 3, 4].map((c) => essex.getCell(c).value)).toEqual([14, 30, 80]);
    const sheet = wb.getWorksheet('Table_1')!.getRows(1, 80)!;
    expect(sheet.find((r) => r.getCell(1).value === 'Suffolk Constabulary')!.getCell(2).value).toBe(
      '[c]',
    );
    expect(sheet.find((r) => r.getCell(1).value === 'Bedfordshire Police')!.getCell(2).value).toBe(
      '[x]',
    );
    expect(
      wb
        .getWorksheet('Cover')!
        .getRows(1, 30)!
        .find((r) => r.getCell(1).value === 'Shorthand symbols')!
        .getCell(2).value,
    ).toMatch(/^\[c\] confidential.*\[z\] not applicable.*\[x\] not available/);
    await http()
      .get(`/publications/${first.id}`)
      .query({ layout: 'long' })
      .set(who.statistician)
      .expect(400);
    await http()
      .get('/publications/00000000-0000-4000-8000-000000000000')
      .set(who.statistician)
      .expect(404);
  });

  it('leaves out offence × age band when records changed after acceptance, and applies ONS 10-5', async () => {
    await insertRecords(owner, 'essex', 2021, [{ code: '88A', flag: 'yes', age: 13 }]);
    const { body } = await http()
      .post('/national/2021-22/publications')
      .set(who.statistician)
      .send({ title: 'ONS 10-5', disclosure: { method: 'ons-10-5' } })
      .expect(201);
    const v = body as View;
    expect(v.content.tables.map((t) => t.id)).toEqual([
      'force-by-flag',
      'region-by-flag',
      'csa-band-by-sex',
    ]);
    expect(v.content.notes.join(' ')).toMatch(
      /records of Essex Police changed after their returns were accepted/,
    );
    expect(row(table(v, 'force-by-flag'), 'essex')).toEqual(['15', '30', '80']); // the accepted 14, rounded; not 15 live
    for (const t of v.content.tables) {
      for (const x of [
        ...t.table.cells.flat(),
        ...t.table.rowTotals,
        ...t.table.columnTotals,
        t.table.grandTotal,
      ]) {
        if (/^\d+$/.test(x))
          expect(Number(x) === 0 || (Number(x) >= 10 && Number(x) % 5 === 0)).toBe(true);
      }
    }
  });

  it('previews a publication with its information loss, creating and locking nothing, under the settings asked for', async () => {
    const before = (
      await http().get('/national/2021-22/publications').set(who.statistician).expect(200)
    ).body as unknown[];
    const seeded = ['norfolk', 'bedfordshire'];
    const states = async () =>
      owner.query<{ force_id: string; state: string }>(
        `SELECT force_id, state FROM force_returns WHERE financial_year = 2021 AND force_id = ANY($1) ORDER BY force_id`,
        [seeded],
      );
    const statesBefore = await states();
    const preview = async (disclosure: object) =>
      (
        await http()
          .post('/national/2021-22/publications/preview')
          .set(who.statistician)
          .send({ title: 'Preview', disclosure })
          .expect(200)
      ).body as {
        title: string;
        config: object;
        content: {
          tables: (Entry & {
            informationLoss: {
              cells: number;
              cellsSuppressed: number;
              countSuppressedPercent: number;
            };
          })[];
          disclosureReport: {
            method: string;
            cost: string;
            cells: number;
            cellsSuppressed: number;
            protection: { lower: number; upper: number };
            secondaryFor: { secondary: string; primaries: string[] }[];
          };
        };
      };
    const optimal = await preview({ method: 'threshold' });
    expect(optimal.title).toBe('Preview');
    const report = optimal.content.disclosureReport;
    expect(report).toMatchObject({
      method: 'optimal',
      cost: 'value',
      protection: { lower: 5, upper: 5 },
    });
    expect(report.cellsSuppressed).toBe(
      optimal.content.tables.reduce(
        (s, t) => s + t.table.cells.flat().filter((v) => v === '[c]').length,
        0,
      ),
    );
    for (const t of optimal.content.tables)
      expect(t.informationLoss.cellsSuppressed).toBe(
        t.table.cells.flat().filter((v) => v === '[c]').length,
      );
    expect(report.secondaryFor.length).toBeGreaterThan(0);
    // other settings give another pattern, and say so
    const greedy = await preview({
      method: 'threshold',
      secondaryMethod: 'greedy',
      cost: 'cells',
      upperProtection: 3,
      lowerProtection: 2,
    });
    expect(greedy.config).toEqual({
      method: 'threshold',
      secondaryMethod: 'greedy',
      cost: 'cells',
      protection: { lower: 2, upper: 3 },
    });
    expect(greedy.content.disclosureReport).toMatchObject({
      method: 'greedy',
      cost: 'cells',
      protection: { lower: 2, upper: 3 },
    });
    // nothing created, nothing locked
    expect(
      (await http().get('/national/2021-22/publications').set(who.statistician).expect(200)).body,
    ).toHaveLength(before.length);
    expect(await states()).toEqual(statesBefore);
    await http()
      .post('/national/2021-22/publications/preview')
      .set(who.derbyshireFcr)
      .send({ title: 'x', disclosure: { method: 'threshold' } })
      .expect(403);
    await http()
      .post('/national/2021-22/publications/preview')
      .set(who.statistician)
      .send({ title: 'x', disclosure: { method: 'threshold', cost: 'money' } })
      .expect(400);
  });

  it('validates the request and refuses a year with nothing accepted', async () => {
    const post = (body: object, as = who.statistician, year = '2021-22') =>
      http().post(`/national/${year}/publications`).set(as).send(body);
    await post({ title: 'x', disclosure: { method: 'ons-10-5', threshold: 5 } }).expect(400);
    await post({ title: 'x', disclosure: { method: 'rounding' } }).expect(400);
    await post({ title: 'x', disclosure: { method: 'threshold', threshold: 1 } }).expect(400);
    await post({ title: ' ', disclosure: { method: 'threshold' } }).expect(400);
    await post({ title: 'x', disclosure: { method: 'threshold' }, extra: 1 }).expect(400);
    await post({ title: 'x', disclosure: { method: 'threshold' } }, who.derbyshireFcr).expect(403);
    const none = await post(
      { title: 'x', disclosure: { method: 'threshold' } },
      who.statistician,
      '2031-32',
    ).expect(422);
    expect(none.body.details).toEqual({ ruleCodes: ['CF-PUB-001'] });
  });
});
