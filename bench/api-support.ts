import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { accessLogInsertJoined, accessLogInsertValues, type AccessEntry } from '#libs/access-log';
import { CREATE_BATCH, viewJsonSql } from '#libs/crimes';
import { queryScoped, StatementBatches } from '#libs/persistence';
import { bareBatches, type BareBatches } from './bare-batches.js';
import { percentile } from './bench-support.js';

// Shared by bench:api and load (issues #21, #18): the app in a process of its own on loopback, a registrar, the
// same transactions done by a bare pg client, and the figures printed the same way.

export const FORCE = 'kent';
const YEAR_START = Date.UTC(2017, 3, 10); // 2017-18: no other data in the bench's own database

export interface App {
  pid: number;
  base: string;
  token: string;
  key: string;
  dataDir: string;
  stop: () => Promise<void>;
}

// The app's worker processes (its WORKERS): BENCH_WORKERS, default one per core, as production runs it.
export const BENCH_WORKERS = process.env.BENCH_WORKERS ?? String(availableParallelism());

export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

// A port nothing listens on now: the system's pick for a throw-away listener.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// The app as `npm start` runs it (production mode, the app's default pool), plus a registrar for FORCE.
// url: the owner's (user add); appUrl: the app's own login role (prepareBenchDatabase), as production runs it.
export async function startApp(
  url: string,
  opts: { appUrl: string; cpuProfDir?: string },
): Promise<App> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cyberflag-bench-api-'));
  // Kept after the app stops (the log is verified with its checkpoint), removed when the bench ends.
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const key = randomBytes(32).toString('base64url');
  const port = await freePort(); // a random one once hit NATS's 4222 on this machine
  const env = {
    ...process.env,
    DATABASE_URL: url,
    DATABASE_APP_URL: opts.appUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ACCESS_LOG_KEY: key,
    DEMO_USERS: 'false',
    DEMO_RECORDS: '0',
    NODE_ENV: 'production',
    WORKERS: BENCH_WORKERS,
  };
  const password = randomBytes(12).toString('base64url');
  const add = spawnSync(
    'node',
    [
      'dist/apps/api/src/cli.js',
      'user',
      'add',
      '--username',
      'bench-registrar',
      '--name',
      'Bench',
      '--role',
      'registrar',
      '--force',
      FORCE,
      '--password-stdin',
    ],
    { env, input: `${password}\n`, encoding: 'utf8' },
  );
  if (add.status !== 0) throw new Error(`user add failed: ${add.stderr}`);
  // BENCH_NODE_ARGS: Node options for the app (its workers inherit them), to measure flags such as V8's heap sizes.
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const args = opts.cpuProfDir
    ? [...nodeArgs, '--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir, 'dist/apps/api/src/main.js']
    : [...nodeArgs, 'dist/apps/api/src/main.js'];
  const child: ChildProcess = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited: ${output}`);
    // With several workers /health answers once the first serves: the line says all of them are.
    if (
      /listening on http/.test(output) &&
      (await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      break;
    if (i > 600) throw new Error(`the app did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-registrar', password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  return {
    pid: child.pid!,
    base,
    token,
    key,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM'); // the app seals what is left and writes its CPU profile on a clean exit
      await new Promise((r) => child.once('exit', r));
    },
  };
}

let refs = 0;
// A valid confirmed record of FORCE (online-flagged child sexual offence, as the tests' factory), unique reference.
export function crimeBody(): Record<string, unknown> {
  const t = YEAR_START + (refs++ % 300) * 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    forceId: FORCE,
    crimeReference: `B-${randomUUID().slice(0, 13)}`,
    offenceCode: '71/17',
    reportedAt: iso(t + 36_000_000),
    recordedAt: iso(t + 43_200_000),
    offenceFrom: iso(t - 86_400_000),
    onlineFlag: 'yes',
    onlineMethod: 'messages sent through a social media app',
    onlinePlatform: 'synthetic-chat-app',
    victimAge: 14,
    victimSex: 'female',
    suspectAge: 30,
    status: 'confirmed',
  };
}

export interface Figures {
  rate: number;
  p50: number;
  p99: number;
  ok: number;
  errors: Record<string, number>;
  cpu?: string; // sampleCpu()'s line, for bare()
}

export const line = (name: string, f: Figures) =>
  `${name} ${Math.round(f.rate)} req/s p50 ${Math.round(f.p50)} ms p99 ${Math.round(f.p99)} ms errors ${Object.values(f.errors).reduce((a, b) => a + b, 0)}` +
  (Object.keys(f.errors).length
    ? ` (${Object.entries(f.errors)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')})`
    : '');

// The bare-pg side: the same transactions as the app (same statements, same transaction shape, same access-log
// entries, as the application role under row-level security, the app's pool size), CLIENTS loops for SECONDS.
// Each piece of work opens its own transaction, as the app does: inTransaction() or one scoped statement.
export function bare(
  url: string,
  clients: number,
  seconds: number,
  poolSize: number,
  work: (c: pg.PoolClient, worker: number) => Promise<void>,
  warmUp = 0,
): Promise<Figures> {
  return bareLoops(url, clients, seconds, poolSize, async (pool) => {
    // Untimed: every pooled connection first does the work warmUp times (a session's first call of a trigger
    // function compiles and plans it, once per connection of a long-lived pool).
    if (warmUp > 0) {
      const held = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
      for (const c of held) {
        for (let k = 0; k < warmUp; k++) await work(c, 0);
        c.release();
      }
    }
    return async (w) => {
      const c = await pool.connect();
      try {
        await work(c, w);
      } finally {
        c.release();
      }
    };
  });
}

// CLIENTS loops for SECONDS over a pool of poolSize connections as the app's login role, each doing what setUp
// gives (which takes its connections itself: a batched statement takes its own, as in the app); latency is each
// call's, connections included.
export async function bareLoops(
  url: string,
  clients: number,
  seconds: number,
  poolSize: number,
  setUp: (pool: pg.Pool) => Promise<(worker: number) => Promise<void>>,
): Promise<Figures> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c role=cyberflag_app',
  });
  const work = await setUp(pool);
  const lat: number[] = [];
  const errors: Record<string, number> = {};
  const cpu = sampleCpu();
  const until = Date.now() + seconds * 1000;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      while (Date.now() < until) {
        const s = process.hrtime.bigint();
        try {
          await work(w);
          lat.push(Number(process.hrtime.bigint() - s) / 1e6);
        } catch (e) {
          const k = (e as { code?: string }).code ?? 'error';
          errors[k] = (errors[k] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  const cpuLine = cpu.stop(); // before the pool's backends exit and take their CPU time with them
  await pool.end();
  return figures(lat, elapsed, errors, cpuLine);
}

// The app's batching of concurrent statements (StatementBatches, one set per app worker process: loop w is in
// worker w % BENCH_WORKERS) around a bare statement on a connection of the pool.
function batchedAsTheApp<I>(
  pool: pg.Pool,
  writeAll: (c: pg.PoolClient, items: I[]) => Promise<void>,
): (worker: number, item: I) => Promise<void> {
  const workers = Number(BENCH_WORKERS);
  const batches = Array.from(
    { length: workers },
    () =>
      new StatementBatches<I, void>(async (_scope, items) => {
        const c = await pool.connect();
        try {
          await writeAll(c, items);
        } finally {
          c.release();
        }
        return items.map(() => undefined);
      }),
  );
  return (worker, item) => batches[worker % workers]!.submit([FORCE], item);
}

// A run's figures from its latencies (ms, any order) and how long it took (s).
function figures(
  lat: number[],
  elapsed: number,
  errors: Record<string, number>,
  cpu: string,
): Figures {
  const p50 = percentile(lat, 0.5);
  const p99 = percentile(lat, 0.99);
  return { rate: lat.length / elapsed, p50, p99, ok: lat.length, errors, cpu };
}

// As ScopedDb.run: BEGIN and the scope in one simple query (one round trip), the work, COMMIT.
export async function inTransaction(c: pg.ClientBase, work: () => Promise<void>): Promise<void> {
  await c.query(`BEGIN; SELECT set_config('cyberflag.forces', '${FORCE}', true)`);
  try {
    await work();
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

// As ScopedDb.runStatement: the scope and one statement in one implicit transaction, one round trip. prepare: kept
// prepared on the connection as the app keeps the same statement (its runStatement's `prepare`, with the same
// limits: scoped-statement.ts).
const scoped = <R = Record<string, unknown>>(
  c: pg.ClientBase,
  sql: string,
  params: unknown[],
  prepare = false,
) => queryScoped<R>(c, FORCE, sql, params, prepare);

// The app's transactions, statement for statement (issue #21's shapes, libs/crimes crime-store.ts): a write
// returns its whole row and appends its history row and access-log entry in the same statement; a read by id
// writes its entry in the same statement as the SELECT; a list reads its page, then appends its entry with those
// of other lists. Each statement goes with its scope in one round trip (ScopedDb.runStatement); bareAmend's shape
// is described there. The app batches creates, amendments, reads by id and list entries (bareBatchedCreates,
// bareReadsBatched, bareLists); bareCreate and bareRead are one a transaction.
const CRIME_COLUMNS = `force_id, crime_reference, offence_code, incident_reference, reported_at, recorded_at,
  offence_from, online_flag, online_method, online_platform, victim_age, victim_sex, suspect_age, domestic_abuse,
  hate_strands, child_sexual_exploitation, child_sexual_abuse, status, rule_warnings, acknowledged_rules, created_by,
  updated_by, version`;
// Every column the app reads (its entity's).
const ALL = `force_id, id, crime_reference, offence_code, incident_reference, reported_at, recorded_at, financial_year,
  offence_from, offence_to, online_flag, online_method, online_platform, victim_age, victim_sex, suspect_age,
  domestic_abuse, hate_strands, child_sexual_exploitation, child_sexual_abuse, status, rule_warnings,
  acknowledged_rules, cancellation_category, cancellation_justification, cancelled_at, cancelled_by,
  transferred_to_force_id, transferred_to_authority_id, version, created_at, created_by, updated_at, updated_by,
  import_id`;
const ALL_C = ALL.replace(/(^|\s)([a-z_]+)/g, '$1c.$2');
// A record of crimes c as the JSON of its view, as a list's page is written (viewJsonSql, as crimeViewJson uses
// it; the keys there follow toView's order).
const TIMESTAMPS = new Set([
  'reported_at',
  'recorded_at',
  'offence_from',
  'offence_to',
  'cancelled_at',
  'created_at',
  'updated_at',
]);
const VIEW_JSON = viewJsonSql(
  ALL.split(',')
    .map((s) => s.trim())
    .map((column) => ({
      key: column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()),
      column,
      kind:
        column === 'financial_year'
          ? ('financialYear' as const)
          : TIMESTAMPS.has(column)
            ? ('timestamp' as const)
            : ('value' as const),
    })),
);

// A record as its writer knows it from what the statement returned: enough to amend it without reading it.
export interface BareKnown {
  id: string;
  version: number;
  victim_age: number;
}
const knownOf = (row: Record<string, unknown>): BareKnown => ({
  id: String(row.id),
  version: Number(row.version),
  victim_age: Number(row.victim_age),
});

export async function bareCreate(c: pg.ClientBase, user: string): Promise<BareKnown> {
  const b = crimeBody();
  const [{ id }] = (await scoped(
    c,
    `WITH w AS (
       INSERT INTO crimes (${CRIME_COLUMNS}) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12, false, '{}',
         false, true, $13, '{}', '{}', $14, $14, 1) RETURNING ${ALL}),
     h AS (${history('w', 15)}),
     l AS (${logEntry('w', 19)})
     SELECT * FROM w`,
    [
      b.forceId,
      b.crimeReference,
      b.offenceCode,
      b.reportedAt,
      b.recordedAt,
      b.offenceFrom,
      b.onlineFlag,
      b.onlineMethod,
      b.onlinePlatform,
      b.victimAge,
      b.victimSex,
      b.suspectAge,
      b.status,
      user,
      ...historyParams('created', null, user),
      ...logParams(user, 'collection', 'POST /crimes', null),
    ],
  )) as { id: string }[];
  return { id, version: 1, victim_age: b.victimAge as number };
}

// The app's batched create (libs/crimes crime-create-batcher.ts, crime-store.ts insertManyStatement): these
// records (crimeBody()'s fields), their history rows and their own access-log entries in one statement, in the same
// shape; the records' rows in the bodies' order.
export async function bareCreateRows(
  c: pg.ClientBase,
  user: string,
  bodies: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const params: unknown[] = [];
  const p = (v: unknown, type = '') => {
    params.push(v);
    return `$${params.length}${type}`;
  };
  const rows = bodies.map(
    (b) =>
      `(${[b.forceId, b.crimeReference, b.offenceCode, null, b.reportedAt, b.recordedAt, b.offenceFrom, b.onlineFlag, b.onlineMethod, b.onlinePlatform, b.victimAge, b.victimSex, b.suspectAge, false, [], false, true, b.status, [], [], user, user, 1].map((v) => p(v)).join(', ')})`,
  );
  const meta = bodies.map(
    (b) =>
      `(${p(b.forceId, '::text')}, ${p(b.crimeReference, '::text')}, ${p(JSON.stringify({ victimAge: { old: null, new: 14 } }), '::jsonb')}, ${p(user, '::text')})`,
  );
  const entries = bodies.map(
    (b) =>
      `(${p(b.forceId, '::text')}, ${p(b.crimeReference, '::text')}, ${p(user, '::text')}, ${p('collection', '::text')}, ${p([], '::text[]')}, ${p(null, '::text')}, ${p(null, '::text')}, ${p('POST /crimes', '::text')}, ${p(null, '::jsonb')}, ${p([], '::uuid[]')}, ${p(1, '::int')}, ${p(randomUUID(), '::text')})`,
  );
  const written = await scoped(
    c,
    `WITH w AS (INSERT INTO crimes (${CRIME_COLUMNS}) VALUES ${rows.join(', ')} RETURNING ${ALL}),
     h AS (INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
       SELECT w.force_id, w.id, w.version, 'created', NULL, m.changes, m.changed_by
       FROM w JOIN (VALUES ${meta.join(', ')}) AS m(force_id, crime_reference, changes, changed_by)
         ON w.force_id = m.force_id AND w.crime_reference = m.crime_reference),
     l AS (INSERT INTO access_log (${LOG_COLUMNS})
       SELECT e.user_id, e.action, ARRAY[w.force_id], e.purpose, e.justification, e.route, e.query, ARRAY[w.id],
         e.record_count, e.request_id
       FROM w JOIN (VALUES ${entries.join(', ')}) AS e(force_id, crime_reference, ${LOG_COLUMNS})
         ON w.force_id = e.force_id AND w.crime_reference = e.crime_reference)
     SELECT * FROM w`,
    params,
    true, // as CrimeWriteBatcher's
  );
  const byRef = new Map(written.map((r) => [r.crime_reference, r]));
  return bodies.map((b) => byRef.get(b.crimeReference)!);
}

// The app's batching of creates (CrimeCreateBatcher) around bareCreateRows: a create waits while inFlight
// statements run, then goes with every create that arrived meanwhile (at most CREATE_BATCH.maxRecords); given
// sizes, the app's own statements' sizes in turn (replayedSizes, bareBatches).
export function createBatcher(
  pool: pg.Pool,
  user: string,
  inFlight: number = CREATE_BATCH.inFlight,
  sizes?: readonly number[],
): BareBatches<Record<string, unknown>, Record<string, unknown>> {
  return bareBatches(
    async (bodies) => {
      const c = await pool.connect();
      try {
        return await bareCreateRows(c, user, bodies);
      } finally {
        c.release();
      }
    },
    inFlight,
    CREATE_BATCH.maxRecords,
    sizes,
  );
}

// How many creates each of the app's transactions held between from and to, in the order they began: the records
// of one statement share created_at (now(), the start of its transaction), and no two statements begin at the
// same microsecond. Records created by bareUser (the bare-pg side) are not counted.
export async function replayedSizes(
  url: string,
  bareUser: string,
  from: Date,
  to: Date,
): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM crimes WHERE created_by <> $1 AND created_at BETWEEN $2 AND $3
       GROUP BY created_at ORDER BY created_at`,
      [bareUser, from, to],
    );
    return rows.map((r) => r.n);
  } finally {
    await c.end();
  }
}

// Creates by CLIENTS loops for SECONDS, batched as the app batches them: a create waits while inFlight statements
// run and then goes with every create that arrived meanwhile (at most CREATE_BATCH.maxRecords). By default the
// app's pool (10) and in flight its CREATE_BATCH.inFlight times its workers. Latency is each create's, from its
// arrival to its statement's commit.
export async function bareBatchedCreates(
  url: string,
  clients: number,
  seconds: number,
  user: string,
  poolSize = 10,
  inFlight = CREATE_BATCH.inFlight * Number(BENCH_WORKERS),
  sizes?: readonly number[],
): Promise<Figures & { statements: number }> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c role=cyberflag_app',
  });
  const batcher = createBatcher(pool, user, inFlight, sizes);
  const cpu = sampleCpu();
  const lat: number[] = [];
  const errors: Record<string, number> = {};
  const until = Date.now() + seconds * 1000;
  const t0 = Date.now();
  const drain = setTimeout(batcher.drain, seconds * 1000);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const s = process.hrtime.bigint();
        try {
          await batcher.write(crimeBody());
          lat.push(Number(process.hrtime.bigint() - s) / 1e6);
        } catch (e) {
          const k = (e as { code?: string }).code ?? 'error';
          errors[k] = (errors[k] ?? 0) + 1;
        }
      }
    }),
  );
  clearTimeout(drain);
  const elapsed = (Date.now() - t0) / 1000;
  const cpuLine = cpu.stop();
  await pool.end();
  return { ...figures(lat, elapsed, errors, cpuLine), statements: batcher.statements() };
}

// As the app amends a record of no incident (crime-amendment.service.ts): the scoped read, then the change with its
// history row and entry, written only while the record is at the version read; two statements, each its own
// transaction, no lock held in between. Given the record as this client last wrote it, the change alone, as the
// app amends a record it wrote (libs/crimes crime-recent.ts).
export async function bareAmend(
  c: pg.ClientBase,
  user: string,
  id: string,
  known?: BareKnown,
): Promise<BareKnown> {
  const [before] =
    known !== undefined
      ? [known]
      : (
          await scoped(
            c,
            `SELECT ${ALL_C} FROM crimes c WHERE c.id = $1 AND c.force_id = ANY($2)`,
            [id, [FORCE]],
          )
        ).map(knownOf);
  const written = await scoped(
    c,
    `WITH w AS (
       UPDATE crimes SET victim_age = $4, rule_warnings = '{}', acknowledged_rules = '{}', version = $5, updated_by = $6,
         updated_at = now() WHERE force_id = $1 AND id = $2 AND version = $3 RETURNING ${ALL}),
     h AS (${history('w', 7)}),
     l AS (${logEntry('w', 11)})
     SELECT * FROM w`,
    [
      FORCE,
      id,
      before!.version,
      before!.victim_age === 14 ? 13 : 14,
      before!.version + 1,
      user,
      ...historyParams('amended', 'bench amendment', user),
      ...logParams(user, 'alteration', 'PATCH /crimes/:id', null),
    ],
  );
  if (written.length !== 1) throw Object.assign(new Error('version conflict'), { code: '409' });
  return knownOf(written[0]!);
}

export async function bareRead(c: pg.ClientBase, user: string, id: string): Promise<void> {
  await scoped(
    c,
    `WITH f AS (SELECT ${ALL_C} FROM crimes c WHERE c.id = $1 AND c.force_id = ANY($2)),
     l AS (${logEntry('f', 3)})
     SELECT * FROM f`,
    [id, [FORCE], ...logParams(user, 'consultation', 'GET /crimes/:id', null)],
  );
}

// As the app reads records by id (libs/crimes crime-read-batcher.ts): the reads that arrive together in one
// statement, each with its own access-log entry (accessLogInsertJoined, as the app builds it).
export function bareReadsBatched(
  pool: pg.Pool,
  user: string,
): (worker: number, id: string) => Promise<void> {
  return batchedAsTheApp<string>(pool, async (c, ids) => {
    const params: unknown[] = [ids, [FORCE]];
    const log = accessLogInsertJoined(
      'f',
      [{ column: 'id', type: 'uuid' }],
      ids.map((id) => ({
        key: [id],
        entry: {
          userId: user,
          action: 'consultation',
          forceIds: [],
          route: 'GET /crimes/:id',
          purpose: null,
          recordIds: [],
          recordCount: 1,
          requestId: randomUUID(),
        },
      })),
      params,
      { forceIds: 'ARRAY[f.force_id]', recordIds: 'ARRAY[f.id]' },
    );
    await scoped(
      c,
      `WITH f AS (SELECT ${ALL_C} FROM crimes c WHERE c.id = ANY($1::uuid[]) AND c.force_id = ANY($2)),
       l AS (${log}) SELECT * FROM f`,
      params,
    );
  });
}

// As the app lists one force's page (libs/crimes crime-query.service.ts): the page in a statement that writes
// nothing, the force as one value, so the page is a range of ix_crimes_force_recorded; then its access-log entry,
// written with those of the lists that arrive together (AccessLogService.append: accessLogInsertValues).
export function bareLists(pool: pg.Pool, user: string): (worker: number) => Promise<void> {
  const append = batchedAsTheApp<AccessEntry>(pool, async (c, entries) => {
    const params: unknown[] = [];
    await queryScoped(c, '', accessLogInsertValues(entries, params), params, true); // as AccessLogService's
  });
  // As the app's list does since the twelfth session (CrimeViews): the page's keys, then the views of the records
  // not kept yet, kept by id and version.
  const views = new Map<string, string>();
  return async (worker) => {
    const c = await pool.connect();
    let rows: { force_id: string; id: string; version: number }[];
    try {
      rows = await scoped<{ force_id: string; id: string; version: number }>(
        c,
        `SELECT c.force_id, c.recorded_at, c.id, c.version FROM crimes c WHERE c.force_id = $1
         ORDER BY c.recorded_at DESC, c.id DESC LIMIT $2`,
        [FORCE, 51],
      );
      const shown = rows.slice(0, 50);
      const missing = shown.filter((r) => !views.has(`${r.id}:${r.version}`));
      if (missing.length > 0) {
        const read = await scoped<{ id: string; version: number; view: string }>(
          c,
          `SELECT c.id, c.version, ${VIEW_JSON} AS view FROM crimes c
            WHERE (c.force_id, c.id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
          [missing.map((r) => r.force_id), missing.map((r) => r.id)],
        );
        for (const r of read) views.set(`${r.id}:${r.version}`, r.view);
      }
      void shown.map((r) => views.get(`${r.id}:${r.version}`)).join(',');
    } finally {
      c.release();
    }
    await append(worker, {
      userId: user,
      action: 'consultation',
      forceIds: [FORCE],
      route: 'GET /crimes',
      purpose: null,
      query: { limit: 50, page: 'first' },
      recordCount: Math.min(rows.length, 50),
      requestId: randomUUID(),
    });
  };
}

// The history row of the statement's written row `rel`, its parameters from $first.
const history = (rel: string, first: number) =>
  `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
   SELECT force_id, id, version, $${first}::text, $${first + 1}::text, $${first + 2}::jsonb, $${first + 3}::text FROM ${rel}`;
const historyParams = (action: string, reason: string | null, user: string) => [
  action,
  reason,
  JSON.stringify({ victimAge: { old: 14, new: 13 } }),
  user,
];

const LOG_COLUMNS =
  'user_id, action, force_ids, purpose, justification, route, query, record_ids, record_count, request_id';
// The access-log entry of the statement's record `rel` (its force and id from the row), parameters from $first.
const logEntry = (rel: string, first: number) => {
  const p = (i: number, type: string) => `$${first + i}::${type}`;
  return `INSERT INTO access_log (${LOG_COLUMNS})
    SELECT ${p(0, 'text')}, ${p(1, 'text')}, ARRAY[${rel}.force_id], ${p(2, 'text')}, ${p(3, 'text')}, ${p(4, 'text')},
      ${p(5, 'jsonb')}, ARRAY[${rel}.id], 1, ${p(6, 'text')} FROM ${rel}`;
};
const logParams = (
  user: string,
  action: string,
  route: string,
  query: Record<string, unknown> | null,
) => [user, action, null, null, route, query ? JSON.stringify(query) : null, randomUUID()];

// Where the time went in the app's CPU profile: self time by package (or app file), the top entries.
export function profileSummary(dir: string, top = 12): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const self = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const url = n.callFrame.url;
      const where = url.includes('node_modules/')
        ? url
            .split('node_modules/')
            .pop()!
            .split('/')
            .slice(0, url.includes('node_modules/@') ? 2 : 1)
            .join('/')
        : url.includes('/dist/')
          ? `app ${url.split('/dist/').pop()}`
          : url || `(${n.callFrame.functionName || 'native'})`;
      const key = `${where} ${n.callFrame.functionName || '(anonymous)'}`;
      const dt = p.timeDeltas[i] ?? 0;
      self.set(key, (self.get(key) ?? 0) + dt);
      total += dt;
    });
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${((100 * us) / total).toFixed(1)}% ${k}`);
}

// Where the machine's CPU went while a scenario ran: the app's processes (appPid and its workers), PostgreSQL's,
// this bench process (autocannon, or the bare-pg client) and the rest, each as a share of all cores' time
// (/proc/*/stat utime + stime; Linux only, empty elsewhere).
export function sampleCpu(appPid?: number): { stop: () => string } {
  const read = () => {
    const byPid = new Map<number, { ppid: number; comm: string; ticks: number }>();
    let names: string[];
    try {
      names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
    } catch {
      return byPid; // not Linux
    }
    for (const n of names) {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        const f = stat.slice(close + 2).split(' ');
        byPid.set(Number(n), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        // the process ended while we read
      }
    }
    return byPid;
  };
  const kind = (pid: number, procs: ReturnType<typeof read>): string => {
    const p = procs.get(pid)!;
    if (pid === process.pid) return 'bench';
    if (p.comm === 'postgres') return 'postgres';
    for (let q: number | undefined = pid; q && q > 1; q = procs.get(q)?.ppid)
      if (q === appPid) return 'app';
    return 'other';
  };
  const before = read();
  const t0 = process.hrtime.bigint();
  const clock = 100; // USER_HZ on Linux
  return {
    stop: () => {
      const after = read();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const used: Record<string, number> = {};
      for (const [pid, p] of after) {
        const d = p.ticks - (before.get(pid)?.ticks ?? 0);
        if (d > 0) used[kind(pid, after)] = (used[kind(pid, after)] ?? 0) + d / clock;
      }
      const capacity = seconds * availableParallelism();
      if (!after.size || capacity <= 0) return 'cpu: not measured';
      const share = (k: string) => `${k} ${((100 * (used[k] ?? 0)) / capacity).toFixed(0)}%`;
      const idle = 100 - (100 * Object.values(used).reduce((a, b) => a + b, 0)) / capacity;
      return `cpu (of ${availableParallelism()} cores): ${['app', 'postgres', 'bench', 'other'].map(share).join(', ')}, idle ${Math.max(0, idle).toFixed(0)}%`;
    },
  };
}

// Lock and other waits of the database's sessions, sampled while a scenario runs: each wait's count of sessions
// over all samples, and the number of samples.
export interface SampledWaits {
  waits: Record<string, number>;
  samples: number;
}
export function sampleWaits(url: string): { stop: () => Promise<SampledWaits> } {
  const c = new pg.Client({ connectionString: url });
  const out: SampledWaits = { waits: {}, samples: 0 };
  let on = true;
  // Sampling is best effort: a lost connection ends it, not the run.
  c.on('error', () => (on = false));
  const done = (async () => {
    await c.connect();
    while (on) {
      const { rows } = await c.query(
        `SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU/running') AS w, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
         GROUP BY 1`,
      );
      for (const r of rows) out.waits[r.w] = (out.waits[r.w] ?? 0) + r.n;
      out.samples++;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.end();
  })().catch(() => undefined);
  return {
    stop: async () => {
      on = false;
      await done;
      return out;
    },
  };
}

// The sampled waits as one line: how many sessions were active on average, then the five commonest waits' shares.
export function waitsLine({ waits, samples }: SampledWaits): string {
  const total = Object.values(waits).reduce((a, b) => a + b, 0);
  const shares = Object.entries(waits)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, n]) => `${k} ${((100 * n) / (total || 1)).toFixed(0)}%`)
    .join(', ');
  return `db sessions (sampled): ${(total / (samples || 1)).toFixed(2)} active on average; ${shares}`;
}

// The access log alone, before and after issue #21: the old chain trigger (a global advisory lock held to commit,
// then the previous hash read) on a copy of the table, against the table as it is now (a sequence, sealed later).
export async function accessLogAlone(
  url: string,
  clients: number,
  seconds: number,
): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(
    `CREATE TABLE access_log_locked (LIKE access_log INCLUDING DEFAULTS INCLUDING INDEXES)`,
  );
  await c.query(`
    CREATE FUNCTION access_log_locked_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE last_seq bigint; last_hash bytea;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('bench.access_log_locked'));
      SELECT seq, hash INTO last_seq, last_hash FROM access_log_locked ORDER BY seq DESC LIMIT 1;
      NEW.payload_version := 2;
      NEW.seq := COALESCE(last_seq, 0) + 1;
      NEW.pos := NEW.seq;
      NEW.at := clock_timestamp();
      NEW.prev_hash := COALESCE(last_hash, '\\x'::bytea);
      NEW.hash := sha256(NEW.prev_hash || convert_to(jsonb_build_array(NEW.payload_version, NEW.seq,
        (extract(epoch FROM NEW.at) * 1000000)::bigint, NEW.user_id, NEW.action, NEW.force_ids, NEW.purpose,
        NEW.justification, NEW.route, NEW.query, encode(sha256(array_send(NEW.record_ids)), 'hex'),
        NEW.record_count, NEW.request_id)::text, 'UTF8'));
      RETURN NEW;
    END $$`);
  await c.query(
    `CREATE TRIGGER tr_access_log_locked_chain BEFORE INSERT ON access_log_locked FOR EACH ROW EXECUTE FUNCTION access_log_locked_chain()`,
  );
  await c.query(`GRANT SELECT, INSERT ON access_log_locked TO cyberflag_app`);
  await c.end();
  const entry = (table: string, then: string) => (cl: pg.PoolClient) =>
    inTransaction(cl, async () => {
      await cl.query(
        `INSERT INTO ${table} (user_id, action, force_ids, route, record_ids, record_count) VALUES ('bench', 'consultation', '{kent}', 'bench', $1, 1)`,
        [[randomUUID()]],
      );
      if (then) await cl.query(then);
    });
  const out: string[] = [];
  for (const [name, then] of [
    ['insert only', ''],
    ['insert, then 2 ms more work in the transaction', 'SELECT pg_sleep(0.002)'],
  ] as const) {
    const old = await bare(url, clients, seconds, clients, entry('access_log_locked', then));
    const now = await bare(url, clients, seconds, clients, entry('access_log', then));
    out.push(
      `access log alone (${name}): ${line('old lock trigger', old)}; ${line('sequence + sealer', now)}; ratio ${(now.rate / old.rate).toFixed(2)}`,
    );
  }
  return out;
}
