import type { INestApplication, LoggerService } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { UsersService } from '#libs/auth';
import { createTestApp, testAuthConfig } from './support/create-test-app.js';
import { createUser } from './factories/identity.js';

// Captures everything the app logs, to prove no secret ever reaches the log.
class CapturingLogger implements LoggerService {
  lines: string[] = [];
  private add = (...args: unknown[]) =>
    this.lines.push(
      args
        .map((a) =>
          a instanceof Error
            ? `${a.message} ${a.stack}`
            : typeof a === 'string'
              ? a
              : JSON.stringify(a),
        )
        .join(' '),
    );
  log = this.add;
  error = this.add;
  warn = this.add;
  debug = this.add;
  verbose = this.add;
  fatal = this.add;
}

describe('authentication', () => {
  const config = testAuthConfig();
  const logger = new CapturingLogger();
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  const newUser = (roles: ('registrar' | 'admin')[] = ['registrar']) =>
    createUser(app, 'auth', roles);
  const login = (username: string, password: string) =>
    http().post('/auth/login').send({ username, password });

  beforeAll(async () => {
    app = await createTestApp({ auth: config, logger });
  });
  afterAll(async () => {
    await app.close();
  });

  it('logs in with the right password and the token opens a protected route', async () => {
    const u = await newUser();
    const res = await login(u.username, u.password).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    await http()
      .get('/catalogue/forces')
      .set('authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const u = await newUser();
    const wrong = await login(u.username, 'not-the-password').expect(401);
    const unknown = await login('nobody-here', 'whatever-password').expect(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('locks the account after 5 failures, even against the right password', async () => {
    const u = await newUser();
    for (let i = 0; i < 5; i++) await login(u.username, `wrong-${i}`).expect(401);
    await login(u.username, u.password).expect(401);
  });

  it('rejects requests without a token, with 401', async () => {
    await http().get('/crimes').expect(401);
    await http().get('/catalogue/forces').set('authorization', 'Bearer').expect(401);
  });

  describe('tokens', () => {
    let u: { id: string; username: string; password: string };
    let tokens: { accessToken: string; refreshToken: string };
    const sid = () => tokens.refreshToken.split('.')[0];

    beforeEach(async () => {
      u = await newUser();
      tokens = (await login(u.username, u.password).expect(200)).body;
    });

    it('reads the token from Authorization: Bearer, the scheme in any case (RFC 7235), and no other scheme', async () => {
      const t = tokens.accessToken;
      await http().get('/rules').set('authorization', `Bearer ${t}`).expect(200);
      await http().get('/rules').set('authorization', `bearer ${t}`).expect(200);
      const refused = await http().get('/rules').set('authorization', `Token ${t}`).expect(401);
      expect(refused.body.message).toBe('a valid access token is required');
      await http().get('/rules').set('authorization', t).expect(401);
    });

    it('rejects an expired token', async () => {
      const jwt = new JwtService({ secret: config.jwtSecret });
      const expired = jwt.sign({
        sub: u.username,
        sid: sid(),
        typ: 'access',
        exp: Math.floor(Date.now() / 1000) - 60,
      });
      await http().get('/rules').set('authorization', `Bearer ${expired}`).expect(401);
    });

    it('rejects a token with a tampered signature', async () => {
      const t = tokens.accessToken;
      const tampered = t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA');
      await http().get('/rules').set('authorization', `Bearer ${tampered}`).expect(401);
    });

    it("rejects an unsigned token (alg 'none')", async () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const payload = JSON.parse(
        Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString(),
      );
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...payload, roles: ['admin'] })}.`;
      await http().get('/rules').set('authorization', `Bearer ${none}`).expect(401);
    });

    it('rejects a token signed with another secret or algorithm', async () => {
      const other = new JwtService({ secret: randomBytes(32).toString('hex') });
      const forged = other.sign({ sub: u.username, sid: sid(), typ: 'access' });
      await http().get('/rules').set('authorization', `Bearer ${forged}`).expect(401);
      const hs512 = new JwtService({ secret: config.jwtSecret }).sign(
        { sub: u.username, sid: sid(), typ: 'access' },
        { algorithm: 'HS512' },
      );
      await http().get('/rules').set('authorization', `Bearer ${hs512}`).expect(401);
    });

    it('revokes access and refresh tokens on logout', async () => {
      const auth = { authorization: `Bearer ${tokens.accessToken}` };
      await http().get('/rules').set(auth).expect(200);
      await http().post('/auth/logout').set(auth).expect(204);
      await http().get('/rules').set(auth).expect(401);
      await http().post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    });

    it('rotates the refresh token, and a reused one ends the session', async () => {
      const next = (
        await http().post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(200)
      ).body;
      await http().get('/rules').set('authorization', `Bearer ${next.accessToken}`).expect(200);
      await http().post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
      await http().get('/rules').set('authorization', `Bearer ${next.accessToken}`).expect(401);
      await http().post('/auth/refresh').send({ refreshToken: next.refreshToken }).expect(401);
    });

    it('ends the sessions of a deactivated user at once', async () => {
      await app.get(UsersService).update('test', u.id, { active: false }, () => true);
      await http().get('/rules').set('authorization', `Bearer ${tokens.accessToken}`).expect(401);
      await login(u.username, u.password).expect(401);
    });
  });

  it('never writes a password, token or the signing secret to the log', async () => {
    const u = await newUser();
    const ok = (await login(u.username, u.password).expect(200)).body;
    await login(u.username, `${u.password}-wrong`).expect(401);
    await http().get('/crimes').set('authorization', `Bearer ${ok.accessToken}`).expect(200);
    await http().get('/crimes').set('authorization', `Bearer ${ok.accessToken}x`).expect(401);
    await http().post('/auth/refresh').send({ refreshToken: ok.refreshToken }).expect(200);
    await http()
      .post('/crimes')
      .set('authorization', `Bearer ${ok.accessToken}`)
      .send({ password: u.password })
      .expect(400);
    const text = logger.lines.join('\n');
    expect(logger.lines.length).toBeGreaterThan(0); // the app did log (start-up at least), so the check means something
    for (const secret of [
      u.password,
      ok.accessToken,
      ok.refreshToken,
      ok.refreshToken.split('.')[1],
      config.jwtSecret,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many login attempts from one client', async () => {
    const app = await createTestApp({ authRequestsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (
            await request(app.getHttpServer())
              .post('/auth/login')
              .send({ username: 'nobody-x', password: 'y' })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await app.close();
    }
  });

  it('does not count token refreshes against the login rate limit', async () => {
    const limited = await createTestApp({ authRequestsPerMinute: 2 });
    try {
      const username = `limit.${randomUUID().slice(0, 8)}`;
      const password = randomUUID();
      await limited.get(UsersService).create(
        'test',
        {
          username,
          displayName: username,
          password,
          roles: ['registrar'],
          forceIds: ['cheshire'],
          allForces: false,
        },
        () => true,
      );
      const server = limited.getHttpServer();
      const first = await request(server)
        .post('/auth/login')
        .send({ username, password })
        .expect(200); // login 1 of 2
      let refreshToken = (first.body as { refreshToken: string }).refreshToken;
      for (let i = 0; i < 5; i++) {
        const r = await request(server).post('/auth/refresh').send({ refreshToken }).expect(200);
        refreshToken = (r.body as { refreshToken: string }).refreshToken;
      }
      await request(server).post('/auth/login').send({ username, password }).expect(200); // 2 of 2, after 5 refreshes
      const third = await request(server)
        .post('/auth/login')
        .send({ username, password })
        .expect(429);
      expect(third.body.message).toBe('too many login attempts: wait a minute');
    } finally {
      await limited.close();
    }
  });
});
