import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { UsersService, type Actor, type RequestContext, type Role } from '#libs/auth';

export type Headers = Record<string, string>;

// Real users, real login: each persona is created through UsersService and logs in over HTTP.
export async function loginAs(
  app: INestApplication,
  roles: Role[],
  forces: string[] | 'all',
  name = roles.join('-'),
): Promise<Headers> {
  const username = `${name.replace(/_/g, '-')}.${randomUUID().slice(0, 8)}`;
  const password = randomBytes(16).toString('base64url');
  await app.get(UsersService).create(
    'test',
    {
      username,
      displayName: username,
      password,
      roles,
      forceIds: forces === 'all' ? [] : forces,
      allForces: forces === 'all',
    },
    () => true,
  );
  const res = await request(app.getHttpServer()).post('/auth/login').send({ username, password });
  if (res.status !== 200)
    throw new Error(`login failed for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    authorization: `Bearer ${(res.body as { accessToken: string }).accessToken}`,
    'x-test-user': username,
  };
}

// A real user with a fresh name and password, for tests that log in themselves (by default registrars in
// Derbyshire).
export async function createUser(
  app: INestApplication,
  prefix: string,
  roles: Role[] = ['registrar'],
  forceIds: string[] = roles.includes('registrar') ? ['derbyshire'] : [],
): Promise<{ id: string; username: string; password: string }> {
  const username = `${prefix}-${randomUUID().slice(0, 8)}`;
  const password = randomBytes(16).toString('base64url');
  const user = await app.get(UsersService).create(
    'test',
    {
      username,
      displayName: username,
      password,
      roles,
      forceIds,
      allForces: false,
    },
    () => true,
  );
  return { id: user.id, username, password };
}

export interface Personas {
  derbyshireRegistrar: Headers;
  derbyshireFcr: Headers;
  lincolnshireRegistrar: Headers;
  lincolnshireFcr: Headers;
  nationalAuditor: Headers;
  derbyshireAuditor: Headers;
  statistician: Headers;
  admin: Headers;
}

export async function personas(app: INestApplication): Promise<Personas> {
  return {
    derbyshireRegistrar: await loginAs(app, ['registrar'], ['derbyshire'], 'reg-derbyshire'),
    derbyshireFcr: await loginAs(app, ['force_crime_registrar'], ['derbyshire'], 'fcr-derbyshire'),
    lincolnshireRegistrar: await loginAs(app, ['registrar'], ['lincolnshire'], 'reg-lincolnshire'),
    lincolnshireFcr: await loginAs(
      app,
      ['force_crime_registrar'],
      ['lincolnshire'],
      'fcr-lincolnshire',
    ),
    nationalAuditor: await loginAs(app, ['auditor'], 'all', 'auditor-national'),
    derbyshireAuditor: await loginAs(app, ['auditor'], ['derbyshire'], 'auditor-derbyshire'),
    statistician: await loginAs(app, ['statistician'], 'all', 'statistician'),
    admin: await loginAs(app, ['admin'], [], 'admin'),
  };
}

export const userOf = (h: Headers): string => h['x-test-user'];

// A user of the given forces and the context of one request of theirs, for specs that call services directly
// (no sign-in): a fresh user id and request id each time.
export const serviceActor = (prefix: string, forces: string[] | 'all'): Actor => ({
  userId: `${prefix}-${randomUUID().slice(0, 8)}`,
  displayName: `${prefix} test`,
  roles: ['registrar'],
  forces,
});
export const serviceContext = (actor: Actor, route: string): RequestContext => ({
  actor,
  requestId: randomUUID(),
  route,
  purpose: null,
});
