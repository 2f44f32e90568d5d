// Helpers of the fault tests (issue #18 finding 10): the test database as its owner, an import or a request held
// inside its transaction by a table lock, and the built app started as a process on the test database.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { collect, freePort, MAIN_JS, waitFor } from './cli-process.js';
import { testDatabaseUrl, testAppDatabaseUrl } from './create-test-app.js';

export const PG_URL = () => testDatabaseUrl();
export const ADMIN = () => new pg.Client({ connectionString: PG_URL() });

// Two rows of the example file under references of this run; the tests never let them load.
export function csv(prefix: string): string {
  const lines = readFileSync('docs/examples/crimes-example.csv', 'utf8').trim().split('\n');
  return `${[lines[0], ...lines.slice(1, 3).map((l) => l.replace(/^EX\//, `${prefix}/`))].join('\n')}\n`;
}

// Holds an exclusive lock on crimes, so an import's merge waits inside its transaction until released.
export async function lockCrimes(): Promise<pg.Client> {
  const c = ADMIN();
  await c.connect();
  await c.query('BEGIN');
  await c.query('LOCK TABLE crimes IN ACCESS EXCLUSIVE MODE');
  return c;
}

// The app's backend that waits for the crimes lock. Watched from a connection of its own: within the lock's
// transaction, pg_stat_activity would show the same snapshot every time.
export async function blockedBackend(): Promise<number> {
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

export async function jobRow(
  admin: pg.Client,
  id: string,
): Promise<{ state: string; error_code: string | null; error: string | null }> {
  const { rows } = await admin.query('SELECT state, error_code, error FROM imports WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

// The built app (npm start) on the test database, as a child process.
export async function startOnTestDb(): Promise<{
  child: ChildProcess;
  port: number;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: PG_URL(),
    DATABASE_APP_URL: testAppDatabaseUrl(), // the app logs in as its own role (issue #18 finding 7)
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

export async function login(port: number, username: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
