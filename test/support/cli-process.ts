// Runs the built app and CLI (dist/, as `npm start` and `npm run cyberflag` do) as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const MAIN_JS = 'dist/apps/api/src/main.js';
export const CLI_JS = 'dist/apps/api/src/cli.js';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The environment of `npm start` on the embedded database: no DATABASE_URL, data in `dataDir`, no colours.
export function embeddedEnv(
  dataDir: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DEMO_RECORDS: '0',
    DEMO_USERS: 'true',
    NO_COLOR: '1',
    LOG_FORMAT: 'text',
    NODE_ENV: 'development',
    ...extra,
  };
  for (const k of ['DATABASE_URL', 'JWT_SECRET', 'PORT']) if (!(k in extra)) delete env[k];
  return env;
}

export function collect(child: ChildProcess): {
  output: () => Finished;
  exited: Promise<Finished>;
} {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const output = () => ({ code: child.exitCode, stdout, stderr });
  const exited = new Promise<Finished>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { output, exited };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return collect(
    spawn(process.execPath, [CLI_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
  ).exited;
}

export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

// `npm start` (built) on the embedded database; resolves once it listens.
export async function startApp(
  dataDir: string,
  extra: Record<string, string> = {},
  timeoutMs?: number,
): Promise<{
  child: ChildProcess;
  port: number;
  output: () => Finished;
  exited: Promise<Finished>;
}> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN_JS], {
    env: embeddedEnv(dataDir, { PORT: String(port), ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = collect(child);
  await waitFor(
    'the app to listen',
    () => {
      if (child.exitCode !== null)
        throw new Error(`the app exited (${child.exitCode}): ${output().stdout}${output().stderr}`);
      return new RegExp(`listening on http://[^ ]*:${port} `).test(output().stdout);
    },
    timeoutMs,
  );
  return { child, port, output, exited };
}
