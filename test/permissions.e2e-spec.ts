import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, personas, type Headers, type Personas } from './factories/identity.js';
import { UsersService } from '#libs/auth';
import { randomUUID } from 'node:crypto';

type Persona = keyof Personas | 'anonymous' | 'throwaway';
type Call = (ids: Ids) => { path: string; body?: object | string; query?: object; type?: string };
// A public route answers a caller without a token (okStatus, never 401); every other route has one caller who
// may and one who may not, and answers 401 to a caller without a token.
type Case =
  | { route: string; public: true; okStatus?: number; call: Call }
  | {
      route: string; // 'METHOD /path' as in the OpenAPI document
      public?: false;
      allowed: Persona;
      forbidden: Persona;
      status: number; // what the forbidden caller gets
      okStatus?: number;
      call: Call;
    };
interface Ids {
  crime: string;
  crimeReference: string;
  user: string;
  throwaway: Headers; // a fresh login, for routes that end or change the caller's own session
  importId: string;
  auditing: { item: string; audit: string; sampled: string }; // a review item and an audit on the crime's force
  login: { username: string; password: string; refreshToken: string }; // a real account, for the public auth routes
}

// A one-row import file in Derbyshire, 2023-24.
const importCsv = () =>
  'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status\r\n' +
  `MX-${randomUUID().slice(0, 12)},derbyshire,8L,2023-06-01T10:00:00Z,2023-06-01T12:00:00Z,2023-05-30T09:00:00Z,,Y,messages,34,female,confirmed\r\n`;

// The permission matrix: for EVERY route, one caller who may and one who may not. A final test checks that
// every route in the OpenAPI document appears here, so a new route cannot ship without its row.
const cases: Case[] = [
  { route: 'GET /health', public: true, call: () => ({ path: '/health' }) },
  {
    route: 'POST /auth/login',
    public: true,
    call: ({ login }) => ({
      path: '/auth/login',
      body: { username: login.username, password: login.password },
    }),
  },
  {
    route: 'POST /auth/refresh',
    public: true,
    call: ({ login }) => ({ path: '/auth/refresh', body: { refreshToken: login.refreshToken } }),
  },
  {
    route: 'POST /auth/password',
    allowed: 'anonymous',
    forbidden: 'anonymous',
    status: 401,
    okStatus: 401,
    call: () => ({
      path: '/auth/password',
      body: { setupToken: 'not-a-ticket', newPassword: 'a-long-enough-password' },
    }),
  },
  {
    route: 'POST /auth/logout',
    allowed: 'throwaway',
    forbidden: 'anonymous',
    status: 401,
    okStatus: 204,
    call: () => ({ path: '/auth/logout' }),
  },
  {
    route: 'GET /users',
    allowed: 'admin',
    forbidden: 'derbyshireFcr',
    status: 403,
    call: () => ({ path: '/users' }),
  },
  {
    route: 'POST /users',
    allowed: 'admin',
    forbidden: 'nationalAuditor',
    status: 403,
    okStatus: 201,
    call: () => ({
      path: '/users',
      body: {
        username: `matrix-${Date.now()}`,
        displayName: 'M',
        roles: ['auditor'],
        allForces: true,
      },
    }),
  },
  {
    route: 'PATCH /users/{id}',
    allowed: 'admin',
    forbidden: 'statistician',
    status: 403,
    call: (ids) => ({ path: `/users/${ids.user}`, body: { displayName: 'Renamed' } }),
  },
  {
    route: 'GET /access-log',
    allowed: 'nationalAuditor',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: () => ({ path: '/access-log' }),
  },
  {
    route: 'GET /catalogue/forces',
    allowed: 'derbyshireRegistrar',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/catalogue/forces' }),
  },
  {
    route: 'GET /catalogue/regions',
    allowed: 'statistician',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/catalogue/regions' }),
  },
  {
    route: 'GET /catalogue/offences',
    allowed: 'admin',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/catalogue/offences' }),
  },
  {
    route: 'GET /catalogue/unconfirmed-offences',
    allowed: 'nationalAuditor',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/catalogue/unconfirmed-offences' }),
  },
  {
    route: 'GET /catalogue/authorities',
    allowed: 'derbyshireFcr',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/catalogue/authorities' }),
  },
  {
    route: 'GET /rules',
    allowed: 'nationalAuditor',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/rules' }),
  },
  {
    route: 'GET /rules/cancellation-categories',
    allowed: 'derbyshireFcr',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/rules/cancellation-categories' }),
  },
  {
    route: 'POST /crimes',
    allowed: 'derbyshireRegistrar',
    forbidden: 'lincolnshireRegistrar',
    status: 403,
    okStatus: 201,
    call: () => ({ path: '/crimes', body: crimeBody() }),
  },
  {
    route: 'GET /crimes',
    allowed: 'derbyshireAuditor',
    forbidden: 'statistician',
    status: 403,
    call: () => ({ path: '/crimes' }),
  },
  {
    route: 'GET /crimes/{id}',
    allowed: 'derbyshireRegistrar',
    forbidden: 'lincolnshireRegistrar',
    status: 404,
    call: (ids) => ({ path: `/crimes/${ids.crime}` }),
  },
  {
    route: 'GET /crimes/{id}/history',
    allowed: 'derbyshireAuditor',
    forbidden: 'lincolnshireFcr',
    status: 404,
    call: (ids) => ({ path: `/crimes/${ids.crime}/history` }),
  },
  {
    route: 'PATCH /crimes/{id}',
    allowed: 'derbyshireRegistrar',
    forbidden: 'nationalAuditor',
    status: 403,
    call: (ids) => ({
      path: `/crimes/${ids.crime}`,
      body: { version: 1, reason: 'matrix', victimAge: 15 },
    }),
  },
  {
    route: 'POST /crimes/{id}/reclassify',
    allowed: 'derbyshireFcr',
    forbidden: 'admin',
    status: 403,
    call: (ids) => ({
      path: `/crimes/${ids.crime}/reclassify`,
      body: { version: 1, offenceCode: '88A', reason: 'matrix' },
    }),
  },
  {
    route: 'POST /crimes/{id}/confirm',
    allowed: 'derbyshireFcr',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: (ids) => ({ path: `/crimes/${ids.crime}/confirm`, body: { version: 1 } }),
  },
  {
    route: 'POST /crimes/{id}/cancel',
    allowed: 'derbyshireFcr',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: (ids) => ({
      path: `/crimes/${ids.crime}/cancel`,
      body: {
        version: 1,
        category: 'C5',
        justification: 'Recorded in error against the wrong force system entry',
      },
    }),
  },
  {
    route: 'GET /crimes/by-reference/{force}/{path}',
    allowed: 'derbyshireAuditor',
    forbidden: 'lincolnshireRegistrar',
    status: 403,
    call: (ids) => ({ path: `/crimes/by-reference/derbyshire/${ids.crimeReference}` }),
  },
  {
    route: 'POST /crimes/validate',
    allowed: 'derbyshireRegistrar',
    forbidden: 'nationalAuditor',
    status: 403,
    call: () => ({ path: '/crimes/validate', body: crimeBody() }),
  },
  {
    route: 'POST /crimes/{id}/validate',
    allowed: 'derbyshireRegistrar',
    forbidden: 'lincolnshireRegistrar',
    status: 404,
    call: (ids) => ({ path: `/crimes/${ids.crime}/validate`, body: { victimAge: 15 } }),
  },
  {
    route: 'POST /crimes/bulk',
    allowed: 'derbyshireFcr',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: (ids) => ({
      path: '/crimes/bulk',
      body: { mode: 'per_item', items: [{ id: ids.crime, version: 1, confirm: true }] },
    }),
  },
  {
    route: 'GET /imports',
    allowed: 'derbyshireRegistrar',
    forbidden: 'statistician',
    status: 403,
    call: () => ({ path: '/imports' }),
  },
  {
    route: 'GET /audits',
    allowed: 'derbyshireAuditor',
    forbidden: 'derbyshireFcr',
    status: 403,
    call: () => ({ path: '/audits' }),
  },
  {
    route: 'GET /auth/me',
    allowed: 'admin',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/auth/me' }),
  },
  {
    route: 'POST /imports',
    allowed: 'derbyshireRegistrar',
    forbidden: 'nationalAuditor',
    status: 403,
    okStatus: 201,
    call: () => ({ path: '/imports', body: importCsv(), type: 'text/csv' }),
  },
  {
    route: 'GET /imports/{id}',
    allowed: 'derbyshireRegistrar',
    forbidden: 'lincolnshireRegistrar',
    status: 404,
    call: (ids) => ({ path: `/imports/${ids.importId}` }),
  },
  {
    route: 'GET /imports/{id}/report',
    allowed: 'derbyshireAuditor',
    forbidden: 'statistician',
    status: 403,
    call: (ids) => ({ path: `/imports/${ids.importId}/report` }),
  },
  {
    route: 'POST /crimes/{id}/transfer',
    allowed: 'derbyshireFcr',
    forbidden: 'lincolnshireFcr',
    status: 404,
    call: (ids) => ({
      path: `/crimes/${ids.crime}/transfer`,
      body: {
        version: 1,
        toForceId: 'nottinghamshire',
        justification: 'Offence took place in the Nottinghamshire force area',
      },
    }),
  },
  // Returns: derbyshire years (flag years: before 2015-16 is refused with 422). Where the allowed caller cannot get a 200 without a prior
  // state (accept/return need a submission; a revision must exist), its status shows it got past authorisation.
  {
    route: 'GET /returns/{year}',
    allowed: 'derbyshireAuditor',
    forbidden: 'admin',
    status: 403,
    call: () => ({ path: '/returns/2036-37' }),
  },
  {
    route: 'GET /returns/{force}/{year}',
    allowed: 'derbyshireAuditor',
    forbidden: 'lincolnshireRegistrar',
    status: 403,
    call: () => ({ path: '/returns/derbyshire/2036-37' }),
  },
  {
    route: 'POST /returns/{force}/{year}/submit',
    allowed: 'derbyshireFcr',
    forbidden: 'lincolnshireFcr',
    status: 403,
    call: () => ({ path: '/returns/derbyshire/2036-37/submit', body: { version: 0 } }),
  },
  {
    route: 'POST /returns/{force}/{year}/accept',
    allowed: 'statistician',
    forbidden: 'derbyshireFcr',
    status: 403,
    okStatus: 409,
    call: () => ({ path: '/returns/derbyshire/2037-38/accept', body: { version: 0 } }),
  },
  {
    route: 'POST /returns/{force}/{year}/return',
    allowed: 'statistician',
    forbidden: 'nationalAuditor',
    status: 403,
    okStatus: 409,
    call: () => ({
      path: '/returns/derbyshire/2037-38/return',
      body: { version: 0, reason: 'matrix' },
    }),
  },
  {
    route: 'GET /returns/{force}/{year}/validation',
    allowed: 'derbyshireRegistrar',
    forbidden: 'admin',
    status: 403,
    call: () => ({ path: '/returns/derbyshire/2037-38/validation' }),
  },
  {
    route: 'GET /returns/{force}/{year}/revisions',
    allowed: 'statistician',
    forbidden: 'lincolnshireRegistrar',
    status: 403,
    call: () => ({ path: '/returns/derbyshire/2037-38/revisions' }),
  },
  {
    route: 'GET /returns/{force}/{year}/revisions/{rev}',
    allowed: 'derbyshireFcr',
    forbidden: 'lincolnshireFcr',
    status: 403,
    okStatus: 404,
    call: () => ({ path: '/returns/derbyshire/2037-38/revisions/1' }),
  },
  {
    route: 'GET /returns/{force}/{year}/revisions/{a}/diff/{b}',
    allowed: 'nationalAuditor',
    forbidden: 'admin',
    status: 403,
    okStatus: 404,
    call: () => ({ path: '/returns/derbyshire/2037-38/revisions/2/diff/1' }),
  },
  // Auditor workspace (derbyshire data of other tests; refresh on an empty year so it adds nothing).
  {
    route: 'GET /audit/completeness',
    allowed: 'derbyshireAuditor',
    forbidden: 'statistician',
    status: 403,
    call: () => ({ path: '/audit/completeness', query: { force: 'derbyshire', year: '2018-19' } }),
  },
  {
    route: 'GET /audit/under-use',
    allowed: 'nationalAuditor',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: () => ({ path: '/audit/under-use', query: { year: '2018-19' } }),
  },
  {
    route: 'POST /audit/review-queue/refresh',
    allowed: 'derbyshireAuditor',
    forbidden: 'derbyshireFcr',
    status: 403,
    call: () => ({
      path: '/audit/review-queue/refresh',
      query: { force: 'derbyshire', year: '2038-39' },
    }),
  },
  {
    route: 'GET /audit/review-queue',
    allowed: 'derbyshireFcr',
    forbidden: 'statistician',
    status: 403,
    call: () => ({ path: '/audit/review-queue', query: { force: 'derbyshire', limit: '5' } }),
  },
  {
    route: 'POST /audit/review-queue',
    allowed: 'nationalAuditor',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    okStatus: 201,
    call: (ids) => ({ path: '/audit/review-queue', body: { crimeId: ids.crime, note: 'matrix' } }),
  },
  {
    route: 'PATCH /audit/review-queue/{id}',
    allowed: 'derbyshireAuditor',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: (ids) => ({
      path: `/audit/review-queue/${ids.auditing.item}`,
      body: { version: 1, status: 'referred', note: 'matrix' },
    }),
  },
  {
    route: 'POST /audit/review-queue/{id}/correct',
    allowed: 'derbyshireRegistrar',
    forbidden: 'nationalAuditor',
    status: 403,
    call: (ids) => ({
      path: `/audit/review-queue/${ids.auditing.item}/correct`,
      body: { version: 1, reason: 'matrix', changes: { victimAge: 15 } },
    }),
  },
  {
    route: 'POST /audits',
    allowed: 'derbyshireAuditor',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    okStatus: 201,
    call: () => ({
      path: '/audits',
      body: {
        force: 'derbyshire',
        from: '2018-05-01',
        to: '2018-05-01',
        offenceGroups: ['sexual offences'],
        sampleSize: 1,
      },
    }),
  },
  {
    route: 'GET /audits/{id}',
    allowed: 'derbyshireAuditor',
    forbidden: 'lincolnshireFcr',
    status: 403,
    call: (ids) => ({ path: `/audits/${ids.auditing.audit}` }),
  },
  {
    route: 'PUT /audits/{id}/verdicts/{crimeId}',
    allowed: 'nationalAuditor',
    forbidden: 'statistician',
    status: 403,
    call: (ids) => ({
      path: `/audits/${ids.auditing.audit}/verdicts/${ids.auditing.sampled}`,
      body: { flag: 'incorrect', classification: 'correct' },
    }),
  },
  {
    route: 'POST /audits/{id}/close',
    allowed: 'derbyshireAuditor',
    forbidden: 'derbyshireFcr',
    status: 403,
    call: (ids) => ({ path: `/audits/${ids.auditing.audit}/close` }),
  },
  // National (a year with no returns: 2030-31; publishing it is refused after authorisation, 422 CF-PUB-001).
  {
    route: 'GET /national/{year}',
    allowed: 'statistician',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: () => ({ path: '/national/2030-31' }),
  },
  {
    route: 'GET /national/{year}/compare/{otherYear}',
    allowed: 'statistician',
    forbidden: 'nationalAuditor',
    status: 403,
    call: () => ({ path: '/national/2030-31/compare/2029-30' }),
  },
  {
    route: 'POST /national/{year}/publications',
    allowed: 'statistician',
    forbidden: 'derbyshireFcr',
    status: 403,
    okStatus: 422,
    call: () => ({
      path: '/national/2030-31/publications',
      body: { title: 'matrix', disclosure: { method: 'threshold' } },
    }),
  },
  {
    route: 'POST /national/{year}/publications/preview',
    allowed: 'statistician',
    forbidden: 'nationalAuditor',
    status: 403,
    okStatus: 422,
    call: () => ({
      path: '/national/2030-31/publications/preview',
      body: { title: 'matrix', disclosure: { method: 'threshold' } },
    }),
  },
  {
    route: 'GET /national/{year}/publications',
    allowed: 'derbyshireRegistrar',
    forbidden: 'anonymous',
    status: 401,
    call: () => ({ path: '/national/2030-31/publications' }),
  },
  {
    route: 'GET /publications/{id}',
    allowed: 'admin',
    forbidden: 'anonymous',
    status: 401,
    okStatus: 404,
    call: () => ({ path: '/publications/00000000-0000-4000-8000-000000000000' }),
  },
  {
    route: 'POST /reported-incidents',
    allowed: 'derbyshireRegistrar',
    forbidden: 'statistician',
    status: 403,
    okStatus: 201,
    call: () => ({
      path: '/reported-incidents',
      body: {
        forceId: 'derbyshire',
        incidentReference: `MX-N100-${randomUUID().slice(0, 8)}`,
        reportedAt: '2019-06-01T10:00:00Z',
        reason: 'matrix: credible evidence the rape did not occur',
      },
    }),
  },
  {
    route: 'GET /reported-incidents',
    allowed: 'derbyshireFcr',
    forbidden: 'derbyshireRegistrar',
    status: 403,
    call: () => ({ path: '/reported-incidents', query: { force: 'derbyshire' } }),
  },
  {
    route: 'POST /reported-incidents/{id}/crime',
    allowed: 'derbyshireFcr',
    forbidden: 'statistician',
    status: 403,
    okStatus: 404,
    call: (ids) => ({
      path: '/reported-incidents/00000000-0000-4000-8000-000000000000/crime',
      body: { version: 1, crimeId: ids.crime },
    }),
  },
];

// Auditing: a review item (added by hand) for the crime, and a one-record derbyshire audit with its verdict recorded.
async function auditingIds(
  app: INestApplication<App>,
  who: Personas,
  crime: string,
): Promise<Ids['auditing']> {
  const server = () => request(app.getHttpServer());
  const item = (
    await server()
      .post('/audit/review-queue')
      .set(who.nationalAuditor)
      .send({ crimeId: crime, note: 'matrix' })
      .expect(201)
  ).body as { id: string };
  const audit = (
    await server()
      .post('/audits')
      .set(who.nationalAuditor)
      .send({
        force: 'derbyshire',
        from: '2018-05-01',
        to: '2018-05-01',
        offenceGroups: ['sexual offences'],
        sampleSize: 1,
      })
      .expect(201)
  ).body as { id: string; sample: { crimeId: string }[] };
  const sampled = audit.sample[0].crimeId;
  await server()
    .put(`/audits/${audit.id}/verdicts/${sampled}`)
    .set(who.nationalAuditor)
    .send({ flag: 'correct', classification: 'correct' })
    .expect(200);
  return { item: item.id, audit: audit.id, sampled };
}

const noLogin: Ids['login'] = { username: '', password: '', refreshToken: '' };
const placeholderIds: Ids = {
  crime: randomUUID(),
  crimeReference: 'DY/NO-SUCH-REF',
  user: randomUUID(),
  throwaway: {},
  importId: randomUUID(),
  auditing: { item: randomUUID(), audit: randomUUID(), sampled: randomUUID() },
  login: noLogin,
};

describe('permission matrix', () => {
  let app: INestApplication<App>;
  let who: Personas;

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const headers = (p: Persona, ids: Ids): Headers =>
    p === 'anonymous' ? {} : p === 'throwaway' ? ids.throwaway : who[p];

  async function freshIds(route: string): Promise<Ids> {
    // A draft for confirm; a confirmed record otherwise; each case gets its own so order does not matter.
    const body = route.endsWith('/confirm') ? crimeBody({ status: 'draft' }) : crimeBody();
    const crime = (
      await request(app.getHttpServer())
        .post('/crimes')
        .set(who.derbyshireRegistrar)
        .send(body)
        .expect(201)
    ).body as { id: string; crimeReference: string };
    // Users and logins cost an argon2 hash each: make them only for the routes that need them.
    const user = route.startsWith('PATCH /users/')
      ? await app.get(UsersService).create(
          'test',
          {
            username: `matrix-target.${randomUUID().slice(0, 8)}`,
            displayName: 'T',
            password: randomUUID(),
            roles: ['auditor'],
            forceIds: [],
            allForces: true,
          },
          () => true,
        )
      : { id: '' };
    const throwaway =
      route === 'POST /auth/logout' ? await loginAs(app, ['auditor'], 'all', 'throwaway') : {};
    const login = route.startsWith('POST /auth/')
      ? await account(route === 'POST /auth/refresh')
      : noLogin;
    const importId = route.includes('/imports/')
      ? (
          (
            await request(app.getHttpServer())
              .post('/imports')
              .set(who.derbyshireRegistrar)
              .set('content-type', 'text/csv')
              .send(importCsv())
              .expect(201)
          ).body as { id: string }
        ).id
      : '';
    const auditing =
      route.includes('/audit') && route.includes('{id}')
        ? await auditingIds(app, who, crime.id)
        : { item: '', audit: '', sampled: '' };
    return {
      crime: crime.id,
      crimeReference: crime.crimeReference,
      user: user.id,
      throwaway,
      importId,
      auditing,
      login,
    };
  }

  // An account whose password the test knows; logged in once when the route needs a refresh token.
  async function account(withRefreshToken: boolean): Promise<Ids['login']> {
    const username = `matrix-login.${randomUUID().slice(0, 8)}`;
    const password = randomUUID();
    await app
      .get(UsersService)
      .create(
        'test',
        { username, displayName: 'L', password, roles: ['auditor'], forceIds: [], allForces: true },
        () => true,
      );
    if (!withRefreshToken) return { username, password, refreshToken: '' };
    const res = await request(app.getHttpServer())
      .post('/auth/login')
      .send({ username, password })
      .expect(200);
    return {
      username,
      password,
      refreshToken: (res.body as { refreshToken: string }).refreshToken,
    };
  }

  async function send(c: Case, as: Persona, ids: Ids) {
    const [method, ,] = c.route.split(' ');
    const { path, body, query, type } = c.call(ids);
    const server = request(app.getHttpServer());
    const req =
      method === 'GET'
        ? server.get(path)
        : method === 'PATCH'
          ? server.patch(path)
          : method === 'PUT'
            ? server.put(path)
            : server.post(path);
    if (type) req.set('content-type', type);
    return req
      .set(headers(as, ids))
      .query(query ?? {})
      .send(body);
  }

  it.each(cases.map((c) => [c.route, c] as const))(
    '%s: allowed and forbidden callers',
    async (_, c) => {
      if (c.public) {
        // The handler's own answer, which the guard's 401 can never be.
        const ok = await send(c, 'anonymous', await freshIds(c.route));
        expect(ok.status).not.toBe(401);
        expect(ok.status).toBe(c.okStatus ?? 200);
        return;
      }
      const ids = await freshIds(c.route);
      const denied = await send(c, c.forbidden, ids);
      expect(denied.status).toBe(c.status);
      const ok = await send(c, c.allowed, await freshIds(c.route));
      expect(ok.status).toBe(c.okStatus ?? 200);
    },
  );

  // Deny by default: whatever the ids, the guard answers before any handler looks at them.
  it.each(cases.filter((c) => !c.public).map((c) => [c.route, c] as const))(
    '%s: 401 without a token',
    async (_, c) => {
      const res = await send(c, 'anonymous', placeholderIds);
      expect(res.status).toBe(401);
    },
  );

  it('covers every route the API publishes', async () => {
    const doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const published = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(published.sort()).toEqual(cases.map((c) => c.route).sort());
    // The security scheme and each protected route's roles are documented.
    expect(
      JSON.stringify(
        (doc as unknown as { components: { securitySchemes: unknown } }).components.securitySchemes,
      ),
    ).toContain('bearer');
    const cancel = doc.paths['/crimes/{id}/cancel'].post as {
      responses: Record<string, { description: string }>;
    };
    expect(cancel.responses['403'].description).toBe('roles allowed: force_crime_registrar');
  });
});
