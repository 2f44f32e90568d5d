import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { IMPORT_LOCK_SPACE, ImportJobs } from '#libs/imports';
import { loginAs, type Headers } from './factories/identity.js';
import { createTestApp, testAppDatabaseUrl } from './support/create-test-app.js';
import { ADMIN, blockedBackend, jobRow, lockCrimes, PG_URL } from './support/faults.js';

// Issue #18 finding 10: faults. PostgreSQL restarting under the app, a pool with no free connection, an import
// killed or stopped with SIGTERM half-way, and an app killed with its embedded PostgreSQL still running. The last
// three run the built app as processes and take tens of seconds each: they are in test/faults/ (npm run test:faults,
// which .ci/run calls).
// The app under test reaches the test database through a TCP proxy the test can cut and restore, which is what a
// PostgreSQL restart looks like from the app (connections reset, then refused), without restarting the shared server.

// Forwards one port to PostgreSQL; down() resets every connection and refuses new ones, up() listens again.
class PgProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
      }
    });
    await new Promise<void>((ok) => server.listen(this.port, '127.0.0.1', ok));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((ok) => server.close(ok));
  }
}

describe('faults (issue #18 finding 10)', () => {
  let app: INestApplication;
  let proxy: PgProxy;
  let registrar: Headers;
  // Left `running` as by a killed import: one with no importer, one whose importer (another process) still runs.
  const orphanJob = randomUUID();
  const liveJob = randomUUID();
  let liveImporter: pg.Client;

  beforeAll(async () => {
    const admin = ADMIN();
    await admin.connect();
    try {
      for (const id of [orphanJob, liveJob])
        await admin.query(
          `INSERT INTO imports (id, created_by, scope, format, mode, state) VALUES ($1, 'faults-spec', '{derbyshire}', 'csv', 'all_or_nothing', 'running')`,
          [id],
        );
    } finally {
      await admin.end();
    }
    liveImporter = ADMIN();
    await liveImporter.connect();
    await liveImporter.query('SELECT pg_advisory_lock($1, hashtext($2))', [
      IMPORT_LOCK_SPACE,
      liveJob,
    ]);

    const target = new URL(PG_URL());
    proxy = new PgProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.up();
    // As the app's own login role (the app refuses the owner), through the proxy.
    const viaProxy = new URL(testAppDatabaseUrl());
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    app = await createTestApp({ databaseUrl: viaProxy.toString(), poolTimeoutMs: 1000 });
    registrar = await loginAs(app, ['registrar'], ['derbyshire'], 'faults-registrar');
  });

  afterAll(async () => {
    await liveImporter?.end();
    await app?.close();
    await proxy?.down();
  });

  it('on start, marks failed an import left running by a process that has ended, and leaves one whose importer still runs', async () => {
    const admin = ADMIN();
    await admin.connect();
    try {
      expect(await jobRow(admin, orphanJob)).toEqual({
        state: 'failed',
        error_code: 'IMP-INTERRUPTED',
        error: expect.stringMatching(/interrupted.*nothing was loaded/),
      });
      expect((await jobRow(admin, liveJob)).state).toBe('running');
      // Its importer ends (as a killed process's session does): the next sweep takes it.
      await liveImporter.query('SELECT pg_advisory_unlock_all()');
      expect(await app.get(ImportJobs).sweepInterrupted()).toContain(liveJob);
      expect((await jobRow(admin, liveJob)).state).toBe('failed');
    } finally {
      await admin.end();
    }
  });

  it('PostgreSQL restarting: 503 with Retry-After while it is down, health down, then served again without restarting the app', async () => {
    const http = () => request(app.getHttpServer());
    expect((await http().get('/crimes?limit=1').set(registrar)).status).toBe(200);
    await proxy.down();
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          http().get('/crimes?limit=1').set(registrar).timeout(15_000),
        ),
      );
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE' });
      }
      const health = await http().get('/health').timeout(15_000);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' } },
      });
    } finally {
      await proxy.up();
    }
    const health = await http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await http().get('/crimes?limit=1').set(registrar)).status).toBe(200);
  });

  it('a connection the server terminates mid-query (57P01, as at a restart) answers 503; the next request is served', async () => {
    const lock = await lockCrimes();
    try {
      const pending = request(app.getHttpServer())
        .get('/crimes?limit=1')
        .set(registrar)
        .timeout(15_000)
        .then((r) => r);
      const pid = await blockedBackend();
      await lock.query('SELECT pg_terminate_backend($1)', [pid]);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'UNAVAILABLE' });
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await lock.query('ROLLBACK');
      await lock.end();
    }
    expect((await request(app.getHttpServer()).get('/crimes?limit=1').set(registrar)).status).toBe(
      200,
    );
  });

  it('a pool with no free connection answers 503 within its wait, never hangs, and serves again once one is free', async () => {
    const ds = app.get(DataSource);
    const held = Array.from({ length: 4 }, () => ds.createQueryRunner()); // the test app's pool: 4
    await Promise.all(held.map((r) => r.connect()));
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer())
        .get('/crimes?limit=1')
        .set(registrar)
        .timeout(15_000);
      process.stdout.write(`pool exhausted: 503 after ${Date.now() - started} ms\n`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/busy/),
      });
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await Promise.all(held.map((r) => r.release()));
    }
    expect((await request(app.getHttpServer()).get('/crimes?limit=1').set(registrar)).status).toBe(
      200,
    );
  });
});
