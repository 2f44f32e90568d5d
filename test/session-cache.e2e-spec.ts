import { jest } from '@jest/globals';
import { UnauthorizedException, type INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthService, SessionCache, UsersService, type AccessPayload, type Role } from '#libs/auth';
import { createTestApp, testAuthConfig, testDatabaseUrl } from './support/create-test-app.js';
import { createUser } from './factories/identity.js';

// Issue #21 deliver 3: sessions checked from a per-process cache, revocation still at once. Two apps on one database
// stand for two processes, each with its own pool, listener connection and cache. Passport's strategies are
// process-wide (AuthConfig.passportStrategies), so only A serves HTTP; B's requests are its own AuthService's checks,
// as its JWT strategy would make them. The time to live is a minute: within a test only an invalidation can explain
// a session being read again.
describe('session cache across processes (issue #21)', () => {
  const config = testAuthConfig({ sessionCacheMs: 60_000 });
  let a: INestApplication<App>;
  let b: INestApplication<App>;
  let owner: pg.Client;
  // Every statement this process sends that reads auth_sessions, whichever app or path sends it.
  let sessionReads = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the client as this, below
  const query = pg.Client.prototype.query;
  let spy: { mockRestore(): void };

  const cache = (app: INestApplication) => app.get(SessionCache);
  const get = (app: INestApplication<App>, token: string, path = '/rules') =>
    request(app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);
  // B's answer to a request needing `role` (any role when unset), as its guard would give it.
  async function onB(token: string, role?: Role): Promise<number> {
    const payload = await b.get(JwtService).verifyAsync<AccessPayload>(token);
    try {
      const actor = await b.get(AuthService).actorFor(payload);
      return role && !actor.roles.includes(role) ? 403 : 200;
    } catch (e) {
      if (e instanceof UnauthorizedException) return 401;
      throw e;
    }
  }
  // A bounded wait for the other process's listener to hear a NOTIFY (no fixed sleep).
  async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  async function signIn(roles: Role[] = ['registrar']) {
    const { id, username, password } = await createUser(a, 'sc', roles);
    // Storing the password is an UPDATE of users, announced to every listener. A check that overlaps a change it
    // hears is not cached (the change may be newer than what it read): let both hear it first.
    expect([await cache(a).sync(), await cache(b).sync()]).toEqual([true, true]);
    const res = await request(a.getHttpServer())
      .post('/auth/login')
      .send({ username, password })
      .expect(200);
    const body = res.body as { accessToken: string; refreshToken: string };
    return {
      id,
      token: body.accessToken,
      refreshToken: body.refreshToken,
      sid: body.refreshToken.split('.')[0]!,
    };
  }
  // Both processes have checked the session and hold it.
  async function warm(token: string, sid: string, role?: Role): Promise<void> {
    await get(a, token, role ? '/users' : '/rules').expect(200);
    expect(await onB(token, role)).toBe(200);
    expect([cache(a).has(sid), cache(b).has(sid)]).toEqual([true, true]);
  }

  beforeAll(async () => {
    spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text?.includes('auth_sessions')) sessionReads++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    a = await createTestApp({ auth: config });
    b = await createTestApp({ auth: { ...config, passportStrategies: false } });
    owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
  });
  afterAll(async () => {
    spy.mockRestore();
    await owner?.end();
    await a?.close();
    await b?.close();
  });

  it('answers a checked session without reading the database again', async () => {
    const s = await signIn();
    const before = sessionReads;
    await get(a, s.token).expect(200);
    expect(sessionReads - before).toBe(1); // the first check reads it (and proves the count sees it)
    for (let i = 0; i < 5; i++) await get(a, s.token).expect(200);
    expect(sessionReads - before).toBe(1);
  });

  it('signing out on one process ends the session on both at once', async () => {
    const s = await signIn();
    await warm(s.token, s.sid);
    await b.get(AuthService).logout(s.sid); // what B's POST /auth/logout does
    expect(await onB(s.token)).toBe(401); // its own change: no wait at all
    await until('A to hear the sign-out', () => !cache(a).has(s.sid));
    await get(a, s.token).expect(401);
  });

  it('deactivating the user outside the app (SQL) ends the session on both', async () => {
    const s = await signIn();
    await warm(s.token, s.sid);
    await owner.query(`UPDATE users SET active = false WHERE id = $1`, [s.id]);
    await until(
      'both to hear the deactivation',
      () => !cache(a).has(s.sid) && !cache(b).has(s.sid),
    );
    await get(a, s.token).expect(401);
    expect(await onB(s.token)).toBe(401);
  });

  it('a role change without revocation (SQL) is a 403 on both at the next request', async () => {
    const s = await signIn(['admin']);
    await warm(s.token, s.sid, 'admin');
    await owner.query(`UPDATE users SET roles = '{auditor}', all_forces = true WHERE id = $1`, [
      s.id,
    ]);
    await until('both to hear the role change', () => !cache(a).has(s.sid) && !cache(b).has(s.sid));
    await get(a, s.token, '/users').expect(403);
    expect(await onB(s.token, 'admin')).toBe(403);
  });

  it("a role change by an administrator on one process ends the user's sessions on both", async () => {
    const s = await signIn(['admin']);
    await warm(s.token, s.sid, 'admin');
    await b
      .get(UsersService)
      .update('test', s.id, { roles: ['auditor'], allForces: true }, () => true);
    expect(await onB(s.token, 'admin')).toBe(401); // its own change: evicted after the commit
    await until('A to hear the change', () => !cache(a).has(s.sid));
    await get(a, s.token, '/users').expect(401);
  });

  it('a deleted session row ends the session on both', async () => {
    const s = await signIn();
    await warm(s.token, s.sid);
    await owner.query(`DELETE FROM auth_sessions WHERE id = $1`, [s.sid]);
    await until('both to hear the deletion', () => !cache(a).has(s.sid) && !cache(b).has(s.sid));
    await get(a, s.token).expect(401);
    expect(await onB(s.token)).toBe(401);
  });

  it('a refresh rotation announces nothing: the session stays cached on both', async () => {
    const s = await signIn();
    await warm(s.token, s.sid);
    await request(a.getHttpServer())
      .post('/auth/refresh')
      .send({ refreshToken: s.refreshToken })
      .expect(200);
    // A NOTIFY committed before this would have been delivered before the listeners answer a round trip.
    expect([await cache(a).sync(), await cache(b).sync()]).toEqual([true, true]);
    expect([cache(a).has(s.sid), cache(b).has(s.sid)]).toEqual([true, true]);
  });

  it('a lost listener connection drops the cache; caching resumes once it is back', async () => {
    const s = await signIn();
    await warm(s.token, s.sid);
    // A revocation nobody hears (its trigger off for one transaction, as the owner): the cache, live, still serves
    // the session, which shows what the listener is for.
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE auth_sessions DISABLE TRIGGER tg_auth_sessions_notify');
    await owner.query(`UPDATE auth_sessions SET revoked_at = now() WHERE id = $1`, [s.sid]);
    await owner.query('ALTER TABLE auth_sessions ENABLE TRIGGER tg_auth_sessions_notify');
    await owner.query('COMMIT');
    await get(a, s.token).expect(200);

    const pid = cache(a).listenerPid;
    expect(pid).not.toBeNull();
    await owner.query('SELECT pg_terminate_backend($1)', [pid]);
    await until('A to notice the lost listener', () => cache(a).listenerPid !== pid);
    expect(cache(a).has(s.sid)).toBe(false); // forgotten at the loss: a missed notification cannot matter
    await get(a, s.token).expect(401);
    expect(await onB(s.token)).toBe(200); // B's listener was not touched: its entry stands (as A's did before)

    await until('A to listen again', () => cache(a).enabled, 10_000);
    expect(cache(a).listenerPid).not.toBe(pid);
    const t = await signIn();
    const before = sessionReads;
    await get(a, t.token).expect(200);
    await get(a, t.token).expect(200);
    expect(sessionReads - before).toBe(1);
  });

  it('AUTH_SESSION_CACHE_MS=0: no listener, and every request reads the session', async () => {
    const c = await createTestApp({ auth: { ...config, sessionCacheMs: 0 } });
    try {
      expect(cache(c).enabled).toBe(false);
      expect(cache(c).listenerPid).toBeNull();
      const s = await signIn();
      const before = sessionReads;
      for (let i = 0; i < 3; i++) await get(c as INestApplication<App>, s.token).expect(200);
      expect(sessionReads - before).toBe(3);
    } finally {
      await c.close();
    }
  });
});
