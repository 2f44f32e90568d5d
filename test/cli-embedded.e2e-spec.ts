import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { portAnswers } from '#libs/persistence';
import {
  CLI_JS,
  collect,
  embeddedEnv,
  MAIN_JS,
  runCli,
  startApp,
  waitFor,
} from './support/cli-process.js';

// The CLI beside `npm start` on the embedded database (no DATABASE_URL): each test has its own DATA_DIR and
// runs the built app and CLI as separate processes, as an operator does in two terminals.
const EXAMPLE = resolve('docs/examples/crimes-example.csv'); // 10 crimes, 3 of them Derbyshire's
const SUMMARY = /^import [0-9a-f-]{36} completed: (.*)$/m;

describe('CLI beside a running embedded server', () => {
  const dirs: string[] = [];
  const stops: (() => void)[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'cyberflag-cli-embedded-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const stop of stops) stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('uses the server npm start started (connection file 0600 in DATA_DIR), and the app sees what it loaded', async () => {
    const dir = dataDir();
    const app = await startApp(dir);
    stops.push(() => app.child.kill('SIGKILL'));
    const file = join(dir, 'embedded-server.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(file, 'utf8'));
    const postmasterPid = Number(
      readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(info).toEqual({
      pid: postmasterPid,
      port: expect.any(Number),
      database: 'cyberflag',
      user: 'postgres',
      dataDirectory: join(dir, 'pg'),
      ownerPid: app.child.pid,
    });

    const run = await runCli(['import', EXAMPLE, '--all-forces'], embeddedEnv(dir));
    expect(run.stderr).toBe(
      `cyberflag: using the embedded PostgreSQL server started by the app (pid ${app.child.pid}; server pid ${postmasterPid}, port ${info.port}, data in ${join(dir, 'pg')})\n`,
    );
    expect(run.code).toBe(0);
    expect(SUMMARY.exec(run.stdout)?.[1]).toBe(
      '10 rows read, 10 new, 0 amended, 0 unchanged, 0 rejected',
    );

    // The running app reads the rows the command loaded: one database, not a second copy.
    const password = /^demo\.registrar\t(\S+)/m.exec(
      readFileSync(join(dir, 'demo-logins.txt'), 'utf8'),
    )![1];
    const base = `http://127.0.0.1:${app.port}`;
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo.registrar', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const page = (await (
      await fetch(`${base}/crimes?force=derbyshire`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json()) as { items: { crimeReference: string }[] };
    expect(page.items.map((c) => c.crimeReference).sort()).toEqual([
      'EX/DBY/16/0001',
      'EX/DBY/16/0002',
      'EX/DBY/16/0003',
    ]);
    // The app's server is still up after the command: the command did not stop it.
    expect(await portAnswers(info.port)).toBe(true);
    app.child.kill('SIGINT');
    expect((await app.exited).code).toBe(0);
  }, 180_000);

  it('removes the file on a clean shutdown; a copy left as by a crash is ignored and removed, and the CLI starts its own server on the same data', async () => {
    const dir = dataDir();
    const app = await startApp(dir);
    stops.push(() => app.child.kill('SIGKILL'));
    expect(
      (
        await runCli(
          [
            'import',
            EXAMPLE,
            '--force',
            'derbyshire',
            '--accept-valid',
            '--show-rejections',
            '0',
            '--report',
            join(dir, 'r1.csv'),
          ],
          embeddedEnv(dir),
        )
      ).code,
    ).toBe(0);
    const file = join(dir, 'embedded-server.json');
    const left = readFileSync(file, 'utf8');
    const info = JSON.parse(left);
    app.child.kill('SIGINT');
    expect((await app.exited).code).toBe(0);
    expect(existsSync(file)).toBe(false);

    writeFileSync(file, left, { mode: 0o600 }); // as a crash of the app would leave it
    const run = await runCli(
      [
        'import',
        EXAMPLE,
        '--force',
        'derbyshire',
        '--accept-valid',
        '--show-rejections',
        '0',
        '--report',
        join(dir, 'r2.csv'),
      ],
      embeddedEnv(dir),
    );
    expect(run.stderr).toBe(
      `cyberflag: ignoring and removing ${file}: the server it names (pid ${info.pid}, port ${info.port}) no longer runs on ${join(dir, 'pg')}\n`,
    );
    expect(run.code).toBe(0);
    // Same data folder: the three Derbyshire crimes of the first run are there, unchanged.
    expect(SUMMARY.exec(run.stdout)?.[1]).toBe(
      '10 rows read, 0 new, 0 amended, 3 unchanged, 7 rejected',
    );
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'pg', 'postmaster.pid'))).toBe(false); // the command stopped the server it started
  }, 180_000);

  it('the reverse: while a command holds the embedded server, npm start fails at once and says why', async () => {
    const dir = dataDir();
    // A command that started the embedded server itself and waits for its input from a named pipe.
    const fifo = join(dir, 'extract.csv');
    execFileSync('mkfifo', [fifo]);
    const command = spawn(process.execPath, [CLI_JS, 'import', fifo, '--all-forces'], {
      env: embeddedEnv(dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stops.push(() => command.kill('SIGKILL'));
    const { output, exited: commandDone } = collect(command);
    // postmaster.pid: pid, data folder, start time, port, ..., and last 'ready' once the server accepts connections.
    const pidFile = join(dir, 'pg', 'postmaster.pid');
    const postmaster = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n') : []);
    await waitFor("the command's server", () => {
      if (command.exitCode !== null)
        throw new Error(
          `the command exited (${command.exitCode}): ${output().stdout}${output().stderr}`,
        );
      const lines = postmaster();
      return Number(lines[0]) > 0 && lines[7]?.trim() === 'ready';
    });
    const [serverPid, port] = [Number(postmaster()[0]), Number(postmaster()[3])];
    expect(await portAnswers(port)).toBe(true);

    const started = Date.now();
    const app = collect(
      spawn(process.execPath, [MAIN_JS], {
        env: embeddedEnv(dir, { PORT: '1' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const result = await app.exited;
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain(
      `cannot start: embedded PostgreSQL already runs on ${join(dir, 'pg')} (server pid ${serverPid}, port ${port}); probably a cyberflag command, which stops it when done: wait for it to finish and try again`,
    );
    expect(Date.now() - started).toBeLessThan(30_000);

    // The command is unharmed: it finishes its import.
    await writeFile(fifo, readFileSync(EXAMPLE));
    const done = await commandDone;
    expect(done.code).toBe(0);
    expect(SUMMARY.exec(done.stdout)?.[1]).toBe(
      '10 rows read, 10 new, 0 amended, 0 unchanged, 0 rejected',
    );
  }, 180_000);
});
