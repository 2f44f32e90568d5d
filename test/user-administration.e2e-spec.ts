import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp } from './support/create-test-app.js';
import { loginAs, type Headers } from './factories/identity.js';

// Issue #18 finding 6: an admin created a user holding admin and auditor, with all forces and a password of its
// choosing, then read crimes and the access log; user administration was not logged.
describe('user administration (issue #18 finding 6)', () => {
  let app: INestApplication;
  let admin: Headers;
  let auditor: Headers;
  const http = () => request(app.getHttpServer());
  const name = (p: string) => `${p}.${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await loginAs(app, ['admin'], [], 'uadm-admin');
    auditor = await loginAs(app, ['auditor'], 'all', 'uadm-auditor');
  });
  afterAll(async () => {
    await app.close();
  });

  const create = (body: Record<string, unknown>) => http().post('/users').set(admin).send(body);
  // The entries naming a user's id (as a record id), whoever made them.
  const entriesFor = async (userId: string) =>
    (await http().get(`/access-log?record=${userId}&limit=100`).set(auditor).expect(200)).body as {
      userId: string;
      action: string;
      route: string;
      query: Record<string, unknown> | null;
    }[];

  it('refuses an account holding admin with a data role, on create and on change (422 ROLE_CONFLICT)', async () => {
    const res = await create({
      username: name('both'),
      displayName: 'Both',
      roles: ['admin', 'auditor'],
      allForces: true,
    }).expect(422);
    expect(res.body).toMatchObject({ code: 'ROLE_CONFLICT' });
    const me = (await http().get('/users').set(admin).expect(200)).body as {
      id: string;
      username: string;
    }[];
    const self = me.find((u) => u.username === admin['x-test-user'])!;
    const patched = await http()
      .patch(`/users/${self.id}`)
      .set(admin)
      .send({ roles: ['admin', 'auditor'], allForces: true })
      .expect(422);
    expect(patched.body.code).toBe('ROLE_CONFLICT');
  });

  it('does not let an admin choose a password: a new account gets a one-time password that only sets one', async () => {
    const username = name('newbie');
    await create({
      username,
      displayName: 'N',
      password: 'admin-chosen-password',
      roles: ['auditor'],
      allForces: true,
    }).expect(400);
    const created = await create({
      username,
      displayName: 'N',
      roles: ['auditor'],
      allForces: true,
    }).expect(201);
    expect(created.body).toMatchObject({ username, mustSetPassword: true });
    const oneTime = created.body.oneTimePassword as string;
    expect(oneTime).toMatch(/^[\w-]{20,}$/);
    expect(new Date(created.body.oneTimePasswordExpiresAt).getTime()).toBeGreaterThan(Date.now());
    // The one-time password opens no session: only a ticket to choose a password.
    const first = await http()
      .post('/auth/login')
      .send({ username, password: oneTime })
      .expect(403);
    expect(first.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(first.body.accessToken).toBeUndefined();
    const setupToken = first.body.details.setupToken as string;
    await http().post('/auth/password').send({ setupToken, newPassword: 'short' }).expect(400);
    const chosen = await http()
      .post('/auth/password')
      .send({ setupToken, newPassword: 'my own long passphrase' })
      .expect(200);
    await http()
      .get('/access-log?limit=1')
      .set('authorization', `Bearer ${chosen.body.accessToken}`)
      .expect(200);
    // The ticket works once; the one-time password no longer works; the chosen one does.
    await http()
      .post('/auth/password')
      .send({ setupToken, newPassword: 'another long passphrase' })
      .expect(401);
    await http().post('/auth/login').send({ username, password: oneTime }).expect(401);
    await http()
      .post('/auth/login')
      .send({ username, password: 'my own long passphrase' })
      .expect(200);
    // Every step is in the access log, with who did it.
    const log = await entriesFor(created.body.id as string);
    expect(log.map((e) => [e.userId, e.action, e.route, e.query?.userAdministration])).toEqual([
      [admin['x-test-user'], 'collection', 'POST /users', 'create'],
      [username, 'alteration', 'POST /auth/password', 'password-chosen'],
    ]);
    expect(log[0].query).toMatchObject({
      changed: { roles: ['auditor'], allForces: true, forceIds: [], active: true },
    });
  });

  it('resets a password to a one-time one, ends sessions, and logs changes of access', async () => {
    const username = name('reset');
    const created = await create({
      username,
      displayName: 'R',
      roles: ['registrar'],
      forceIds: ['cumbria'],
    }).expect(201);
    const id = created.body.id as string;
    const ticket = (
      await http()
        .post('/auth/login')
        .send({ username, password: created.body.oneTimePassword })
        .expect(403)
    ).body.details.setupToken as string;
    const session = await http()
      .post('/auth/password')
      .send({ setupToken: ticket, newPassword: 'first chosen passphrase' })
      .expect(200);
    await http()
      .patch(`/users/${id}`)
      .set(admin)
      .send({ password: 'known-to-admin-1' })
      .expect(400);
    const reset = await http()
      .patch(`/users/${id}`)
      .set(admin)
      .send({ resetPassword: true, forceIds: ['cumbria', 'durham'] })
      .expect(200);
    expect(reset.body).toMatchObject({ mustSetPassword: true, forceIds: ['cumbria', 'durham'] });
    await http()
      .get('/auth/me')
      .set('authorization', `Bearer ${session.body.accessToken}`)
      .expect(401);
    await http()
      .post('/auth/login')
      .send({ username, password: 'first chosen passphrase' })
      .expect(401);
    await http()
      .post('/auth/login')
      .send({ username, password: reset.body.oneTimePassword })
      .expect(403);
    await http().patch(`/users/${id}`).set(admin).send({ active: false }).expect(200);
    const log = await entriesFor(id);
    expect(log.map((e) => e.query?.userAdministration)).toEqual([
      'create',
      'password-chosen',
      'update',
      'update',
    ]);
    expect(log[2].query).toMatchObject({
      passwordReset: true,
      changed: { forceIds: ['cumbria', 'durham'] },
      before: { forceIds: ['cumbria'] },
    });
    expect(log[3].query).toMatchObject({ changed: { active: false } });
  });

  it('leads a one-time sign-in on the web to the page that sets a password, then signs in', async () => {
    const username = name('webnew');
    const created = await create({
      username,
      displayName: 'W',
      roles: ['registrar'],
      forceIds: ['cumbria'],
    }).expect(201);
    const agent = request.agent(app.getHttpServer());
    const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const form = await agent.get('/sign-in').expect(200);
    const page = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrf(form.text), username, password: created.body.oneTimePassword, next: '/' })
      .expect(200);
    expect(page.text).toContain('Choose your password');
    expect(page.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^cf_access=/)]),
    );
    const setupToken = /name="setupToken" value="([^"]+)"/.exec(page.text)![1];
    const mismatch = await agent
      .post('/set-password')
      .type('form')
      .send({
        _csrf: csrf(page.text),
        setupToken,
        password: 'web chosen passphrase',
        confirm: 'other',
      })
      .expect(400);
    expect(mismatch.text).toContain('Enter the same password twice');
    const done = await agent
      .post('/set-password')
      .type('form')
      .send({
        _csrf: csrf(mismatch.text),
        setupToken,
        password: 'web chosen passphrase',
        confirm: 'web chosen passphrase',
        next: '/',
      })
      .expect(303);
    expect(done.headers.location).toBe('/');
    await agent.get('/').expect(200);
    await http()
      .post('/auth/login')
      .send({ username, password: 'web chosen passphrase' })
      .expect(200);
  });
});
