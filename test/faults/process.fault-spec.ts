import type { INestApplication } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { UsersService } from '#libs/auth';
import { importIdFor } from '#libs/imports';
import { processAlive } from '#libs/persistence';
import { startApp, waitFor } from '../support/cli-process.js';
import { createTestApp } from '../support/create-test-app.js';
import {
  ADMIN,
  blockedBackend,
  csv,
  jobRow,
  lockCrimes,
  login,
  startOnTestDb,
} from '../support/faults.js';

// Issue #18 finding 10, the slow half: the built app (dist/, as `npm start`) as a process, sent SIGTERM or SIGKILL
// in the middle of an import held inside its transaction by a table lock, and killed with its embedded PostgreSQL
// running. Each starts the app two or three times (tens of seconds on a busy machine), so this runs from
// `npm run test:faults` (which .ci/run calls), not in `npm test`.
describe('faults of the app as a process (issue #18 finding 10)', () => {
  let app: INestApplication; // only to create the user the processes are signed in as
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await app?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
