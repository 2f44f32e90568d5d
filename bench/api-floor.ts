// npm run bench:floor (issue #21; not a test: prints figures). What this machine allows an HTTP service, measured
// in one run against the app, so that the gap to issue #21's goal can be split between the machine and the app:
// - **http floor create**: a server of nothing but node:http (BENCH_WORKERS processes on one port, Node's cluster),
//   JSON.parse of the body, the app's batched create statement (bareCreateRows: the same records, history rows and
//   access-log entries, as the app's login role under row-level security, the app's pool size and batching), and
//   JSON.stringify of the row back. No authentication, no validation, no recording rules, no framework;
// - **minimal nest on express / on fastify create**: one NestJS route on each HTTP platform with a token guard, the
//   ValidationPipe and the app's CreateCrimeDto, and the same statement (api-floor-nest.ts): the framework's cost;
// - **app create**: POST /crimes on the app as `npm start` runs it, same clients, same bodies;
// - **app authenticated GET, no database**: GET /catalogue/forces (the JWT, the cached session, the guard, the
//   middleware, 44 forces as JSON): what the app's stack costs a request before any of its own work;
// - **bare-pg create batched as the app**: the statement alone, no HTTP (bench:api's line of the same name).
// 50 clients for BENCH_SECONDS (15) each, after 3 s of warm-up.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  bareBatchedCreates,
  createBatcher,
  BENCH_WORKERS,
  crimeBody,
  freePort,
  line,
  load,
  sampleCpu,
  startApp,
  type Figures,
} from './api-support.js';
import { dropDatabase, freshDatabase, prepareBenchDatabase } from './bench-support.js';
import { floorToken, serveNestFloor } from './api-floor-nest.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 50;
const POOL = 10; // the app's default DB_POOL_SIZE

type FloorKind = 'http' | 'express' | 'fastify';
if (cluster.isPrimary) await measure();
else if (process.env.FLOOR_KIND === 'http')
  serveFloor(process.env.FLOOR_DB_URL!, Number(process.env.FLOOR_PORT));
else
  await serveNestFloor(
    process.env.FLOOR_KIND as 'express' | 'fastify',
    process.env.FLOOR_DB_URL!,
    Number(process.env.FLOOR_PORT),
  );

async function measure(): Promise<void> {
  const DB = `cyberflag_bench_floor_${process.pid}`;
  const url = await freshDatabase(DB);
  try {
    const appUrl = await prepareBenchDatabase(url, DB);
    console.log(
      `bench:floor ${new Date().toISOString()} ${CONNECTIONS} clients x ${SECONDS} s; ${BENCH_WORKERS} server processes; load average before: ${load()}`,
    );
    const create = {
      method: 'POST' as const,
      path: '/crimes',
      setupRequest: (req: Record<string, unknown>) => ({
        ...req,
        body: JSON.stringify(crimeBody()),
      }),
    };
    const run = async (
      name: string,
      base: string,
      pid: number,
      request: Record<string, unknown>,
    ) => {
      const opts = { url: base, connections: CONNECTIONS, timeout: 30, requests: [request] };
      await autocannon({ ...opts, duration: 3 });
      const cpu = sampleCpu(pid);
      const r = await autocannon({ ...opts, duration: SECONDS });
      const f: Figures = {
        rate: r['2xx'] / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        ok: r['2xx'],
        errors: r.non2xx + r.errors + r.timeouts ? { other: r.non2xx + r.errors + r.timeouts } : {},
      };
      console.log(line(name, f));
      console.log(`  ${cpu.stop()}`);
      return f;
    };

    // The floors: their processes are this one's children (sampleCpu counts them as "app").
    const floorRun = async (kind: FloorKind, name: string, headers: Record<string, string>) => {
      const port = await freePort();
      const workers = Array.from({ length: Number(BENCH_WORKERS) }, () =>
        cluster.fork({ FLOOR_DB_URL: appUrl, FLOOR_PORT: String(port), FLOOR_KIND: kind }),
      );
      await Promise.all(workers.map((w) => new Promise((r) => w.once('listening', r))));
      const f = await run(name, `http://127.0.0.1:${port}`, process.pid, { ...create, headers });
      await Promise.all(
        workers.map((w) => {
          const exited = new Promise((r) => w.once('exit', r));
          w.kill();
          return exited;
        }),
      );
      return f;
    };
    // The app first: its sealer chains every access-log entry not yet sealed, so after the floors it would also
    // seal theirs (about 100,000) while it is being measured.
    const app = await startApp(url, { appUrl });
    const auth = { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' };
    const appCreate = await run('app create', app.base, app.pid, { ...create, headers: auth });
    await run('app authenticated GET, no database', app.base, app.pid, {
      method: 'GET',
      path: '/catalogue/forces',
      headers: auth,
    });
    await app.stop();
    const json = { 'content-type': 'application/json' };
    const bearer = { ...json, authorization: `Bearer ${floorToken()}` };
    const floor = await floorRun('http', 'http floor create', json);
    const nestExpress = await floorRun('express', 'minimal nest on express create', bearer);
    const nestFastify = await floorRun('fastify', 'minimal nest on fastify create', bearer);

    const batched = await bareBatchedCreates(url, CONNECTIONS, SECONDS, 'bench-floor-bare');
    console.log(
      `${line('bare-pg create batched as the app', batched)}; ${(batched.ok / batched.statements).toFixed(1)} creates a statement`,
    );
    console.log(`  ${batched.cpu}`);
    console.log(`load average after: ${load()}`);
    const r = (a: Figures, b: Figures) => (a.rate / b.rate).toFixed(2);
    console.log(
      `app create ÷ minimal nest on express ${r(appCreate, nestExpress)}; minimal nest on fastify ÷ on express ${r(nestFastify, nestExpress)}; ` +
        `minimal nest on express ÷ http floor ${r(nestExpress, floor)}; http floor ÷ bare-pg batched ${r(floor, batched)}`,
    );
  } finally {
    await dropDatabase(DB);
  }
}

// One floor process: the app's batching around its statement (createBatcher), under node:http alone.
function serveFloor(dbUrl: string, port: number): void {
  const { write } = createBatcher(
    new pg.Pool({ connectionString: dbUrl, max: POOL }),
    'bench-floor',
  );
  createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (data += d));
    req.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(data) as Record<string, unknown>;
          const row = await write(body);
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(row));
        } catch (e) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
        }
      })();
    });
  }).listen(port, '127.0.0.1');
}
