import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UsersService } from '#libs/auth';
import { IMPORT_LOCK_SPACE, ImportJobs, importIdFor } from '#libs/imports';
import { processAlive } from '#libs/persistence';
import { loginAs, type Headers } from './factories/identity.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { collect, freePort, MAIN_JS, startApp, waitFor } from './support/cli-process.js';

// Issue #18 finding 10: faults. PostgreSQL restarting under the app, a pool with no free connection, an import
// killed or stopped with SIGTERM half-way, and an app killed with its embedded PostgreSQL still running.
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

const PG_URL = () => testDatabaseUrl();
const ADMIN = () => new pg.Client({ connectionString: PG_URL() });

// Two rows of the example file under references of this run; the tests never let them load.
function csv(prefix: string): string {
  const lines = readFileSync('docs/examples/crimes-example.csv', 'utf8').trim().split('\n');
  return `${[lines[0], ...lines.slice(1, 3).map((l) => l.replace(/^EX\//, `${prefix}/`))].join('\n')}\n`;
}

// Holds an exclusive lock on crimes, so an import's merge waits inside its transaction until released.
async function lockCrimes(): Promise<pg.Client> {
  const c = ADMIN();
  await c.connect();
  await c.query('BEGIN');
  await c.query('LOCK TABLE crimes IN ACCESS EXCLUSIVE MODE');
  return c;
}

// The app's backend that waits for the crimes lock. Watched from a connection of its own: within the lock's
// transaction, pg_stat_activity would show the same snapshot every time.
async function blockedBackend(): Promise<number> {
  const watch = ADMIN();
  await watch.connect();
  let pid = 0;
  try {
    await waitFor(
      'the app to wait for the crimes lock',
      async () => {
        const { rows } = await watch.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'cyberflag' AND wait_event_type = 'Lock'`,
        );
        pid = rows[0]?.pid ?? 0;
        return pid > 0;
      },
      30_000,
    );
  } finally {
    await watch.end();
  }
  return pid;
}

async function jobRow(
  admin: pg.Client,
  id: string,
): Promise<{ state: string; error_code: string | null; error: string | null }> {
  const { rows } = await admin.query('SELECT state, error_code, error FROM imports WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

// The built app (npm start) on the test database, as a child process.
async function startOnTestDb(): Promise<{
  child: ChildProcess;
  port: number;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: PG_URL(),
    PORT: String(port),
    NO_COLOR: '1',
    LOG_FORMAT: 'text',
    NODE_ENV: 'development',
    JWT_SECRET: 'faults-spec-secret-faults-spec-secret-0123456789',
  };
  const child = spawn(process.execPath, [MAIN_JS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { output, exited } = collect(child);
  await waitFor('the app to listen', () => {
    if (child.exitCode !== null)
      throw new Error(`the app exited (${child.exitCode}): ${output().stdout}${output().stderr}`);
    return new RegExp(`listening on http://[^ ]*:${port} `).test(output().stdout);
  });
  return { child, port, output, exited };
}

async function login(port: number, username: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('faults (issue #18 finding 10)', () => {
  let app: INestApplication;
  let proxy: PgProxy;
  let registrar: Headers;
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
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
    const viaProxy = new URL(PG_URL());
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    app = await createTestApp({ databaseUrl: viaProxy.toString(), poolTimeoutMs: 1000 });
    registrar = await loginAs(app, ['registrar'], ['derbyshire'], 'faults-registrar');
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await liveImporter?.end();
    await app?.close();
    await proxy?.down();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
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

  describe('the built app as a process', () => {
    const username = `faults-proc.${randomUUID().slice(0, 8)}`;
    const password = randomBytes(16).toString('base64url');
    beforeAll(() =>
      app.get(UsersService).create(
        'test',
        {
          username,
          displayName: username,
          password,
          roles: ['registrar'],
          forceIds: ['derbyshire'],
          allForces: false,
        },
        () => true,
      ),
    );

    // Starts an import on the child that waits, inside its transaction, for the crimes lock the test holds.
    async function blockedImport(port: number, lock: pg.Client) {
      const token = await login(port, username, password);
      const clientId = randomUUID();
      const answer = fetch(`http://127.0.0.1:${port}/imports?format=csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-import-id': clientId },
        body: csv(`FAULT${randomUUID().slice(0, 6)}`),
      }).then(async (r) => ({
        status: r.status,
        retryAfter: r.headers.get('retry-after'),
        body: (await r.json()) as Record<string, unknown>,
      }));
      answer.catch(() => undefined);
      const backend = await blockedBackend();
      const id = importIdFor(username, clientId);
      expect((await jobRow(lock, id)).state).toBe('running');
      return { answer, backend, id };
    }

    it('SIGTERM mid-import: the import is cancelled and rolled back, its job failed with the reason, the request answers 503, and the app exits cleanly', async () => {
      const proc = await startOnTestDb();
      children.push(proc.child);
      const lock = await lockCrimes();
      try {
        const { answer, id } = await blockedImport(proc.port, lock);
        proc.child.kill('SIGTERM');
        const res = await answer;
        expect(res.status).toBe(503);
        expect(res.retryAfter).toBe('5');
        expect(res.body).toMatchObject({
          code: 'UNAVAILABLE',
          message: expect.stringMatching(
            /shutting down \(SIGTERM\).*cancelled and nothing was loaded/,
          ),
        });
        expect(await jobRow(lock, id)).toEqual({
          state: 'failed',
          error_code: 'IMP-CANCELLED',
          error: expect.stringMatching(/shutting down \(SIGTERM\); nothing was loaded/),
        });
        const done = await proc.exited;
        expect(done.code).toBe(0);
        expect(done.stdout).toMatch(/SIGTERM: shutting down/);
        expect(done.stdout + done.stderr).not.toMatch(/ERROR/);
      } finally {
        await lock.query('ROLLBACK');
        await lock.end();
      }
    });

    it('SIGKILL mid-import: nothing is loaded, and the next start marks the job failed', async () => {
      const proc = await startOnTestDb();
      children.push(proc.child);
      const lock = await lockCrimes();
      let job: string;
      try {
        const { backend, id } = await blockedImport(proc.port, lock);
        job = id;
        proc.child.kill('SIGKILL');
        await proc.exited;
        // The killed app's session holds the job's lock (and its transaction) until PostgreSQL notices it has gone.
        expect((await jobRow(lock, id)).state).toBe('running');
        await lock.query('ROLLBACK');
        await waitFor('the killed import session to end', async () => {
          const { rowCount } = await lock.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [
            backend,
          ]);
          return rowCount === 0;
        });
      } finally {
        await lock.query('ROLLBACK');
        await lock.end();
      }
      const again = await startOnTestDb();
      children.push(again.child);
      expect(again.output().stdout).toContain(`interrupted import(s) marked failed`);
      const admin = ADMIN();
      await admin.connect();
      try {
        expect(await jobRow(admin, job)).toMatchObject({
          state: 'failed',
          error_code: 'IMP-INTERRUPTED',
        });
      } finally {
        await admin.end();
      }
      again.child.kill('SIGINT');
      expect((await again.exited).code).toBe(0);
    }, 180_000);

    it('an app killed with its embedded PostgreSQL still running: the next start stops that server and starts its own', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cyberflag-faults-'));
      dirs.push(dir);
      const first = await startApp(dir);
      children.push(first.child);
      const pidFile = join(dir, 'pg', 'postmaster.pid');
      const orphan = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(processAlive(orphan)).toBe(true); // left running, holding the data folder

      const second = await startApp(dir);
      children.push(second.child);
      expect(second.output().stdout).toContain(
        `stopping the embedded PostgreSQL server (pid ${orphan}) left running on ${join(dir, 'pg')} by the app (pid ${first.child.pid}) that has ended`,
      );
      const server = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      expect(server).not.toBe(orphan);
      expect((await fetch(`http://127.0.0.1:${second.port}/health`)).status).toBe(200);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      expect(existsSync(pidFile)).toBe(false); // the embedded server stopped with the app

      // A postmaster.pid naming a live process that is not this folder's server (the number reused after a crash
      // and a reboot): removed, and the server starts.
      writeFileSync(
        pidFile,
        `${process.pid}\n${join(dir, 'pg')}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`,
      );
      const third = await startApp(dir);
      children.push(third.child);
      expect(third.output().stdout).toContain(`removing the stale ${pidFile}`);
      third.child.kill('SIGINT');
      expect((await third.exited).code).toBe(0);
    }, 240_000);
  });
});
