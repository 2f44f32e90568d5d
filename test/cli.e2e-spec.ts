import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { main as cli } from '../apps/api/src/cli/commands.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';

// The operator commands, run in-process against the test database.
describe('cyberflag CLI', () => {
  let app: INestApplication<App>;
  let saved: string | undefined;

  beforeAll(async () => {
    saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = testDatabaseUrl();
    app = await createTestApp();
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    await app.close();
  });

  const run = async (args: string[]) => {
    const out: string[] = [];
    const code = await cli(args, (l) => out.push(l));
    return { code, text: out.join('\n') };
  };

  it('creates the first admin with a one-time password that logs in, and refuses a duplicate', async () => {
    const username = `first-admin.${randomUUID().slice(0, 8)}`;
    const created = await run(['user', 'add', '--username', username, '--name', 'First Admin', '--role', 'admin']);
    expect(created.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(created.text)?.[1];
    expect(password).toBeDefined();
    const login = await request(app.getHttpServer()).post('/auth/login').send({ username, password }).expect(200);
    await request(app.getHttpServer()).get('/users').set('authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect((await run(['user', 'add', '--username', username, '--role', 'admin'])).code).toBe(1);
  });

  it('refuses a registrar without a force, and an unknown command', async () => {
    expect((await run(['user', 'add', '--username', `reg.${randomUUID().slice(0, 8)}`, '--role', 'registrar'])).code).toBe(1);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
