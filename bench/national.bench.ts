// npm run bench:national [-- --records N] [-- --owner]   (not a test: prints figures)
// Times the product's live national figures (NationalReturnService.build(…, 'live'): return heads, coverage,
// the maintained aggregate crime_figures with its uncompacted deltas, flag changes, folding into tables A/B/C
// per force, force → region → England and Wales, the access-log entry) against a full recomputation from the
// records (a hand-written GROUP BY producing the same aggregates), in the same run and the same session setup
// (app role, row-level security, national scope). Issue #22's goals: under 1 s, and ≤ 0.05 of the recomputation.
// Last line: `ratio <live figures time ÷ recomputation time>`.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { systemContext } from '#libs/auth';
import { NATIONAL_SCAN_SETTINGS, NationalReturnService } from '#libs/national';
import { APP_DB_ROLE } from '#libs/persistence';
import { financialYearPeriod } from '#libs/recording-rules';
import {
  benchAppContext,
  buildFigures,
  copyCrimes,
  crimeGenerator,
  dropDatabase,
  freshDatabase,
  median,
  printRatio,
  requireFinalLine,
  prepareBenchDatabase,
  inProductSession,
  rng,
  showTimes,
  timed,
} from './bench-support.js';

const { values } = parseArgs({
  options: { records: { type: 'string' }, owner: { type: 'boolean' } },
});
const records = Number(values.records ?? 7_000_000);
if (!Number.isSafeInteger(records) || records < 44)
  throw new Error('--records must be a whole number of at least 44');
const RUNS = 3;
const DB = 'cyberflag_bench_national';
const YEAR = 2019; // 2019-20: 366 days

// COPY text rows for every force (weighted: the Met about 10×, City of London small). Mix: 96 % confirmed, 1 %
// drafts, 3 % removed; about 20 % online; 5 % unknown ages; sexual offences get child victims more often;
// 5 % with a stored rule warning. Ids ascend (like UUIDv7), so the uuid indexes grow at their right edge.
function* rows(part: number, parts: number, n: number): Generator<string> {
  const r = rng(1000 + part);
  // Date#toISOString was most of the generator's time: days are cached, the time of day is arithmetic.
  const two = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));
  const days = new Map<number, string>();
  const iso = (ms: number) => {
    const day = Math.floor(ms / 86_400_000);
    let date = days.get(day);
    if (date === undefined)
      days.set(day, (date = new Date(day * 86_400_000).toISOString().slice(0, 10)));
    const sec = Math.floor((ms - day * 86_400_000) / 1000);
    return `${date} ${two[Math.floor(sec / 3600)]}:${two[Math.floor(sec / 60) % 60]}:${two[sec % 60]}+00`;
  };
  const { forces, line } = crimeGenerator(YEAR, r, iso);
  const weights = forces.map((f) =>
    f === 'metropolitan'
      ? 10
      : f === 'city-of-london' || f === 'btp'
        ? 0.5
        : 1 + ((f.length * 7) % 5) / 2,
  );
  const cumulative = weights.map(
    (_, i) =>
      weights.slice(0, i + 1).reduce((s, w) => s + w, 0) / weights.reduce((s, w) => s + w, 0),
  );
  for (let i = part; i < n; i += parts) {
    const x = r();
    const force =
      i < forces.length ? forces[i]! : (forces[cumulative.findIndex((c) => x <= c)] ?? forces[0]!);
    yield line(force, `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, `B/${i}`);
  }
}

async function copyPart(url: string, part: number, parts: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await copyCrimes(c, rows(part, parts, records));
  } finally {
    await c.end();
  }
}

// Bulk load: indexes are built after the COPY (one sort each instead of 7 M inserts into each) and the
// foreign-key triggers are off while loading generated, valid rows; both are restored before timing.
async function load(url: string, c: pg.Client): Promise<string> {
  const { rows: idx } = await c.query<{ name: string; def: string; con: string | null }>(`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, con.conname AS con
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.conrelid = x.indrelid
    WHERE x.indrelid = 'crimes'::regclass`);
  const { rows: cons } = await c.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'crimes'::regclass AND contype IN ('p', 'u')`,
  );
  const { rows: fks } = await c.query<{ name: string; rel: string; def: string }>(
    `SELECT conname AS name, conrelid::regclass::text AS rel, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE confrelid = 'crimes'::regclass AND contype = 'f'`,
  );
  for (const f of fks) await c.query(`ALTER TABLE ${f.rel} DROP CONSTRAINT ${f.name}`);
  for (const k of cons) await c.query(`ALTER TABLE crimes DROP CONSTRAINT ${k.name}`);
  for (const i of idx.filter((x) => !x.con)) await c.query(`DROP INDEX ${i.name}`);
  await c.query('ALTER TABLE crimes DISABLE TRIGGER ALL');
  const t0 = Date.now();
  await Promise.all([copyPart(url, 0, 2), copyPart(url, 1, 2)]);
  const t1 = Date.now();
  await c.query('ALTER TABLE crimes ENABLE TRIGGER ALL');
  // Flag changes (no → yes) on a quarter of the online-flagged records: the rows the history query reads.
  // Written before the keys are restored, so the foreign key is checked once, by ADD CONSTRAINT.
  await c.query(`INSERT INTO crime_history (force_id, crime_id, version, action, changes, changed_at, changed_by)
                 SELECT force_id, id, 2, 'amended', '{"onlineFlag":{"old":"no","new":"yes"}}'::jsonb, recorded_at + interval '1 hour', 'bench'
                 FROM crimes WHERE online_flag = 'yes' AND hashtext(crime_reference) % 4 = 0`);
  await c.query(`SET maintenance_work_mem = '1GB'`);
  for (const k of cons) await c.query(`ALTER TABLE crimes ADD CONSTRAINT ${k.name} ${k.def}`);
  for (const i of idx.filter((x) => !x.con)) await c.query(i.def);
  for (const f of fks) await c.query(`ALTER TABLE ${f.rel} ADD CONSTRAINT ${f.name} ${f.def}`);
  return `COPY ${((t1 - t0) / 1000).toFixed(1)} s, history, indexes and keys ${((Date.now() - t1) / 1000).toFixed(1)} s`;
}

// A competent analyst's single GROUP BY for the same aggregates: per force, the dimensions tables A, B and C
// need (table B's child-sexual-offence rule spelled out), counts and the high-water mark; plus the flag
// changes from history. Every figure of the national return is a sum over these rows.
const baselineSql = `
SELECT c.force_id, c.status, c.offence_code, c.online_flag,
       CASE WHEN o.sexual_offence AND c.status = 'confirmed' AND c.online_flag = 'yes'
                 AND (c.victim_age < 18 OR (c.victim_age IS NULL AND o.victim_age_max < 18)) THEN COALESCE(c.victim_age, -1) END AS child_age,
       CASE WHEN o.sexual_offence AND c.status = 'confirmed' AND c.online_flag = 'yes'
                 AND (c.victim_age < 18 OR (c.victim_age IS NULL AND o.victim_age_max < 18)) THEN c.victim_sex END AS child_sex,
       c.cancellation_category, c.rule_warnings,
       count(*)::int AS n,
       count(*) FILTER (WHERE c.recorded_at <= c.reported_at + interval '24 hours')::int AS within_24h,
       count(*) FILTER (WHERE c.victim_age IS NULL)::int AS unknown_age,
       count(*) FILTER (WHERE c.victim_sex = 'unknown')::int AS unknown_sex,
       sum(c.version)::float8 AS versions, max(c.updated_at) AS last_update
FROM crimes c JOIN offences o ON o.code = c.offence_code
WHERE c.financial_year = $1
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
const baselineHistorySql = `
SELECT force_id, changes -> 'onlineFlag' ->> 'old' AS old, changes -> 'onlineFlag' ->> 'new' AS new, count(*), count(DISTINCT crime_id)
FROM crime_history
WHERE changed_at >= $1 AND changed_at < $2 AND (changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')
GROUP BY 1, 2, 3`;

async function main(): Promise<void> {
  const url = await freshDatabase(DB);
  const c = new pg.Client({ connectionString: url });
  try {
    const appUrl = await prepareBenchDatabase(url, DB);
    await c.connect();
    const t0 = Date.now();
    const phases = await load(url, c);
    const loaded = Date.now();
    await c.query('VACUUM ANALYZE');
    const [counts] = (
      await c.query(
        `SELECT (SELECT count(*) FROM crimes)::int AS crimes, (SELECT count(*) FROM crime_history)::int AS history`,
      )
    ).rows;
    console.log(
      `data: ${counts.crimes} records of ${YEAR}-${(YEAR + 1) % 100} over 44 forces, ${counts.history} history rows; loaded in ${((loaded - t0) / 1000).toFixed(1)} s (${phases}), VACUUM ANALYZE ${((Date.now() - loaded) / 1000).toFixed(1)} s`,
    );

    console.log(await buildFigures(c));
    await c.query('VACUUM ANALYZE crimes, crime_figures, crime_figures_monthly');

    const app = await benchAppContext(appUrl);
    try {
      const service = app.get(NationalReturnService);
      const ctx = systemContext(
        { userId: 'bench', displayName: 'bench', roles: ['statistician'], forces: 'all' },
        'BENCH national',
      );
      const product = () => service.build(ctx, YEAR, 'live');
      const period = financialYearPeriod(YEAR);
      // The product's session for the baseline: the app role (RLS on), national scope, the same work_mem.
      const baseline = (role: string | null) => () =>
        inProductSession(c, { role, forces: '*', settings: NATIONAL_SCAN_SETTINGS }, async () => {
          const groups = await c.query(baselineSql, [YEAR]);
          await c.query(baselineHistorySql, [period.start.toISOString(), period.end.toISOString()]);
          return groups.rows as { status: string; n: number }[];
        });
      const times = { product: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        // Interleaved, so a cache or autovacuum effect falls on both.
        const p = await timed(product);
        const b = await timed(baseline(APP_DB_ROLE));
        times.product.push(p.ms);
        times.baseline.push(b.ms);
        if (i > 0) continue;
        // Same aggregates: the product's national counted total equals the baseline's confirmed sum.
        const confirmed = b.value
          .filter((g) => g.status === 'confirmed')
          .reduce((sum, g) => sum + g.n, 0);
        const total = p.value.national.tableA.rows.at(-1)!.total;
        if (total !== confirmed || p.value.national.source.recordCount !== records)
          throw new Error(`the product (${total}) and the baseline (${confirmed}) disagree`);
        console.log(
          `check: ${b.value.length} groups; ${p.value.metadata.coverage.text}; counted ${confirmed}; child sexual offences ${p.value.national.tableB.summary.total}`,
        );
      }
      console.log(
        `national return, live figures (the service: app role, RLS, aggregate, regions, log): ${showTimes(times.product)}`,
      );
      console.log(
        `full recomputation from the records (GROUP BY, same session: app role, RLS):       ${showTimes(times.baseline)}`,
      );
      // --owner: the same GROUP BY as the table owner (no row-level security), to see what RLS costs.
      if (values.owner)
        console.log(
          `hand-written GROUP BY as the table owner (no RLS), one run:                         ${(await timed(baseline(null))).ms.toFixed(0)} ms`,
        );
      printRatio(median(times.product) / median(times.baseline), 2);
    } finally {
      await app.close();
    }
  } finally {
    await c.end().catch(() => undefined);
    if (process.env.BENCH_KEEP_DB !== '1') await dropDatabase(DB);
  }
}

requireFinalLine();
await main();
