// npm run bench:return [-- RECORDS]   (not a test: prints figures)
// Times a force's live return (computeReturn from the maintained aggregate, source 'figures', as the return page
// and the live draft read it) against the full recomputation from the records (computeReturn, source 'records',
// as a submission computes it), on one large force-year, in the same run and session setup; checks both give
// the same tables. A hand-written GROUP BY over the records is printed for reference. Issue #22's goals: under
// 100 ms, and ≤ 0.05 of the recomputation. Last line: `ratio <live time ÷ recomputation time>`.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { Catalogue } from '#libs/catalogue';
import { APP_DB_ROLE, pgQueryable } from '#libs/persistence';
import { financialYearPeriod } from '#libs/recording-rules';
import { computeReturn, type ForceReturnTables } from '#libs/returns';
import { prepareDatabase } from '../apps/api/src/database/prepare-database.js';
import {
  buildFigures,
  copyCrimes,
  crimeCopyLine,
  dropDatabase,
  freshDatabase,
  median,
  printRatio,
  requireFinalLine,
  inProductSession,
  rng,
  showTimes,
  timed,
} from './bench-support.js';

const records = Number(process.argv[2] ?? 1_000_000);
const RUNS = 3;
const DB = 'cyberflag_bench_return';
const FORCE = 'west-midlands';
const YEAR = 2016;

// Rows in COPY text format. The mix: 96 % confirmed, 1 % drafts, 3 % removed; ~20 % flagged online;
// 5 % unknown ages; 5 % with a stored rule warning; every police-recorded offence code.
function* rows(force: string, year: number, n: number, seed: number): Generator<string> {
  const r = rng(seed);
  const codes = new Catalogue()
    .offences()
    .filter((o) => o.recordedBy === 'police')
    .map((o) => o.code);
  const period = financialYearPeriod(year);
  const span = period.end.getTime() - period.start.getTime();
  for (let i = 0; i < n; i++) {
    const recorded = period.start.getTime() + Math.floor(r() * span);
    const reported = recorded - Math.floor(r() * 48 * 3_600_000);
    const s = r();
    const status =
      s < 0.96 ? 'confirmed' : s < 0.97 ? 'draft' : s < 0.99 ? 'cancelled' : 'transferred';
    const flag = status === 'draft' && r() < 0.5 ? 'unknown' : r() < 0.2 ? 'yes' : 'no';
    const removed = status === 'cancelled' || status === 'transferred';
    const iso = (ms: number) => new Date(ms).toISOString();
    // The fields in the order the generator always drew them, so the data stays the same from run to run.
    yield crimeCopyLine({
      forceId: force,
      // Ascending ids (time-ordered, like UUIDv7) keep the uuid indexes' inserts at the right edge: loading
      // a million random UUIDs costs minutes of random index I/O, and the timings do not depend on it.
      id: `${seed.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      reference: `${force.slice(0, 3).toUpperCase()}/${year}/${seed}/${i}`,
      offenceCode: codes[Math.floor(r() * codes.length)]!,
      reportedAt: iso(reported),
      recordedAt: iso(recorded),
      offenceFrom: iso(reported - 86_400_000),
      onlineFlag: flag,
      victimAge: r() < 0.05 ? null : Math.floor(r() * 90),
      victimSex: ['female', 'male', 'unknown'][Math.floor(r() * 3)]!,
      status,
      ruleWarning: r() < 0.05,
      cancellationCategory: removed ? `C${1 + Math.floor(r() * 5)}` : null,
      transferredTo: 'staffordshire',
    });
  }
}

// What a competent analyst writes for the same information: ONE pass over the force-year grouped by every
// dimension tables A, B and C (and the high-water mark) break down by, plus the flag changes from history
// with the same indexed predicate as the product. Everything in the return is a sum over these rows.
const baselineSql = `
SELECT status, offence_code, online_flag, victim_sex, LEAST(victim_age, 18) AS age,
       recorded_at <= reported_at + interval '24 hours' AS within_24h, cancellation_category, rule_warnings,
       count(*), sum(version), max(updated_at)
FROM crimes WHERE force_id = $1 AND financial_year = $2
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
const baselineHistorySql = `
SELECT changes -> 'onlineFlag' ->> 'old' AS old, changes -> 'onlineFlag' ->> 'new' AS new, count(*), count(DISTINCT crime_id)
FROM crime_history
WHERE force_id = $1 AND changed_at >= $2 AND changed_at < $3 AND (changes -> 'onlineFlag' ->> 'old') IN ('yes', 'no')
GROUP BY 1, 2`;

// The product's session: the app role (row-level security on), the force in scope, one REPEATABLE READ transaction.
const session = (role: string | null) =>
  ({ role, forces: FORCE, isolation: 'REPEATABLE READ' }) as const;

async function main(): Promise<void> {
  const url = await freshDatabase(DB);
  const c = new pg.Client({ connectionString: url });
  try {
    await prepareDatabase(url, () => undefined);
    await c.connect();
    const t0 = Date.now();
    // Bulk-load setting: the generated rows are valid by construction, so the foreign-key triggers (one
    // catalogue lookup per row and key) are skipped while loading; CHECK constraints still apply.
    await c.query(`SET session_replication_role = replica`);
    // Plain indexes are built once after loading (as a bulk load does), not row by row; the same definitions.
    const { rows: indexes } = await c.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename IN ('crimes', 'crime_history') AND indexname LIKE 'ix\\_%'`,
    );
    for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
    await copyCrimes(c, rows(FORCE, YEAR, records, 1));
    // Other data the scans must skip: the same force's previous year and another force's same year.
    await copyCrimes(c, rows(FORCE, YEAR - 1, Math.ceil(records / 10), 2));
    await copyCrimes(c, rows('staffordshire', YEAR, Math.ceil(records / 10), 3));
    const copied = Date.now();
    // History: a 'created' entry per record, and a flag change (no -> yes, at version 2) for 5 % of them.
    await c.query(`INSERT INTO crime_history (force_id, crime_id, version, action, changes, changed_at, changed_by)
                   SELECT force_id, id, 1, 'created', '{}'::jsonb, recorded_at, 'bench' FROM crimes`);
    await c.query(`INSERT INTO crime_history (force_id, crime_id, version, action, changes, changed_at, changed_by)
                   SELECT force_id, id, 2, 'amended', '{"onlineFlag":{"old":"no","new":"yes"}}'::jsonb, recorded_at + interval '1 day', 'bench'
                   FROM crimes WHERE online_flag = 'yes' AND hashtext(crime_reference) % 4 = 0`);
    for (const ix of indexes) await c.query(ix.def);
    await c.query(`RESET session_replication_role`);
    const loaded = Date.now();
    await c.query('VACUUM ANALYZE');
    const [{ crimes, history }] = (
      await c.query(
        `SELECT (SELECT count(*) FROM crimes)::int AS crimes, (SELECT count(*) FROM crime_history)::int AS history`,
      )
    ).rows;
    console.log(
      `data: ${records} records in ${FORCE} ${YEAR}-${(YEAR + 1) % 100}; ${crimes} crimes and ${history} history rows in all; loaded in ${((loaded - t0) / 1000).toFixed(1)} s (COPY ${((copied - t0) / 1000).toFixed(1)} s), VACUUM ANALYZE ${((Date.now() - loaded) / 1000).toFixed(1)} s`,
    );

    console.log(await buildFigures(c));
    await c.query('VACUUM ANALYZE crimes, crime_figures, crime_figures_monthly');

    const db = pgQueryable(c);
    const p = { forceId: FORCE, year: YEAR };
    const period = financialYearPeriod(YEAR);
    const generatedAt = new Date();
    const compute = (source: 'figures' | 'records') => () =>
      inProductSession(c, session(APP_DB_ROLE), () =>
        computeReturn(db, { ...p, countingRulesVersion: 'bench', generatedAt, source }),
      );
    const live = compute('figures');
    const recompute = compute('records');
    const baseline = () =>
      inProductSession(c, session(APP_DB_ROLE), async () => {
        const groups = await c.query(baselineSql, [FORCE, YEAR]);
        await c.query(baselineHistorySql, [
          FORCE,
          period.start.toISOString(),
          period.end.toISOString(),
        ]);
        return groups.rowCount;
      });

    // Same tables from either source, covering the generated force-year.
    const same = (a: ForceReturnTables, b: ForceReturnTables) =>
      JSON.stringify(a) === JSON.stringify(b);
    const [fromFigures, fromRecords] = [await live(), await recompute()];
    if (!same(fromFigures, fromRecords))
      throw new Error('the live return (aggregate) and the recomputation (records) differ');
    if (
      fromFigures.tableA.rows.at(-1)?.total !== fromFigures.tableC.quality.counted ||
      fromFigures.metadata.source.recordCount !== records
    ) {
      throw new Error('the return does not cover the generated force-year');
    }
    console.log(
      `check: live and recomputed returns identical; baseline groups ${await baseline()}; return total counted ${fromFigures.tableC.quality.counted}`,
    );
    const times: Record<'live' | 'recompute' | 'baseline', number[]> = {
      live: [],
      recompute: [],
      baseline: [],
    };
    // Interleaved, so a cache or autovacuum effect falls on both.
    for (let i = 0; i < RUNS; i++) {
      times.live.push((await timed(live)).ms);
      times.recompute.push((await timed(recompute)).ms);
      times.baseline.push((await timed(baseline)).ms);
    }
    // Timings on a shared machine move with its load: print it beside them.
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(
          ' ',
        )}; PostgreSQL ${(await c.query('SHOW server_version')).rows[0].server_version}, work_mem ${(await c.query('SHOW work_mem')).rows[0].work_mem}`,
    );
    console.log(
      `live return (computeReturn from the aggregate: app role, RLS, REPEATABLE READ): ${showTimes(times.live)}`,
    );
    console.log(
      `full recomputation from the records (computeReturn, source records, same session): ${showTimes(times.recompute)}`,
    );
    console.log(
      `hand-written GROUP BY over the records, same session, for reference:           ${showTimes(times.baseline)}`,
    );
    printRatio(median(times.live) / median(times.recompute), 3);
  } finally {
    await c.end().catch(() => undefined);
    // BENCH_KEEP_DB=1 leaves the database for EXPLAIN ANALYZE by hand.
    if (process.env.BENCH_KEEP_DB !== '1') await dropDatabase(DB);
  }
}

requireFinalLine();
await main();
