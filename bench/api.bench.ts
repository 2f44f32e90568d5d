// bench:api (issue #21): 50 clients for BENCH_SECONDS (20) each on create, amend, list and read through the HTTP
// API (autocannon on loopback, the app in its own process as `npm start` runs it), then the same transactions by a
// bare pg client in the same run, and the ratio. BENCH_CPU_PROF=1 also profiles the app (--cpu-prof) and prints
// where its CPU went; BENCH_APP_ONLY=1 leaves out the bare-pg half. Prints figures only; asserts nothing.
import autocannon, { type Options } from 'autocannon';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  accessLogAlone,
  BENCH_WORKERS,
  bare,
  bareAmend,
  bareBatchedCreates,
  bareCreate,
  bareLists,
  bareLoops,
  bareRead,
  bareReadsBatched,
  replayedSizes,
  crimeBody,
  line,
  load,
  profileSummary,
  sampleCpu,
  sampleWaits,
  waitsLine,
  startApp,
  type Figures,
} from './api-support.js';
import { verifyLog } from './api-verify.js';
import {
  dropDatabase,
  freshDatabase,
  finalLine,
  printRatio,
  requireFinalLine,
  prepareBenchDatabase,
} from './bench-support.js';

requireFinalLine();

async function analyze(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('ANALYZE crimes');
  await c.end();
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 50;
const POOL = 10; // the app's default DB_POOL_SIZE
const BARE_USER = 'bench-bare'; // created_by of the bare-pg side's records
// BENCH_APP_ONLY=1: the app's four scenarios only, to compare changes to the app back to back.
const APP_ONLY = process.env.BENCH_APP_ONLY === '1';
// Seconds of the same requests before each app scenario is timed, and work per connection before a bare one.
// 15: measured in the twentieth session, creates still rose by a tenth or more after 5 s of load and settled after
// 15–20 s, as V8 finished optimising the request path (bench/README.md, "Twentieth session").
const WARMUP = Number(process.env.BENCH_WARMUP ?? 15);
const BARE_WARMUP = WARMUP > 0 ? 20 : 0;
const DB = `cyberflag_bench_api_${process.pid}`; // apart from other runs on the same server

const started = Date.now();
const url = await freshDatabase(DB);
try {
  const appUrl = await prepareBenchDatabase(url, DB);
  const profDir = process.env.BENCH_CPU_PROF
    ? mkdtempSync(join(tmpdir(), 'cyberflag-prof-'))
    : undefined;
  const app = await startApp(url, { appUrl, cpuProfDir: profDir });
  const auth = { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' };
  console.log(
    `bench:api ${new Date().toISOString()} ${CONNECTIONS} clients x ${SECONDS} s after ${WARMUP} s of warm-up; app workers ${BENCH_WORKERS}; load average before: ${load()}`,
  );

  const warmAcknowledged: Record<string, number> = {};
  const timed: Record<string, { from: Date; to: Date }> = {}; // each scenario's timed run
  const run = async (name: string, opts: Omit<Options, 'url'>): Promise<Figures> => {
    // Untimed first, the same requests: the service runs warm (V8's compiled code, the pool's connections and
    // their plans), and a cold start is not what the figures are about (bench/README.md, "Tenth session").
    if (WARMUP > 0) {
      const w = await autocannon({
        url: app.base,
        connections: CONNECTIONS,
        duration: WARMUP,
        timeout: 30,
        ...opts,
      });
      warmAcknowledged[name] = w['2xx'];
    }
    const waits = sampleWaits(url);
    const cpu = sampleCpu(app.pid);
    const from = new Date();
    const r = await autocannon({
      url: app.base,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 30,
      ...opts,
    });
    timed[name] = { from, to: new Date() };
    const cpuLine = cpu.stop();
    const w = await waits.stop();
    const errors: Record<string, number> = {};
    for (const [s, { count }] of Object.entries(r.statusCodeStats ?? {}))
      if (!s.startsWith('2')) errors[s] = count;
    if (r.errors) errors.socket = r.errors;
    if (r.timeouts) errors.timeout = r.timeouts;
    const f = {
      rate: r['2xx'] / r.duration,
      p50: r.latency.p50,
      p99: r.latency.p99,
      ok: r['2xx'],
      errors,
    };
    console.log(line(name, f));
    console.log(`  ${waitsLine(w)}; load ${load()}`);
    console.log(`  ${cpuLine}`);
    return f;
  };

  const created: string[] = [];
  let firstError = '';
  const results: [string, Figures][] = [];
  results.push([
    'create',
    await run('create', {
      requests: [
        {
          method: 'POST',
          path: '/crimes',
          headers: auth,
          setupRequest: (req) => ({ ...req, body: JSON.stringify(crimeBody()) }),
          onResponse: (s, body) => {
            if (s >= 300 && !firstError) firstError = `create ${s}: ${body.slice(0, 300)}`;
            if (s === 201 && created.length < 5000)
              created.push((JSON.parse(body) as { id: string }).id);
          },
        },
      ],
    }),
  ]);
  if (firstError) console.log(`  first refusal: ${firstError}`);
  // A short run (BENCH_SECONDS=3 on a busy machine) may create fewer records than the amend scenario hands out.
  // Four per client: an amendment in flight when the warm-up ends never gives its record back.
  let extraCreates = 0;
  while (created.length < CONNECTIONS * 4) {
    const res = await fetch(`${app.base}/crimes`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(crimeBody()),
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    created.push(((await res.json()) as { id: string }).id);
    extraCreates++;
  }
  // Statistics as autovacuum would have them on a live database: the table was empty a few seconds ago, and a
  // plan chosen for an empty table (read the force's every record, then sort) is not what production runs.
  await analyze(url);
  // Each amendment takes a record no other request is amending, at the version it knows, and gives it back.
  const free = created.slice(0, CONNECTIONS * 4).map((id) => ({ id, version: 1 }));
  type Rec = (typeof free)[number];
  results.push([
    'amend',
    await run('amend', {
      requests: [
        {
          method: 'PATCH',
          headers: auth,
          setupRequest: (req, ctx) => {
            const rec = free.shift()!;
            ctx.rec = rec;
            return {
              ...req,
              path: `/crimes/${rec.id}`,
              body: JSON.stringify({
                version: rec.version,
                reason: 'bench amendment',
                victimAge: rec.version % 2 ? 13 : 14,
              }),
            };
          },
          onResponse: (s, _b, ctx) => {
            const rec = ctx.rec as Rec;
            if (s === 200) rec.version++;
            free.push(rec);
          },
        },
      ],
    }),
  ]);
  results.push([
    'list',
    await run('list', { requests: [{ method: 'GET', path: '/crimes?limit=50', headers: auth }] }),
  ]);
  // Every client asked for the same page above, and lists that ask for one page together share its read
  // (CrimePageReader). The same 50 clients over 50 different pages, for what lists cost when they do not share
  // (printed only: the issue's list is the first page, and the bare-pg side reads that one).
  const cursors: string[] = [''];
  while (cursors.length < CONNECTIONS) {
    const res = await fetch(`${app.base}/crimes?limit=50${cursors.at(-1)}`, { headers: auth });
    const next = ((await res.json()) as { nextCursor: string | null }).nextCursor;
    if (!next) break;
    cursors.push(`&cursor=${encodeURIComponent(next)}`);
  }
  let page = 0;
  await run(`list-pages (${cursors.length} pages)`, {
    requests: [
      {
        method: 'GET',
        headers: auth,
        setupRequest: (req) => ({
          ...req,
          path: `/crimes?limit=50${cursors[page++ % cursors.length]}`,
        }),
      },
    ],
  });
  let r = 0;
  results.push([
    'read',
    await run('read', {
      requests: [
        {
          method: 'GET',
          headers: auth,
          setupRequest: (req) => ({ ...req, path: `/crimes/${created[r++ % created.length]}` }),
        },
      ],
    }),
  ]);
  // The bare-pg half runs with the app still up and idle: its sealer chains the bare side's access-log entries as
  // it chained the app's during the app's run, so both sides pay for the same sealed entries.
  // BENCH_BARE_SEALED=0 stops the app first, as the bench did up to the eighteenth session (nothing seals the bare
  // side's entries until the log is verified).
  const bareSealed = !APP_ONLY && process.env.BENCH_BARE_SEALED !== '0';
  if (!bareSealed) await app.stop();

  // The app's records stored against its acknowledged creates, the access log verified, and the profile.
  const report = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const {
      rows: [n],
    } = await c.query(
      `SELECT (SELECT count(*) FROM crimes WHERE created_by <> $1)::int AS app_rows`,
      [BARE_USER],
    );
    await c.end();
    console.log(
      `app-created records stored: ${n.app_rows}; acknowledged creates: ${results[0]![1].ok + (warmAcknowledged.create ?? 0) + extraCreates}`,
    );
    console.log(await verifyLog(url, app.key, app.dataDir));
    if (profDir) {
      console.log(`app CPU profile (${profDir}), self time:`);
      for (const l of profileSummary(profDir)) console.log(`  ${l}`);
    }
  };

  if (APP_ONLY) {
    await report();
    finalLine('seconds', (Date.now() - started) / 1000, 0); // no baseline without the bare-pg half
  } else {
    let sameTransactions: Figures; // the bare side of the final ratio (below)
    try {
      // The same transactions by a bare pg client, 50 loops over a pool of the app's size.
      const user = BARE_USER;
      const ids: string[] = [];
      const bareFigures: Record<string, Figures> = {};
      bareFigures.create = await bare(
        url,
        CONNECTIONS,
        SECONDS,
        POOL,
        async (c) => {
          const { id } = await bareCreate(c, user);
          if (ids.length < CONNECTIONS * 20) ids.push(id);
        },
        BARE_WARMUP,
      );
      // The app writes creates that arrive together in one statement (CrimeCreateBatcher): the same, bare.
      const batched = await bareBatchedCreates(url, CONNECTIONS, SECONDS, user);
      // The same batching lets a faster client put more creates in a statement (fewer commits a create), so it does not
      // run the app's transactions. These are: the sizes of the app's statements in its timed run, in turn.
      const sizes = await replayedSizes(url, BARE_USER, timed.create!.from, timed.create!.to);
      const replayed = sizes.length
        ? await bareBatchedCreates(url, CONNECTIONS, SECONDS, user, POOL, undefined, sizes)
        : undefined;
      await analyze(url);
      bareFigures.amend = await bare(
        url,
        CONNECTIONS,
        SECONDS,
        POOL,
        async (c, w) => {
          await bareAmend(c, user, ids[w]!);
        },
        BARE_WARMUP,
      );
      bareFigures.list = await bareLoops(url, CONNECTIONS, SECONDS, POOL, async (pool) =>
        bareLists(pool, user),
      );
      let b = 0;
      bareFigures.read = await bare(
        url,
        CONNECTIONS,
        SECONDS,
        POOL,
        (c) => bareRead(c, user, ids[b++ % ids.length]!),
        BARE_WARMUP,
      );
      // The app reads records that are asked for together in one statement (CrimeReadBatcher): the same, bare.
      const readsBatched = await bareLoops(url, CONNECTIONS, SECONDS, POOL, async (pool) => {
        const read = bareReadsBatched(pool, user);
        return (w) => read(w, ids[b++ % ids.length]!);
      });
      for (const [name, f] of results) {
        const base = bareFigures[name]!;
        console.log(`${line(`bare-pg ${name}`, base)}; ratio ${(f.rate / base.rate).toFixed(2)}`);
        if (base.cpu) console.log(`  ${base.cpu}`);
        if (name === 'create') {
          console.log(
            `${line('bare-pg create batched as the app', batched)}; ${(batched.ok / batched.statements).toFixed(1)} creates a statement; ratio ${(f.rate / batched.rate).toFixed(2)}`,
          );
          if (batched.cpu) console.log(`  ${batched.cpu}`);
          if (replayed) {
            const stored = sizes.reduce((a, n) => a + n, 0);
            console.log(
              `${line("bare-pg create, the app's transactions replayed", replayed)}; ${sizes.length} statements of ${(stored / sizes.length).toFixed(1)} creates on average in the app's timed run (${stored} records), replayed in turn; ratio ${(f.rate / replayed.rate).toFixed(2)}`,
            );
            if (replayed.cpu) console.log(`  ${replayed.cpu}`);
          }
        }
        if (name === 'read') {
          console.log(
            `${line('bare-pg read batched as the app', readsBatched)}; ratio ${(f.rate / readsBatched.rate).toFixed(2)}`,
          );
          if (readsBatched.cpu) console.log(`  ${readsBatched.cpu}`);
        }
      }
      sameTransactions = replayed ?? batched;
    } finally {
      if (bareSealed) await app.stop(); // also when the bare half fails: no app left running
    }
    if (process.env.BENCH_LOG_ALONE !== '0')
      for (const l of await accessLogAlone(url, CONNECTIONS, Math.min(SECONDS, 10))) console.log(l);
    console.log(`load average after: ${load()}`);
    await report();
    // Last line: creating records through the API ÷ the same transactions by bare pg (issue #21: at least 0.5; "same
    // statements, same transaction shape, same access-log entries"): the app's own transactions, replayed, with their
    // statements prepared as the app prepares them and their entries sealed as the app seals them. Without a
    // replay (no create in the timed run), the batched figure.
    const create = results.find(([name]) => name === 'create')![1];
    printRatio(create.rate / sameTransactions.rate, 2);
  }
} finally {
  await dropDatabase(DB);
}
