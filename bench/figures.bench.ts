// npm run bench:figures [-- --rows N] [-- --runs R] [-- --seconds S]   (not a test: prints figures)
// Issue #22 item 3: what maintaining the aggregate (crime_figures and crime_figures_monthly, kept by
// statement-level triggers on crimes) costs the writes, measured against the same writes with those triggers
// disabled (ALTER TABLE crimes DISABLE TRIGGER, on this bench's own database), in the same run, alternating:
//   (a) import-like loads of N rows in 10,000-row batches, in one transaction:
//       staging  as the import's merge does it: each batch COPYed into a temporary table, then one
//                INSERT … SELECT into crimes with one access-log entry, as the application role under RLS;
//       copy     each batch COPYed straight into crimes (issue #22 item 4's first-load path), as the owner;
//   (b) single-record creates as the API makes them (bench/api-support.ts's bare-pg create: the insert, the
//       read-back, the history row, the access-log entry; 50 clients over a pool of 10, after a warm-up) for S
//       seconds;
// then (c) live figures on the loaded data: the auditors' completeness from the aggregate and from the records.
// Last line: `ratio <the worst of the three: rows/s or creates/s with the aggregate ÷ without>` (goal ≥ 0.85).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  queryCompleteness,
  queryCompletenessByForce,
  type CompletenessSource,
} from '#libs/auditing';
import { APP_DB_ROLE, pgQueryable } from '#libs/persistence';
import { bare, bareCreate, FORCE, type Figures } from './api-support.js';
import {
  checkpoint,
  CRIME_COPY_COLUMNS,
  crimeGenerator,
  dropDatabase,
  freshDatabase,
  median,
  percentile,
  prepareBenchDatabase,
  printRatio,
  requireFinalLine,
  rng,
  timed,
} from './bench-support.js';

requireFinalLine();

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    runs: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const ROWS = Number(values.rows ?? 200_000);
const RUNS = Number(values.runs ?? 3);
const SECONDS = Number(values.seconds ?? 10);
for (const [name, v] of [
  ['--rows', ROWS],
  ['--runs', RUNS],
  ['--seconds', SECONDS],
] as const)
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a whole number ≥ 1`);
const BATCH = 10_000;
const CLIENTS = 50;
const POOL = 10; // the app's default DB_POOL_SIZE
const YEAR = 2019;
const DB = `cyberflag_bench_figures_${process.pid}`;

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// COPY text rows of every force (the national bench's mix: 96 % confirmed, 1 % drafts, 3 % removed; ~20 %
// online, 40 % for sexual offences; child victims on sexual offences; 5 % unknown ages; 5 % with a stored
// warning), force after force as a force's files come (so a batch holds one or two forces' records, and the
// aggregate's delta rows per batch are what an import makes), in batches of BATCH. Ids ascend, like UUID v7.
function batches(): string[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const { forces, line } = crimeGenerator(YEAR, rng(22), iso);
  const out: string[] = [];
  let buf: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const force = forces[Math.floor((i * forces.length) / ROWS)]!;
    buf.push(
      line(force, `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`, `FIG/${i}`),
    );
    if (buf.length === BATCH) {
      out.push(buf.join(''));
      buf = [];
    }
  }
  if (buf.length) out.push(buf.join(''));
  return out;
}

const COLS = CRIME_COPY_COLUMNS.join(', ');
const copyInto = (c: pg.ClientBase, table: string, text: string) =>
  pipeline(Readable.from([text]), c.query(copyFrom(`COPY ${table} (${COLS}) FROM STDIN`)));

interface LoadFigures {
  rate: number; // rows/s
  p50: number; // ms per batch
  p99: number;
}

// One import-like load of every batch into an empty crimes table, one transaction. Returns rows/s and the
// per-batch latencies.
async function loadOnce(
  owner: pg.Client,
  data: string[],
  path: 'staging' | 'copy',
): Promise<LoadFigures> {
  // Two statements: crimes' truncate trigger empties the aggregates itself, and cannot while the same
  // statement truncates them; with the triggers off they are emptied by the second.
  await owner.query(`TRUNCATE crimes CASCADE`);
  await owner.query(`TRUNCATE crime_figures, crime_figures_monthly`);
  await checkpoint();
  const lat: number[] = [];
  const { ms } = await timed(async () => {
    await owner.query('BEGIN');
    try {
      if (path === 'staging') {
        // The product's merge runs as the application role under row-level security.
        await owner.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
        await owner.query(`SELECT set_config('cyberflag.forces', '*', true)`);
        await owner.query(`SET LOCAL jit = off`); // as the import transaction does
        await owner.query(
          `CREATE TEMP TABLE bench_batch ON COMMIT DROP AS SELECT ${COLS} FROM crimes WITH NO DATA`,
        );
      }
      for (const text of data) {
        const t0 = process.hrtime.bigint();
        if (path === 'copy') await copyInto(owner, 'crimes', text);
        else {
          await owner.query(`TRUNCATE bench_batch`);
          await copyInto(owner, 'bench_batch', text);
          await owner.query(`
            WITH ins AS (
              INSERT INTO crimes (${COLS}) SELECT ${COLS} FROM bench_batch RETURNING force_id, id
            )
            INSERT INTO access_log (user_id, action, force_ids, route, query, record_ids, record_count, request_id)
            SELECT 'bench', 'collection', array_agg(DISTINCT force_id), 'POST /imports',
                   jsonb_build_object('importId', gen_random_uuid()::text), array_agg(id), count(*),
                   gen_random_uuid()::text
            FROM ins`);
        }
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      await owner.query('COMMIT');
    } catch (e) {
      await owner.query('ROLLBACK');
      throw e;
    }
  });
  return { rate: ROWS / (ms / 1000), p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) };
}

async function setFigureTriggers(owner: pg.Client, on: boolean): Promise<void> {
  const { rows } = await owner.query<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE tgrelid = 'crimes'::regclass AND tgname LIKE 'tr\\_crimes\\_figures\\_%'`,
  );
  if (rows.length < 8) throw new Error(`expected the 8 figures triggers, found ${rows.length}`);
  for (const { tgname } of rows)
    await owner.query(`ALTER TABLE crimes ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${tgname}`);
}

// RUNS pairs, the order alternating (on first, then off first, …); medians of each side.
async function pairs<T>(
  owner: pg.Client,
  run: () => Promise<T>,
  show: (side: string, t: T) => string,
): Promise<{ on: T[]; off: T[] }> {
  const on: T[] = [];
  const off: T[] = [];
  for (let i = 0; i < RUNS; i++)
    for (const side of i % 2 === 0 ? [true, false] : [false, true]) {
      await setFigureTriggers(owner, side);
      const t = await run();
      (side ? on : off).push(t);
      console.log(`  run ${i + 1} ${show(side ? 'aggregate on ' : 'aggregate off', t)}`);
    }
  await setFigureTriggers(owner, true);
  return { on, off };
}

const medianOf = <T>(xs: T[], k: (t: T) => number) => median(xs.map(k));

// bare() of api-support.ts (same transactions: BEGIN, the scope, bareCreate, COMMIT; CLIENTS loops over a pool
// of POOL as the application role), after a warm-up in which every pooled connection makes two creates: a
// session's first call of a trigger function compiles and plans it (~0.1 s here), once per connection of a
// long-lived pool in production, and it would otherwise weigh on a run of a few seconds.
async function creates(url: string): Promise<Figures> {
  const once = async (c: pg.PoolClient) => {
    await c.query('BEGIN');
    try {
      await c.query(`SELECT set_config('cyberflag.forces', $1, true)`, [FORCE]);
      await bareCreate(c, 'bench-figures');
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  };
  return bare(url, CLIENTS, SECONDS, POOL, once, 2);
}

async function liveFigures(owner: pg.Client): Promise<void> {
  // The aggregate exact for the data now in crimes (some of it was written with the triggers off).
  await owner.query(`TRUNCATE crime_figures, crime_figures_monthly`);
  await owner.query(`
    INSERT INTO crime_figures (force_id, financial_year, offence_code, status, online_flag,
                               cancellation_category, child, child_age, child_sex, warnings,
                               n, within_24h, unknown_age, unknown_sex, version_sum)
    SELECT * FROM crime_figures_from_records`);
  await owner.query(`
    INSERT INTO crime_figures_monthly (force_id, financial_year, recorded_month, offence_code, status,
                                       online_flag, n, unknown_age)
    SELECT * FROM crime_figures_monthly_from_records`);
  await owner.query('VACUUM ANALYZE');
  const db = pgQueryable(owner);
  const [{ force }] = (
    await owner.query<{ force: string }>(
      `SELECT force_id AS force FROM crimes WHERE financial_year = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      [YEAR],
    )
  ).rows;
  // The product's session: the application role, national scope, one REPEATABLE READ transaction.
  const session = async <T>(work: () => Promise<T>): Promise<T> => {
    await owner.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await owner.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
      await owner.query(`SELECT set_config('cyberflag.forces', '*', true)`);
      return await work();
    } finally {
      await owner.query('COMMIT');
    }
  };
  const cases: [string, (s: CompletenessSource) => Promise<unknown>][] = [
    [
      'completeness, national, by code, monthly',
      (s) => queryCompleteness(db, { forceIds: null, year: YEAR, by: 'code', monthly: true }, s),
    ],
    [
      'completeness by force (heat table), national',
      (s) => queryCompletenessByForce(db, { forceIds: null, year: YEAR }, s),
    ],
    [
      `completeness, ${force}, by group, monthly`,
      (s) =>
        queryCompleteness(db, { forceIds: [force], year: YEAR, by: 'group', monthly: true }, s),
    ],
  ];
  for (const [name, q] of cases) {
    const ms = { figures: [] as number[], records: [] as number[] };
    let same = true;
    for (let i = 0; i < 3; i++)
      for (const s of ['figures', 'records'] as const) {
        const r = await session(() => timed(() => q(s)));
        ms[s].push(r.ms);
        if (i === 0 && s === 'records') {
          const f = await session(() => q('figures'));
          same = JSON.stringify(f) === JSON.stringify(r.value);
        }
      }
    console.log(
      `live ${name}: aggregate ${median(ms.figures).toFixed(1)} ms, records ${median(ms.records).toFixed(1)} ms (medians of 3), ratio ${(median(ms.figures) / median(ms.records)).toFixed(3)}${same ? '' : ' — RESULTS DIFFER'}`,
    );
    if (!same) throw new Error(`${name}: the aggregate and the records disagree`);
  }
  console.log(
    'live year tracker: its only count (records changed since submission) reads history, not the aggregate (see year-tracker.query.ts): not timed here',
  );
}

const url = await freshDatabase(DB);
try {
  await prepareBenchDatabase(url, DB);
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  try {
    console.log(
      `bench:figures ${new Date().toISOString()} rows ${ROWS} in batches of ${BATCH}, runs ${RUNS}, creates ${CLIENTS} clients x ${SECONDS} s; load average before: ${load()}`,
    );
    const data = batches();
    const ratios: [string, number][] = [];
    for (const path of ['staging', 'copy'] as const) {
      console.log(
        `import-like load (${path === 'staging' ? 'COPY into a staging table, INSERT … SELECT into crimes, access-log entry; application role' : 'COPY straight into crimes; owner'}):`,
      );
      const r = await pairs(
        owner,
        () => loadOnce(owner, data, path),
        (side, f) =>
          `${side} ${Math.round(f.rate)} rows/s, batch p50 ${f.p50.toFixed(0)} ms p99 ${f.p99.toFixed(0)} ms`,
      );
      const on = medianOf(r.on, (f) => f.rate);
      const off = medianOf(r.off, (f) => f.rate);
      console.log(
        `import ${path}: with the aggregate ${Math.round(on)} rows/s, without ${Math.round(off)} rows/s (medians); ratio ${(on / off).toFixed(3)}; batch p50 ${medianOf(r.on, (f) => f.p50).toFixed(0)} vs ${medianOf(r.off, (f) => f.p50).toFixed(0)} ms`,
      );
      ratios.push([`import ${path}`, on / off]);
    }

    console.log(
      `API-like creates (bare pg, application role, ${CLIENTS} clients, pool ${POOL}, ${SECONDS} s each):`,
    );
    const c = await pairs<Figures>(
      owner,
      () => creates(url),
      (side, f) =>
        `${side} ${Math.round(f.rate)} creates/s p50 ${f.p50.toFixed(1)} ms p99 ${f.p99.toFixed(1)} ms errors ${Object.values(f.errors).reduce((a, b) => a + b, 0)}`,
    );
    const on = medianOf(c.on, (f) => f.rate);
    const off = medianOf(c.off, (f) => f.rate);
    const p50 = [medianOf(c.on, (f) => f.p50), medianOf(c.off, (f) => f.p50)];
    const p99 = [medianOf(c.on, (f) => f.p99), medianOf(c.off, (f) => f.p99)];
    console.log(
      `creates: with the aggregate ${Math.round(on)}/s p50 ${p50[0].toFixed(1)} ms p99 ${p99[0].toFixed(1)} ms; without ${Math.round(off)}/s p50 ${p50[1].toFixed(1)} ms p99 ${p99[1].toFixed(1)} ms; ratio ${(on / off).toFixed(3)} (latency p50 ×${(p50[0] / p50[1]).toFixed(2)}, p99 ×${(p99[0] / p99[1]).toFixed(2)})`,
    );
    ratios.push(['API creates', on / off]);

    await liveFigures(owner);

    const [worst, value] = ratios.reduce((a, b) => (b[1] < a[1] ? b : a));
    console.log(
      `aggregate's cost on writes: ${ratios.map(([n, v]) => `${n} ${v.toFixed(3)}`).join(', ')}; worst ${worst}; load average after: ${load()}`,
    );
    // Last line: the worst of the write paths, with the aggregate ÷ without (goal ≥ 0.85: under 15 % cost).
    printRatio(value, 3);
  } finally {
    await owner.end();
  }
} finally {
  await dropDatabase(DB);
}
