import { appLoginUrl, serverLogLines, startEmbeddedDatabase } from '#libs/persistence';
import type { Env } from './env.js';

export interface ResolvedDatabase {
  url: string; // the owner's: migrations only (and commands below the service layer)
  appUrl: string; // the app's own unprivileged login role (issue #18 finding 7)
  // The app role to set up after the migrations: with a password when this process manages it (embedded).
  appLogin: { user: string; password?: string };
  kind: 'external' | 'embedded';
  // For the embedded database: whether this process started the server or uses the running app's.
  source: 'started' | 'running' | null;
  stop(): Promise<void>;
}

// 'serve': the app, which owns the embedded server and says where it listens while it runs.
// 'command': a CLI command, which uses the app's server when one runs on DATA_DIR, else starts its own.
export type DatabaseUse = 'serve' | 'command';

// DATABASE_URL selects a real PostgreSQL; without it, an embedded PostgreSQL server keeps data in DATA_DIR.
export async function resolveDatabase(
  env: Env,
  use: DatabaseUse,
  log: (line: string) => void,
): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) {
    if (!env.DATABASE_APP_URL)
      throw new Error(
        'DATABASE_URL is set but DATABASE_APP_URL is not: the app logs in as its own unprivileged role, and ' +
          'DATABASE_URL (the owner) only runs migrations (README "A real PostgreSQL server")',
      );
    return {
      url: env.DATABASE_URL,
      appUrl: env.DATABASE_APP_URL,
      appLogin: { user: decodeURIComponent(new URL(env.DATABASE_APP_URL).username) },
      kind: 'external',
      source: null,
      stop: async () => undefined,
    };
  }
  const db = await startEmbeddedDatabase(
    env.DATA_DIR,
    'cyberflag',
    // Our own lines (which server, the connection file, a stale or orphaned server cleared) pass as they are; the server's output goes through
    // serverLogLines, which drops lines that could carry submitted values (DETAIL, STATEMENT: issue #18 finding 11).
    (chunk) =>
      (/embedded-server\.json|started by the app|postmaster\.pid|left running on/.test(chunk)
        ? [chunk.trim()]
        : serverLogLines(chunk)
      ).forEach(log),
    { advertise: use === 'serve', useRunning: use === 'command' },
  );
  return {
    url: db.url,
    appUrl: appLoginUrl(db.url, db.appLogin),
    appLogin: db.appLogin,
    kind: 'embedded',
    source: db.source,
    stop: () => db.stop(),
  };
}
