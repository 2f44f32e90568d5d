import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Catalogue } from '#libs/catalogue';
import { appLoginRole, appLoginUrl } from '#libs/persistence';
import { financialYearPeriod } from '#libs/recording-rules';
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

// The q-quantile (0.5 for p50, 0.99 for p99) of latencies in any order; 0 for none.
export const percentile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
};

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

// One generated crime, in the fields the benches vary; the rest (the flags they do not study, version 1, who
// wrote it) are fixed by crimeCopyLine.
export interface BenchCrime {
  forceId: string;
  id: string;
  reference: string;
  offenceCode: string;
  // timestamps, already in a form COPY reads
  reportedAt: string;
  recordedAt: string;
  offenceFrom: string;
  onlineFlag: 'yes' | 'no' | 'unknown';
  victimAge: number | null;
  victimSex: string;
  status: 'confirmed' | 'draft' | 'cancelled' | 'transferred';
  ruleWarning: boolean;
  cancellationCategory: string | null; // read only for a removed record
  transferredTo: string; // read only for a transferred record
}

const NULL = '\\N';

// One generated crime of a force (its id and reference given) and offence; the rest drawn here in the order the benches have always drawn them (so a bench's data stays the same from run to run):
// recorded in the period, reported up to 48 hours before; 96 % confirmed, 1 % drafts, 3 % removed (transfers go
// to BTP); online for ~40 % of sexual offences and ~20 % of the others (half the drafts unknown); 5 % unknown
// ages, child victims on 60 % of sexual offences; the victim's sex, a 5 % stored warning, a removal's category.
function drawCrime(
  r: () => number,
  key: Pick<BenchCrime, 'forceId' | 'id' | 'reference'>,
  o: { code: string; sexualOffence: boolean },
  period: { start: number; span: number },
  iso: (ms: number) => string,
): BenchCrime {
  const recorded = period.start + Math.floor(r() * period.span);
  const reported = recorded - Math.floor(r() * 48 * 3_600_000);
  const s = r();
  const status =
    s < 0.96 ? 'confirmed' : s < 0.97 ? 'draft' : s < 0.99 ? 'cancelled' : 'transferred';
  const onlineFlag =
    status === 'draft' && r() < 0.5
      ? 'unknown'
      : r() < (o.sexualOffence ? 0.4 : 0.2)
        ? 'yes'
        : 'no';
  const removed = status === 'cancelled' || status === 'transferred';
  const victimAge =
    r() < 0.05 ? null : o.sexualOffence && r() < 0.6 ? Math.floor(r() * 18) : Math.floor(r() * 90);
  return {
    ...key,
    offenceCode: o.code,
    reportedAt: iso(reported),
    recordedAt: iso(recorded),
    offenceFrom: iso(reported - 86_400_000),
    onlineFlag,
    victimAge,
    victimSex: ['female', 'male', 'unknown'][Math.floor(r() * 3)]!,
    status,
    ruleWarning: r() < 0.05,
    cancellationCategory: removed ? `C${1 + Math.floor(r() * 5)}` : null,
    transferredTo: 'btp',
  };
}

// The crime as a COPY text line in CRIME_COPY_COLUMNS order. A removed record was removed when it was recorded.
export function crimeCopyLine(c: BenchCrime): string {
  const removed = c.status === 'cancelled' || c.status === 'transferred';
  return (
    [
      c.forceId,
      c.id,
      c.reference,
      c.offenceCode,
      c.reportedAt,
      c.recordedAt,
      c.offenceFrom,
      c.onlineFlag,
      c.onlineFlag === 'yes' ? 'messages via a social media app' : NULL,
      c.victimAge === null ? NULL : String(c.victimAge),
      c.victimSex,
      'f',
      '{}',
      'f',
      'f',
      c.status,
      c.ruleWarning ? '{CF-TIME-001}' : '{}',
      removed ? (c.cancellationCategory ?? NULL) : NULL,
      removed ? 'Additional verifiable information (bench).' : NULL,
      removed ? c.recordedAt : NULL,
      removed ? 'bench' : NULL,
      c.status === 'transferred' ? c.transferredTo : NULL,
      '1',
      'bench',
      'bench',
      c.recordedAt,
    ].join('\t') + '\n'
  );
}

// COPY lines into crimes, in batches of 10,000 lines (one write each, not one per line).
export async function copyCrimes(c: pg.ClientBase, lines: Iterable<string>): Promise<void> {
  const batched = async function* () {
    let buf: string[] = [];
    for (const line of lines) {
      buf.push(line);
      if (buf.length === 10_000) {
        yield buf.join('');
        buf = [];
      }
    }
    if (buf.length) yield buf.join('');
  };
  await pipeline(
    Readable.from(batched()),
    c.query(copyFrom(`COPY crimes (${CRIME_COPY_COLUMNS.join(', ')}) FROM STDIN`)),
  );
}

// A hand-written baseline in the product's session: one transaction, the app role (row-level security on;
// null: the table owner, no RLS), the forces in scope ('*' for all), and the settings the product's query sets.
export async function inProductSession<T>(
  c: pg.ClientBase,
  session: {
    role: string | null;
    forces: string;
    isolation?: 'REPEATABLE READ';
    settings?: readonly string[];
  },
  work: () => Promise<T>,
): Promise<T> {
  await c.query(session.isolation ? `BEGIN ISOLATION LEVEL ${session.isolation}` : 'BEGIN');
  try {
    if (session.role) await c.query(`SET LOCAL ROLE ${session.role}`);
    await c.query(`SELECT set_config('cyberflag.forces', $1, true)`, [session.forces]);
    for (const setting of session.settings ?? []) await c.query(setting);
    return await work();
  } finally {
    await c.query('COMMIT');
  }
}

// The application without HTTP, connected as databaseUrl (the app's login role), with throw-away secrets.
// Imported when called, so the benches that never start the app do not load it.
export async function benchAppContext(databaseUrl: string): Promise<INestApplicationContext> {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../apps/api/src/app.module.js');
  return NestFactory.createApplicationContext(
    AppModule.register({
      databaseUrl,
      poolSize: 4,
      auth: {
        jwtSecret: randomBytes(32).toString('hex'),
        accessTtlSeconds: 900,
        refreshTtlSeconds: 3600,
        maxFailedLogins: 5,
        lockoutSeconds: 900,
      },
      accessLog: { key: randomBytes(32), checkpointDir: null },
    }),
    { logger: ['error'] },
  );
}

// Run times and their median, for a bench's figures.
export const showTimes = (xs: number[]): string =>
  `${xs.map((x) => x.toFixed(0)).join(', ')} ms; median ${median(xs).toFixed(0)} ms`;

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

// The maintained aggregate (issue #22) for data bulk-loaded with the triggers off: each force-year rebuilt by the
// database's own repair functions (what `cyberflag figures rebuild` runs), then a slice of records amended with
// the triggers on, so the live figures fold fresh deltas as well as compacted rows (as between two compactions).
// Returns a line for the bench's output.
export async function buildFigures(c: pg.ClientBase, amendEvery = 200): Promise<string> {
  const t0 = Date.now();
  const { rows } = await c.query<{ force_id: string; financial_year: number }>(
    `SELECT DISTINCT force_id, financial_year FROM crimes`,
  );
  for (const r of rows)
    await c.query(
      `SELECT rebuild_crime_figures($1, $2::smallint), rebuild_crime_figures_monthly($1, $2::smallint)`,
      [r.force_id, r.financial_year],
    );
  const t1 = Date.now();
  const amended = await c.query(
    `UPDATE crimes SET version = version + 1, updated_at = updated_at + interval '1 second'
     WHERE abs(hashtext(crime_reference)) % $1 = 0`,
    [amendEvery],
  );
  const { rows: deltas } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM crime_figures`,
  );
  return `aggregate: ${rows.length} force-years rebuilt in ${((t1 - t0) / 1000).toFixed(1)} s; ${amended.rowCount} records then amended with the triggers on (${((Date.now() - t1) / 1000).toFixed(1)} s); ${deltas[0].n} rows in crime_figures`;
}

// The generators' source for the crimes of a financial year: every force, and line(), one crime's COPY line with
// its police-recorded offence (in force at the year's start) drawn from r, then the rest (drawCrime).
export function crimeGenerator(
  year: number,
  r: () => number,
  iso: (ms: number) => string,
): { forces: string[]; line: (forceId: string, id: string, reference: string) => string } {
  const cat = new Catalogue();
  const offences = cat
    .offences()
    .filter((o) => o.recordedBy === 'police' && o.validFrom <= `${year}-04-01`);
  const period = financialYearPeriod(year);
  const bounds = {
    start: period.start.getTime(),
    span: period.end.getTime() - period.start.getTime(),
  };
  return {
    forces: cat.forces().map((f) => f.id),
    line: (forceId, id, reference) => {
      const o = offences[Math.floor(r() * offences.length)]!;
      return crimeCopyLine(drawCrime(r, { forceId, id, reference }, o, bounds, iso));
    },
  };
}
