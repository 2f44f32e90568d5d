import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { catalogueData } from '#libs/catalogue';
import { createTestApp } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, userOf, type Headers } from './factories/identity.js';

// GET /returns/:year, the year tracker, on 2022-23: Cleveland submitted and
// then edited (2 records changed since), Durham accepted, every other force not started.
const YEAR = '2022-23';
const ALL_IDS = catalogueData.forces.map((f) => f.id).sort();

const record = (force: string, o: Record<string, unknown> = {}) =>
  crimeBody({
    forceId: force,
    offenceCode: '8L',
    victimAge: 30,
    suspectAge: null,
    offenceTo: null,
    onlinePlatform: null,
    reportedAt: '2022-06-01T09:00:00Z',
    recordedAt: '2022-06-01T12:00:00Z',
    offenceFrom: '2022-05-30T18:00:00Z',
    ...o,
  });

interface Row {
  forceId: string;
  state: string;
  version: number;
  changedSinceSubmission: number | null;
  acceptedAt: string | null;
  lastEvent: { action: string; at: string } | null;
}

describe('the year tracker (GET /returns/:year)', () => {
  let app: INestApplication<App>;
  let statistician: Headers,
    nationalAuditor: Headers,
    durhamAuditor: Headers,
    clevelandFcr: Headers,
    clevelandRegistrar: Headers,
    durhamFcr: Headers,
    admin: Headers;
  let submittedAt: string;
  const http = () => request(app.getHttpServer());
  const tracker = async (as: Headers) =>
    (await http().get(`/returns/${YEAR}`).set(as).expect(200)).body as {
      year: string;
      forcesShown: number;
      byState: Record<string, number>;
      forces: Row[];
    };

  beforeAll(async () => {
    app = await createTestApp();
    statistician = await loginAs(app, ['statistician'], 'all', 'stat-tracker');
    nationalAuditor = await loginAs(app, ['auditor'], 'all', 'aud-tracker');
    durhamAuditor = await loginAs(app, ['auditor'], ['durham'], 'aud-durham');
    clevelandFcr = await loginAs(app, ['force_crime_registrar'], ['cleveland'], 'fcr-cleveland');
    clevelandRegistrar = await loginAs(app, ['registrar'], ['cleveland'], 'reg-cleveland');
    durhamFcr = await loginAs(app, ['force_crime_registrar'], ['durham'], 'fcr-durham');
    admin = await loginAs(app, ['admin'], [], 'admin-tracker');
    const edited = (
      await http().post('/crimes').set(clevelandRegistrar).send(record('cleveland')).expect(201)
    ).body as { id: string; version: number };
    await http()
      .post('/crimes')
      .set(clevelandRegistrar)
      .send(record('cleveland', { onlineFlag: 'no', onlineMethod: null }))
      .expect(201);
    await http().post('/crimes').set(durhamFcr).send(record('durham')).expect(201);
    submittedAt = (
      await http()
        .post(`/returns/cleveland/${YEAR}/submit`)
        .set(clevelandFcr)
        .send({ version: 0 })
        .expect(200)
    ).body.latestRevision.submittedAt;
    await http()
      .post(`/returns/durham/${YEAR}/submit`)
      .set(durhamFcr)
      .send({ version: 0 })
      .expect(200);
    await http()
      .post(`/returns/durham/${YEAR}/accept`)
      .set(statistician)
      .send({ version: 1 })
      .expect(200);
    // After Cleveland's submission: one record edited, one added.
    await http()
      .patch(`/crimes/${edited.id}`)
      .set(clevelandRegistrar)
      .send({ version: edited.version, reason: 'age corrected', victimAge: 31 })
      .expect(200);
    await http()
      .post('/crimes')
      .set(clevelandRegistrar)
      .send(
        record('cleveland', {
          recordedAt: '2022-09-01T12:00:00Z',
          reportedAt: '2022-09-01T09:00:00Z',
        }),
      )
      .expect(201);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows a statistician all 44 expected forces, with region, state, version, last event and records changed since submission', async () => {
    const t = await tracker(statistician);
    expect(t.year).toBe(YEAR);
    expect(t.forcesShown).toBe(44);
    expect(t.forces.map((f) => f.forceId)).toEqual(ALL_IDS);
    expect(t.byState).toEqual({
      'not started': 42,
      draft: 0,
      submitted: 1,
      accepted: 1,
      returned: 0,
      locked: 0,
      revised: 0,
    });
    const row = (id: string) => t.forces.find((f) => f.forceId === id);
    expect(row('cleveland')).toEqual({
      forceId: 'cleveland',
      forceName: 'Cleveland Police',
      regionId: 'north-east',
      regionName: 'North East',
      state: 'submitted',
      version: 1,
      currentRevision: 1,
      latestSubmittedAt: submittedAt,
      acceptedAt: null,
      lastEvent: {
        revision: 1,
        action: 'submit',
        fromState: 'draft',
        toState: 'submitted',
        reason: null,
        at: submittedAt,
        by: userOf(clevelandFcr),
      },
      changedSinceSubmission: 2,
    });
    // Durham's acceptance time is its last event's (the acceptance of revision 1).
    expect(row('durham')!.acceptedAt).toBe(row('durham')!.lastEvent!.at);
    expect(row('durham')).toMatchObject({
      forceName: 'Durham Constabulary',
      regionId: 'north-east',
      state: 'accepted',
      version: 2,
      currentRevision: 1,
      lastEvent: {
        revision: 1,
        action: 'accept',
        fromState: 'submitted',
        toState: 'accepted',
        by: userOf(statistician),
      },
      changedSinceSubmission: 0,
    });
    expect(row('northumbria')).toEqual({
      forceId: 'northumbria',
      forceName: 'Northumbria Police',
      regionId: 'north-east',
      regionName: 'North East',
      state: 'not started',
      version: 0,
      currentRevision: 0,
      latestSubmittedAt: null,
      acceptedAt: null,
      lastEvent: null,
      changedSinceSubmission: null,
    });
    // The same count as the force's own return view.
    const view = (await http().get(`/returns/cleveland/${YEAR}`).set(statistician).expect(200))
      .body;
    expect(view.changedSinceSubmission.recordCount).toBe(2);
  });

  it('shows force users and force auditors only their forces; national auditors all; admins nothing', async () => {
    const mine = await tracker(clevelandFcr);
    expect(mine).toMatchObject({ forcesShown: 1, byState: { submitted: 1, 'not started': 0 } });
    expect(mine.forces.map((f) => [f.forceId, f.state, f.changedSinceSubmission])).toEqual([
      ['cleveland', 'submitted', 2],
    ]);
    expect((await tracker(clevelandRegistrar)).forces.map((f) => f.forceId)).toEqual(['cleveland']);
    expect((await tracker(durhamAuditor)).forces.map((f) => [f.forceId, f.state])).toEqual([
      ['durham', 'accepted'],
    ]);
    expect((await tracker(nationalAuditor)).forces).toHaveLength(44);
    expect((await http().get(`/returns/${YEAR}`).set(admin).expect(403)).body.code).toBe(
      'FORBIDDEN',
    );
  });

  it('logs the read as one consultation over the forces shown, listing no record', async () => {
    await tracker(clevelandFcr);
    const log = (
      await http()
        .get('/access-log')
        .query({ force: 'cleveland', user: userOf(clevelandFcr), action: 'consultation' })
        .set(nationalAuditor)
        .expect(200)
    ).body as {
      route: string;
      forceIds: string[];
      recordIds: string[];
      recordCount: number;
      query: unknown;
    }[];
    const entry = log.find((e) => e.route === 'GET /returns/:year');
    expect(entry).toMatchObject({
      forceIds: ['cleveland'],
      recordIds: [],
      recordCount: 2,
      query: { year: YEAR, part: 'tracker' },
    });
  });

  it('refuses a year before the flag (422 with the reason) and a malformed year (400)', async () => {
    const before = await http().get('/returns/2014-15').set(statistician).expect(422);
    expect(before.body).toMatchObject({
      code: 'RULE_VIOLATION',
      details: { ruleCodes: ['CF-YEAR-001'], year: '2014-15', firstYear: '2015-16' },
    });
    expect(before.body.message).toMatch(/^2014-15 is before the online crime flag/);
    await http().get('/returns/2015-17').set(statistician).expect(400);
    expect((await tracker(statistician)).forcesShown).toBe(44);
  });
});
