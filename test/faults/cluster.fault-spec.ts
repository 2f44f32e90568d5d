import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '#libs/persistence';
import { embeddedEnv, runCli, startApp, waitFor } from '../support/cli-process.js';

// Issue #21 item 3: WORKERS=2 on a fresh embedded database. The primary starts the embedded server and runs the
// migrations once, then two workers serve one port; the login limits hold across them; a killed worker is
// replaced while the other keeps answering; SIGTERM stops the workers in order, then the embedded server.
// Which worker answered is read from Linux (/proc: the process holding the connection's socket), not from anything
// the app would tell a client.

// The app's worker processes: the primary's children that run main.js (the embedded server is a child too).
function workersOf(primary: number): number[] {
  const children = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('main.js');
    } catch {
      return false; // ended meanwhile
    }
  });
}

// The process holding the server's end of the connection from localPort (/proc/net/tcp: addresses in hex).
function socketOwner(port: number, localPort: number, candidates: number[]): number | null {
  const hex = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex(port)}`) && f[2]?.endsWith(`:${hex(localPort)}`));
  if (!line) return null;
  const socket = `socket:[${line[9]}]`;
  const link = (path: string) => {
    try {
      return readlinkSync(path);
    } catch {
      return null; // closed or ended meanwhile
    }
  };
  for (const pid of candidates) {
    const fds = existsSync(`/proc/${pid}/fd`) ? readdirSync(`/proc/${pid}/fd`) : [];
    if (fds.some((fd) => link(`/proc/${pid}/fd/${fd}`) === socket)) return pid;
  }
  return null;
}

// One request on a connection of its own (a new connection each time, so the primary deals it to a worker), and the
// worker that answered it, found while the connection is still open.
async function ask(
  port: number,
  primary: number,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: string; pid: number | null }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  try {
    return await new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(data ? { 'content-type': 'application/json' } : {}),
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
        },
        (res) => {
          const localPort = res.socket.localPort!; // the socket is detached from the response at its end
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                body: text,
                pid: socketOwner(port, localPort, workersOf(primary)),
              });
            } catch (e) {
              reject(e instanceof Error ? e : new Error(String(e)));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  } finally {
    agent.destroy();
  }
}

describe('WORKERS=2 on the embedded database (issue #21)', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs) {
      // A failed run leaves its embedded server running: stop it before its folder goes.
      const pm = join(d, 'pg', 'postmaster.pid');
      const pid = existsSync(pm) ? Number(readFileSync(pm, 'utf8').split('\n')[0]) : 0;
      if (pid > 0 && processAlive(pid)) process.kill(pid, 'SIGQUIT');
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('two workers serve one port with the login limits shared; a killed worker is replaced; SIGTERM stops them all, then the embedded server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyberflag-cluster-'));
    dirs.push(dir);
    // Two Nest apps loading at once on a shared 2-core machine: more time than one.
    const app = await startApp(dir, { WORKERS: '2' }, 240_000);
    children.push(app.child);
    const primary = app.child.pid!;
    const out = () => app.output().stdout;
    expect(out()).toMatch(/starting 2 workers/);
    expect(out().match(/migration applied: CreateCatalogueAndCrimes/g)).toHaveLength(1);
    // As with one process, the port answers once the start-up work (demo users, by worker 1) is done.
    expect(out()).toMatch(
      /demo users created[\s\S]*worker 1 \(pid \d+\) is serving[\s\S]*worker 2 \(pid \d+\) is serving/,
    );
    const workers = workersOf(primary);
    expect(workers).toHaveLength(2);
    // The embedded server is the primary's: started once, and the CLI connection file names the primary.
    const pidFile = join(dir, 'pg', 'postmaster.pid');
    const server = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const info = JSON.parse(readFileSync(join(dir, 'embedded-server.json'), 'utf8')) as {
      pid: number;
      ownerPid: number;
    };
    expect(info).toMatchObject({ pid: server, ownerPid: primary });
    const cli = await runCli(['import', 'docs/examples/crimes-example.csv', '--all-forces'], {
      ...embeddedEnv(dir),
      WORKERS: '2', // a command ignores it
    });
    expect(cli.stderr).toContain(
      `using the embedded PostgreSQL server started by the app (pid ${primary};`,
    );
    expect(cli.code).toBe(0);

    // Sign-in guesses count once across workers: the limiter (10 a minute per client, counted in the primary) and the
    // throttle per account and source (in PostgreSQL) both see every attempt, whichever worker takes it.
    const logins = readFileSync(join(dir, 'demo-logins.txt'), 'utf8');
    const pw = (user: string) =>
      new RegExp(`^${user.replace('.', '\\.')}\\t(\\S+)`, 'm').exec(logins)![1];
    const login = (username: string, password: string) =>
      ask(app.port, primary, 'POST', '/auth/login', { body: { username, password } });
    const served = new Set<number | null>();
    const ok = await login('demo.registrar', pw('demo.registrar')!);
    expect(ok.status).toBe(200);
    served.add(ok.pid);
    const { accessToken } = JSON.parse(ok.body) as { accessToken: string };
    for (let i = 0; i < 5; i++) {
      const wrong = await login('demo.auditor', 'not-the-password');
      expect(wrong.status).toBe(401);
      served.add(wrong.pid);
    }
    // Five failures from this source, spread over both workers: the right password is refused too, for now.
    const throttled = await login('demo.auditor', pw('demo.auditor')!);
    expect(throttled.status).toBe(401);
    served.add(throttled.pid);
    for (let i = 0; i < 3; i++) expect((await login('demo.auditor', 'guess')).status).toBe(401);
    // The eleventh attempt this minute: each worker alone has seen about half of them.
    const limited = await login('demo.auditor', 'guess');
    expect(limited.status).toBe(429);
    expect(served).toEqual(new Set(workers));

    // Both workers read what the command loaded (one database).
    const seen = new Set<number | null>();
    for (let i = 0; i < 6 && seen.size < 2; i++) {
      const res = await ask(app.port, primary, 'GET', '/crimes?force=derbyshire', {
        token: accessToken,
      });
      expect(res.status).toBe(200);
      expect(res.body).toContain('EX/');
      seen.add(res.pid);
    }
    expect(seen).toEqual(new Set(workers));

    // A worker killed outright: the other keeps answering, and the primary starts a replacement.
    const [killed, survivor] = workers as [number, number];
    process.kill(killed, 'SIGKILL');
    await waitFor('the primary to see the worker end', () =>
      out().includes(`(pid ${killed}) ended`),
    );
    for (let i = 0; i < 5; i++) {
      const res = await ask(app.port, primary, 'GET', '/health');
      expect(res.status).toBe(200);
      expect(res.pid).not.toBe(killed);
    }
    let replacement = 0;
    await waitFor(
      'a replacement worker to serve',
      () => {
        replacement = workersOf(primary).find((p) => p !== survivor && p !== killed) ?? 0;
        return replacement > 0 && out().includes(`(pid ${replacement}) is serving`);
      },
      180_000,
    );
    expect(out()).toMatch(
      new RegExp(
        `worker \\d \\(pid ${killed}\\) ended \\(signal SIGKILL\\): a new one starts in \\d+ ms`,
      ),
    );
    const after = new Set<number | null>();
    for (let i = 0; i < 6 && after.size < 2; i++)
      after.add((await ask(app.port, primary, 'GET', '/health')).pid);
    expect(after).toEqual(new Set([survivor, replacement]));

    // SIGTERM to the primary: each worker stops in order, then the embedded server; the connection file goes.
    app.child.kill('SIGTERM');
    const done = await app.exited;
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('SIGTERM: shutting down 2 worker(s)');
    expect(done.stdout.match(/SIGTERM: shutting down$/gm)).toHaveLength(2); // each worker's own shutdown
    expect(done.stdout + done.stderr).not.toMatch(/ERROR/);
    for (const pid of [survivor, replacement, server]) expect(processAlive(pid)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    expect(existsSync(join(dir, 'embedded-server.json'))).toBe(false);
  }, 480_000);
});
