import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// Shared by bench:api and load (issues #21, #18): the app in a process of its own on loopback, a registrar, the
// same transactions done by a bare pg client, and the figures printed the same way.

export const FORCE = 'kent';
const YEAR_START = Date.UTC(2017, 3, 10); // 2017-18: no other data in the bench's own database

export interface App {
  base: string;
  token: string;
  userId: string;
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

// The app as `npm start` runs it (production mode, the app's default pool), plus a registrar for FORCE.
// url: the owner's (user add); appUrl: the app's own login role (prepareBenchDatabase), as production runs it.
export async function startApp(
  url: string,
  opts: { appUrl: string; cpuProfDir?: string },
): Promise<App> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cyberflag-bench-api-'));
  const key = randomBytes(32).toString('base64url');
  const port = 3900 + Math.floor(Math.random() * 500);
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
  const args = opts.cpuProfDir
    ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir, 'dist/apps/api/src/main.js']
    : ['dist/apps/api/src/main.js'];
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
  const me = (await (
    await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as {
    id?: string;
    userId?: string;
  };
  return {
    base,
    token,
    userId: me.userId ?? me.id ?? 'unknown',
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
export async function bare(
  url: string,
  clients: number,
  seconds: number,
  poolSize: number,
  work: (c: pg.PoolClient, worker: number) => Promise<void>,
): Promise<Figures> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c role=cyberflag_app',
  });
  const lat: number[] = [];
  const errors: Record<string, number> = {};
  const until = Date.now() + seconds * 1000;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      while (Date.now() < until) {
        const s = process.hrtime.bigint();
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await c.query(`SELECT set_config('cyberflag.forces', $1, true)`, [FORCE]);
          await work(c, w);
          await c.query('COMMIT');
          lat.push(Number(process.hrtime.bigint() - s) / 1e6);
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          const k = (e as { code?: string }).code ?? 'error';
          errors[k] = (errors[k] ?? 0) + 1;
        } finally {
          c.release();
        }
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  await pool.end();
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0;
  return { rate: lat.length / elapsed, p50: pct(0.5), p99: pct(0.99), ok: lat.length, errors };
}

// The app's transactions, statement for statement (as TypeORM sends them, simplified to the same SQL work).
const CRIME_COLUMNS = `force_id, crime_reference, offence_code, reported_at, recorded_at, offence_from, online_flag,
  online_method, online_platform, victim_age, victim_sex, suspect_age, domestic_abuse, hate_strands,
  child_sexual_exploitation, child_sexual_abuse, status, rule_warnings, acknowledged_rules, created_by, updated_by, version`;

export async function bareCreate(c: pg.ClientBase, user: string): Promise<{ id: string }> {
  const b = crimeBody();
  const {
    rows: [{ id }],
  } = await c.query(
    `INSERT INTO crimes (${CRIME_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, false, '{}', false, true,
       $13, '{}', '{}', $14, $14, 1) RETURNING id`,
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
    ],
  );
  await c.query(`SELECT * FROM crimes WHERE force_id = $1 AND id = $2`, [FORCE, id]);
  await history(c, id, 1, 'created', null, user);
  await logEntry(c, user, 'collection', 'POST /crimes', [id], 1, null);
  return { id };
}

export async function bareAmend(c: pg.ClientBase, user: string, id: string): Promise<void> {
  const {
    rows: [before],
  } = await c.query(`SELECT * FROM crimes WHERE id = $1 AND force_id = ANY($2) FOR UPDATE`, [
    id,
    [FORCE],
  ]);
  await c.query(
    `UPDATE crimes SET victim_age = $3, version = $4, updated_by = $5, updated_at = now() WHERE force_id = $1 AND id = $2`,
    [FORCE, id, before.victim_age === 14 ? 13 : 14, before.version + 1, user],
  );
  await c.query(`SELECT * FROM crimes WHERE force_id = $1 AND id = $2`, [FORCE, id]);
  await history(c, id, before.version + 1, 'amended', 'bench amendment', user);
  await logEntry(c, user, 'alteration', 'PATCH /crimes/:id', [id], 1, null);
}

export async function bareRead(c: pg.ClientBase, user: string, id: string): Promise<void> {
  await c.query(`SELECT * FROM crimes c WHERE c.id = $1 AND c.force_id = ANY($2)`, [id, [FORCE]]);
  await logEntry(c, user, 'consultation', 'GET /crimes/:id', [id], 1, null);
}

export async function bareList(c: pg.ClientBase, user: string): Promise<void> {
  const { rows } = await c.query(
    `SELECT * FROM crimes c WHERE c.force_id = ANY($1) ORDER BY c.recorded_at DESC, c.id DESC LIMIT 51`,
    [[FORCE]],
  );
  await logEntry(c, user, 'consultation', 'GET /crimes', [], Math.min(50, rows.length), {
    limit: 50,
    page: 'first',
  });
}

const history = (
  c: pg.ClientBase,
  id: string,
  version: number,
  action: string,
  reason: string | null,
  user: string,
) =>
  c.query(
    `INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [FORCE, id, version, action, reason, JSON.stringify({ victimAge: { from: 14, to: 13 } }), user],
  );

const logEntry = (
  c: pg.ClientBase,
  user: string,
  action: string,
  route: string,
  ids: string[],
  count: number,
  query: Record<string, unknown> | null,
) =>
  c.query(
    `INSERT INTO access_log (user_id, action, force_ids, purpose, justification, route, query, record_ids, record_count, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      user,
      action,
      [FORCE],
      null,
      null,
      route,
      query ? JSON.stringify(query) : null,
      ids,
      count,
      randomUUID(),
    ],
  );

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

// Lock and other waits of the database's sessions, sampled while a scenario runs.
export function sampleWaits(url: string): { stop: () => Promise<Record<string, number>> } {
  const c = new pg.Client({ connectionString: url });
  const waits: Record<string, number> = {};
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
      for (const r of rows) waits[r.w] = (waits[r.w] ?? 0) + r.n;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.end();
  })().catch(() => undefined);
  return {
    stop: async () => {
      on = false;
      await done;
      return waits;
    },
  };
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
  const entry = (table: string, then: string) => async (cl: pg.PoolClient) => {
    await cl.query(
      `INSERT INTO ${table} (user_id, action, force_ids, route, record_ids, record_count) VALUES ('bench', 'consultation', '{kent}', 'bench', $1, 1)`,
      [[randomUUID()]],
    );
    if (then) await cl.query(then);
  };
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
