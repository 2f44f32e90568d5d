import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { appLoginRole, appLoginUrl } from '#libs/persistence';
import { prepareDatabase } from '../apps/api/src/database/prepare-database.js';

// Shared by the benchmarks: a throw-away database on the local server (BENCH_PG_ADMIN_URL to change it).
export const adminUrl =
  process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// A database of this name and its login role left by a crashed run go first (a run killed outright cannot clean up).
export async function freshDatabase(name: string): Promise<string> {
  await dropDatabase(name);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

// Migrations as the owner, then the app's own login role, as `npm start` does: the URL the app connects with.
// The role is cluster-wide and outlives the database unless dropped with it: dropDatabase does, and so does a
// run that fails or is interrupted (Ctrl-C, SIGTERM) after this point, unless BENCH_KEEP_DB=1 keeps both.
export async function prepareBenchDatabase(url: string, name: string): Promise<string> {
  const login = { user: appLoginRole(name), password: randomBytes(18).toString('base64url') };
  dropOnFailure(name);
  await prepareDatabase(url, () => undefined, login);
  return appLoginUrl(url, login);
}

// The database, then its login role (a role cannot go while a database still grants it anything).
export async function dropDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(appLoginRole(name))}`);
  } finally {
    await c.end();
  }
}

const armed = new Set<string>();
function dropOnFailure(name: string): void {
  if (armed.has(name) || process.env.BENCH_KEEP_DB === '1') return;
  armed.add(name);
  const cleanUp = (code: number, error?: unknown) => {
    if (error !== undefined) console.error(error);
    dropDatabase(name)
      .catch((e: unknown) => console.error(`could not drop ${name} and its role: ${String(e)}`))
      .finally(() => process.exit(code));
  };
  process.once('SIGINT', () => cleanUp(130));
  process.once('SIGTERM', () => cleanUp(143));
  process.once('uncaughtException', (e) => cleanUp(1, e));
  process.once('unhandledRejection', (e) => cleanUp(1, e));
}

// Writes out dirty buffers, so a timed run does not inherit the previous one's checkpoint.
export async function checkpoint(): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The crimes columns the return and national benches load with COPY (text format).
export const CRIME_COPY_COLUMNS = [
  'force_id',
  'id',
  'crime_reference',
  'offence_code',
  'reported_at',
  'recorded_at',
  'offence_from',
  'online_flag',
  'online_method',
  'victim_age',
  'victim_sex',
  'domestic_abuse',
  'hate_strands',
  'child_sexual_exploitation',
  'child_sexual_abuse',
  'status',
  'rule_warnings',
  'cancellation_category',
  'cancellation_justification',
  'cancelled_at',
  'cancelled_by',
  'transferred_to_force_id',
  'version',
  'created_by',
  'updated_by',
  'updated_at',
];

// A deterministic generator (mulberry32), so every run measures the same data.
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The final-line guard lives in its own module (no imports), so its spec can run it in a process of its own.
export { finalLine, printRatio, requireFinalLine } from './final-line.js';
