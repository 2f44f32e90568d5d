import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, personas, type Headers, type Personas } from './factories/identity.js';
import { UsersService } from '#libs/auth';
import { randomUUID } from 'node:crypto';

type Persona = keyof Personas | 'anonymous' | 'throwaway';
interface Case {
  route: string; // 'METHOD /path' as in the OpenAPI document
  allowed: Persona;
  forbidden: Persona;
  status: number; // what the forbidden caller gets
  okStatus?: number;
  call: (ids: Ids) => { path: string; body?: object | string; query?: object; type?: string };
}
interface Ids {
  crime: string;
  user: string;
  throwaway: Headers; // a fresh login, for routes that end or change the caller's own session
  importId: string;
}

// A one-row import file in Derbyshire, 2013-14.
const importCsv = () =>
  'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status\r\n' +
  `MX-${randomUUID().slice(0, 12)},derbyshire,8L,2013-06-01T10:00:00Z,2013-06-01T12:00:00Z,2013-05-30T09:00:00Z,,Y,messages,34,female,confirmed\r\n`;

// The permission matrix: for EVERY route, one caller who may and one who may not. A final test checks that
// every route in the OpenAPI document appears here, so a new route cannot ship without its row.
const cases: Case[] = [
  { route: 'GET /health', allowed: 'anonymous', forbidden: 'anonymous', status: 200, call: () => ({ path: '/health' }) },
  { route: 'POST /auth/login', allowed: 'anonymous', forbidden: 'anonymous', status: 401, okStatus: 401, call: () => ({ path: '/auth/login', body: { username: 'nobody-at-all', password: 'x' } }) },
  { route: 'POST /auth/refresh', allowed: 'anonymous', forbidden: 'anonymous', status: 401, okStatus: 401, call: () => ({ path: '/auth/refresh', body: { refreshToken: 'bad.token' } }) },
  { route: 'POST /auth/logout', allowed: 'throwaway', forbidden: 'anonymous', status: 401, okStatus: 204, call: () => ({ path: '/auth/logout' }) },
  { route: 'GET /users', allowed: 'admin', forbidden: 'derbyshireFcr', status: 403, call: () => ({ path: '/users' }) },
  { route: 'POST /users', allowed: 'admin', forbidden: 'nationalAuditor', status: 403, okStatus: 201, call: () => ({ path: '/users', body: { username: `matrix-${Date.now()}`, displayName: 'M', password: 'a-long-enough-password', roles: ['auditor'], allForces: true } }) },
  { route: 'PATCH /users/{id}', allowed: 'admin', forbidden: 'statistician', status: 403, call: (ids) => ({ path: `/users/${ids.user}`, body: { displayName: 'Renamed' } }) },
  { route: 'GET /access-log', allowed: 'nationalAuditor', forbidden: 'derbyshireRegistrar', status: 403, call: () => ({ path: '/access-log' }) },
  { route: 'GET /catalogue/forces', allowed: 'derbyshireRegistrar', forbidden: 'anonymous', status: 401, call: () => ({ path: '/catalogue/forces' }) },
  { route: 'GET /catalogue/regions', allowed: 'statistician', forbidden: 'anonymous', status: 401, call: () => ({ path: '/catalogue/regions' }) },
  { route: 'GET /catalogue/offences', allowed: 'admin', forbidden: 'anonymous', status: 401, call: () => ({ path: '/catalogue/offences' }) },
  { route: 'GET /rules', allowed: 'nationalAuditor', forbidden: 'anonymous', status: 401, call: () => ({ path: '/rules' }) },
  { route: 'GET /rules/cancellation-categories', allowed: 'derbyshireFcr', forbidden: 'anonymous', status: 401, call: () => ({ path: '/rules/cancellation-categories' }) },
  { route: 'POST /crimes', allowed: 'derbyshireRegistrar', forbidden: 'lincolnshireRegistrar', status: 403, okStatus: 201, call: () => ({ path: '/crimes', body: crimeBody() }) },
  { route: 'GET /crimes', allowed: 'derbyshireAuditor', forbidden: 'statistician', status: 403, call: () => ({ path: '/crimes' }) },
  { route: 'GET /crimes/{id}', allowed: 'derbyshireRegistrar', forbidden: 'lincolnshireRegistrar', status: 404, call: (ids) => ({ path: `/crimes/${ids.crime}` }) },
  { route: 'GET /crimes/{id}/history', allowed: 'derbyshireAuditor', forbidden: 'lincolnshireFcr', status: 404, call: (ids) => ({ path: `/crimes/${ids.crime}/history` }) },
  { route: 'PATCH /crimes/{id}', allowed: 'derbyshireRegistrar', forbidden: 'nationalAuditor', status: 403, call: (ids) => ({ path: `/crimes/${ids.crime}`, body: { version: 1, reason: 'matrix', victimAge: 15 } }) },
  { route: 'POST /crimes/{id}/reclassify', allowed: 'derbyshireFcr', forbidden: 'admin', status: 403, call: (ids) => ({ path: `/crimes/${ids.crime}/reclassify`, body: { version: 1, offenceCode: '88A', reason: 'matrix' } }) },
  { route: 'POST /crimes/{id}/confirm', allowed: 'derbyshireFcr', forbidden: 'derbyshireRegistrar', status: 403, call: (ids) => ({ path: `/crimes/${ids.crime}/confirm`, body: { version: 1 } }) },
  { route: 'POST /crimes/{id}/cancel', allowed: 'derbyshireFcr', forbidden: 'derbyshireRegistrar', status: 403, call: (ids) => ({ path: `/crimes/${ids.crime}/cancel`, body: { version: 1, category: 'C5', justification: 'Recorded in error against the wrong force system entry' } }) },
  { route: 'POST /imports', allowed: 'derbyshireRegistrar', forbidden: 'nationalAuditor', status: 403, okStatus: 201, call: () => ({ path: '/imports', body: importCsv(), type: 'text/csv' }) },
  { route: 'GET /imports/{id}', allowed: 'derbyshireRegistrar', forbidden: 'lincolnshireRegistrar', status: 404, call: (ids) => ({ path: `/imports/${ids.importId}` }) },
  { route: 'GET /imports/{id}/report', allowed: 'derbyshireAuditor', forbidden: 'statistician', status: 403, call: (ids) => ({ path: `/imports/${ids.importId}/report` }) },
  { route: 'POST /crimes/{id}/transfer', allowed: 'derbyshireFcr', forbidden: 'lincolnshireFcr', status: 404, call: (ids) => ({ path: `/crimes/${ids.crime}/transfer`, body: { version: 1, toForceId: 'nottinghamshire', justification: 'Offence took place in the Nottinghamshire force area' } }) },
];

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

  const headers = (p: Persona, ids: Ids): Headers => (p === 'anonymous' ? {} : p === 'throwaway' ? ids.throwaway : who[p]);

  async function freshIds(route: string): Promise<Ids> {
    // A draft for confirm; a confirmed record otherwise; each case gets its own so order does not matter.
    const body = route.endsWith('/confirm') ? crimeBody({ status: 'draft' }) : crimeBody();
    const crime = (await request(app.getHttpServer()).post('/crimes').set(who.derbyshireRegistrar).send(body).expect(201)).body as { id: string };
    const user = await app.get(UsersService).create('test', { username: `matrix-target.${randomUUID().slice(0, 8)}`, displayName: 'T', password: randomUUID(), roles: ['auditor'], forceIds: [], allForces: true }, () => true);
    const importId = route.includes('/imports/')
      ? ((await request(app.getHttpServer()).post('/imports').set(who.derbyshireRegistrar).set('content-type', 'text/csv').send(importCsv()).expect(201)).body as { id: string }).id
      : '';
    return { crime: crime.id, user: user.id, throwaway: await loginAs(app, ['auditor'], 'all', 'throwaway'), importId };
  }

  async function send(c: Case, as: Persona, ids: Ids) {
    const [method, ,] = c.route.split(' ');
    const { path, body, query, type } = c.call(ids);
    const server = request(app.getHttpServer());
    const req = method === 'GET' ? server.get(path) : method === 'PATCH' ? server.patch(path) : server.post(path);
    if (type) req.set('content-type', type);
    return req.set(headers(as, ids)).query(query ?? {}).send(body);
  }

  it.each(cases.map((c) => [c.route, c] as const))('%s: allowed and forbidden callers', async (_, c) => {
    const ids = await freshIds(c.route);
    const denied = await send(c, c.forbidden, ids);
    expect(denied.status).toBe(c.status);
    const ok = await send(c, c.allowed, await freshIds(c.route));
    expect(ok.status).toBe(c.okStatus ?? 200);
  });

  it('covers every route the API publishes', async () => {
    const doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const published = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(published.sort()).toEqual(cases.map((c) => c.route).sort());
    // The security scheme and each protected route's roles are documented.
    expect(JSON.stringify((doc as unknown as { components: { securitySchemes: unknown } }).components.securitySchemes)).toContain('bearer');
    const cancel = doc.paths['/crimes/{id}/cancel'].post as { responses: Record<string, { description: string }> };
    expect(cancel.responses['403'].description).toBe('roles allowed: force_crime_registrar');
  });
});
