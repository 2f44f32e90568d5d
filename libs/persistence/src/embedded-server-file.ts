import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

// PostgreSQL allows one server per data folder. While the app (`npm start`) runs the embedded server it
// leaves this file in DATA_DIR, so a command run beside it uses that server instead of failing to start a
// second one. The password stays in embedded-postgres.json; this file only says where the server listens.
export const EMBEDDED_SERVER_FILE = 'embedded-server.json';

export interface EmbeddedServerInfo {
  pid: number; // the postmaster's pid (postmaster.pid, line 1)
  port: number;
  database: string;
  user: string;
  dataDirectory: string; // the absolute data folder the server was started on
  ownerPid: number; // the app process that started it
}

export interface PostmasterPid {
  pid: number;
  dataDirectory: string;
  port: number;
}

// postmaster.pid: pid, data directory, start time, port, socket directory, listen address, ... (one per line).
export async function readPostmasterPid(pgdata: string): Promise<PostmasterPid | null> {
  const file = join(pgdata, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return { pid, dataDirectory: lines[1] ?? '', port };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

// Written whole under another name, then renamed: a reader never sees half a file. Owner-only (0600).
export async function advertiseEmbeddedServer(
  dir: string,
  info: EmbeddedServerInfo,
): Promise<void> {
  const file = join(dir, EMBEDDED_SERVER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

// Removed on a clean stop, unless another start has replaced it meanwhile.
export async function withdrawEmbeddedServer(dir: string, pid: number): Promise<void> {
  const info = await readServerFile(dir);
  if (info && info.pid === pid) await rm(join(dir, EMBEDDED_SERVER_FILE), { force: true });
}

export async function readServerFile(dir: string): Promise<EmbeddedServerInfo | null> {
  const file = join(dir, EMBEDDED_SERVER_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as EmbeddedServerInfo;
  } catch {
    return null;
  }
}

export type RunningServer =
  | { found: 'running'; info: EmbeddedServerInfo; url: string }
  // gone: the server it names has certainly ended (its postmaster.pid is gone or replaced, or its process is dead)
  | { found: 'stale'; reason: string; gone: EmbeddedServerInfo | null }
  | { found: 'none' };

// The app's server, if the file names one that still runs on this data folder and answers. A file left by a
// crash (no postmaster.pid, another server on the folder, a dead process, or no answer) is reported stale.
export async function findRunningEmbeddedServer(
  dir: string,
  pgdata: string,
  password: string,
): Promise<RunningServer> {
  if (!existsSync(join(dir, EMBEDDED_SERVER_FILE))) return { found: 'none' };
  const info = await readServerFile(dir);
  if (
    !info ||
    !Number.isInteger(info.pid) ||
    !Number.isInteger(info.port) ||
    typeof info.database !== 'string'
  ) {
    return { found: 'stale', reason: 'the file is unreadable', gone: null };
  }
  const pm = await readPostmasterPid(pgdata);
  if (
    !pm ||
    pm.pid !== info.pid ||
    pm.port !== info.port ||
    pm.dataDirectory !== info.dataDirectory ||
    info.dataDirectory !== pgdata
  ) {
    return {
      found: 'stale',
      reason: `the server it names (pid ${info.pid}, port ${info.port}) no longer runs on ${pgdata}`,
      gone: info,
    };
  }
  if (!processAlive(info.pid))
    return {
      found: 'stale',
      reason: `the server it names (pid ${info.pid}) has ended`,
      gone: info,
    };
  const client = new pg.Client({
    host: '127.0.0.1',
    port: info.port,
    user: info.user,
    password,
    database: info.database,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    // The server answering on that port must be the one on this data folder, not another that took the port.
    const [row] = (
      await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`)
    ).rows;
    if (row?.dir !== pgdata)
      return {
        found: 'stale',
        reason: `port ${info.port} is served from ${row?.dir ?? 'elsewhere'}, not ${pgdata}`,
        gone: null,
      };
  } catch (e) {
    return {
      found: 'stale',
      reason: `no answer on port ${info.port} (${e instanceof Error ? e.message : String(e)})`,
      gone: null,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    found: 'running',
    info,
    url: `postgres://${encodeURIComponent(info.user)}:${encodeURIComponent(password)}@127.0.0.1:${info.port}/${info.database}`,
  };
}
