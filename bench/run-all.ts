// npm run bench [-- --quick]   (not a test: prints figures and writes bench/results.md)
// Runs every benchmark one after another (never in parallel: each needs the whole machine), each in its own
// process, echoes its output, and records its final line (`ratio …` or `seconds …`) with the machine it ran on.
// A bench that exits non-zero or ends without its final line is recorded as failed and makes this exit 1.
// --quick runs each on small inputs, to check the suite works end to end (its figures mean little).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adminUrl } from './bench-support.js';

interface Bench {
  name: string;
  script: string;
  args: string[];
  quickArgs: string[];
  quickEnv?: Record<string, string>;
  goal: string;
}

// The goals are the issues' (bench/README.md says which and why).
const BENCHES: Bench[] = [
  {
    name: 'import',
    script: 'import.bench.js',
    args: [],
    quickArgs: ['20000', '1'],
    goal: 'ratio ≥ 0.85 (product rows/s ÷ COPY-with-ids rows/s)',
  },
  {
    name: 'return',
    script: 'return.bench.js',
    args: [],
    quickArgs: ['20000'],
    goal: 'ratio ≤ 0.05 (live return time ÷ full recomputation from the records)',
  },
  {
    name: 'national',
    script: 'national.bench.js',
    args: [],
    quickArgs: ['--records', '20000'],
    goal: 'ratio ≤ 0.05 (live national time ÷ full recomputation from the records)',
  },
  {
    name: 'api',
    script: 'api.bench.js',
    args: [],
    quickArgs: [],
    quickEnv: { BENCH_SECONDS: '2', BENCH_LOG_ALONE: '0' },
    goal: 'ratio ≥ 0.5 (API creates/s ÷ bare pg creates/s, 50 clients); ≥ 1,000 creates/s, p99 < 50 ms',
  },
  {
    name: 'figures',
    script: 'figures.bench.js',
    args: [],
    quickArgs: ['--rows', '20000', '--runs', '1', '--seconds', '2'],
    goal: 'ratio ≥ 0.85 (the worst of import rows/s and API creates/s with the aggregate maintained ÷ with its triggers off)',
  },
  {
    name: 'suppression',
    script: 'suppression.bench.js',
    args: [],
    quickArgs: ['1'],
    goal: 'seconds < 5 (optimal suppression of a national publication, cold)',
  },
];

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const quick = values.quick === true;

interface Result {
  bench: Bench;
  ok: boolean;
  final: string | null;
  lines: string[];
  seconds: number;
  load: string;
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function run(bench: Bench): Promise<Result> {
  const started = Date.now();
  const loadBefore = load();
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL(`./${bench.script}`, import.meta.url)),
      ...(quick ? bench.quickArgs : bench.args),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(quick ? bench.quickEnv : {}) },
    },
  );
  const lines: string[] = [];
  let rest = '';
  child.stdout.on('data', (d: Buffer) => {
    process.stdout.write(d);
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  if (rest) lines.push(rest);
  const last = lines.filter((l) => l.trim() !== '').pop() ?? '';
  const final = /^(ratio|seconds) -?\d+(\.\d+)?$/.test(last) ? last : null;
  return {
    bench,
    ok: code === 0 && final !== null,
    final,
    lines,
    seconds: (Date.now() - started) / 1000,
    load: `${loadBefore} → ${load()}`,
  };
}

async function postgresVersion(): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return r.rows[0].v;
  } finally {
    await c.end();
  }
}

const pgVersion = await postgresVersion();
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${pgVersion} at ${new URL(adminUrl).host}`;
const results: Result[] = [];
for (const bench of BENCHES) {
  console.log(`\n=== bench ${bench.name}${quick ? ' (quick)' : ''} ===`);
  results.push(await run(bench));
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const md = [
  `# Benchmark results`,
  '',
  `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString()}.`,
  quick
    ? '\n**Quick run: small inputs, to check the suite works; these figures are not the benchmarks.**\n'
    : '',
  `Machine: ${machine}. Load average (1, 5, 15 min) before → after each bench is in its row: this machine is`,
  `shared, and a loaded machine slows both sides of a ratio, not always equally.`,
  '',
  '| bench | result | goal | took | load average | status |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.bench.name} | ${r.final ?? '(no final line)'} | ${cell(r.bench.goal)} | ${r.seconds.toFixed(0)} s | ${r.load} | ${r.ok ? 'ran' : 'FAILED'} |`,
  ),
  '',
  "Each bench's own lines (its baseline, runs and the figures behind the ratio):",
  '',
  ...results.flatMap((r) => [
    `## ${r.bench.name}`,
    '',
    '```',
    ...r.lines.filter((l) => l.trim() !== ''),
    '```',
    '',
  ]),
].join('\n');
writeFileSync(fileURLToPath(new URL('../../bench/results.md', import.meta.url)), md);
console.log('\nwrote bench/results.md');
for (const r of results) console.log(`${r.bench.name}: ${r.final ?? 'FAILED'}`);
if (results.some((r) => !r.ok)) process.exit(1);
