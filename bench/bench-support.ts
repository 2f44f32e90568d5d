import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { appLoginRole, appLoginUrl } from '#libs/persistence';
import { prepareDatabase } from '../apps/api/src/database/prepare-database.js';

// Shared by the benchmarks: a throw-away database on the local server (BENCH_PG_ADMIN_URL to change it).
export const adminUrl =
  process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freshDatabase(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

// Migrations as the owner, then the app's own login role, as `npm start` does: the URL the app connects with.
export async function prepareBenchDatabase(url: string, name: string): Promise<string> {
  const login = { user: appLoginRole(name), password: randomBytes(18).toString('base64url') };
  await prepareDatabase(url, () => undefined, login);
  return appLoginUrl(url, login);
}

export async function dropDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
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
