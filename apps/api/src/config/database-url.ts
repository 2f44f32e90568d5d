import { serverLogLines, startEmbeddedDatabase } from '#libs/persistence';
import type { Env } from './env.js';

export interface ResolvedDatabase {
  url: string;
  kind: 'external' | 'embedded';
  stop(): Promise<void>;
}

// DATABASE_URL selects a real PostgreSQL; without it, an embedded PostgreSQL server keeps data in DATA_DIR.
export async function resolveDatabase(env: Env, log: (line: string) => void): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, kind: 'external', stop: async () => undefined };
  const db = await startEmbeddedDatabase(env.DATA_DIR, 'cyberflag', (chunk) => serverLogLines(chunk).forEach(log));
  return { url: db.url, kind: 'embedded', stop: () => db.stop() };
}
