// npm run bench:import [-- ROWS [RUNS]]   (not a test: prints figures)
// Times the product's import of N synthetic rows (parse, all recording rules, staging COPY, set-based merge with
// history and access log, one transaction) against a raw COPY of the same rows into a plain table with the same
// columns and indexes, in the same run, on the same server. RUNS (default 3) pairs, each on a fresh database,
// in alternating order and each side after a CHECKPOINT, because this machine's speed drifts by a third from
// minute to minute. Last line: `ratio <median over the runs of product rows/s ÷ COPY-with-ids rows/s>`: the
// strict baseline, a COPY of the same rows with ready-made ids (the product's parse worker makes its ids off the
// database's core, so the fair comparison is a COPY that does not pay for them either). Each run also times a
// COPY that fills `id` from the column default (uuid_v7(), as crimes) and prints that looser ratio.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidV7 } from 'uuid';
import { csvDataRecord } from '#libs/csv';
import { generateDemoCrimes, IMPORT_COLUMNS, type ImportRowObject } from '#libs/imports';
import {
  adminUrl,
  checkpoint,
  dropDatabase,
  freshDatabase,
  median,
  printRatio,
  requireFinalLine,
  prepareBenchDatabase,
  timed,
} from './bench-support.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const DB = 'cyberflag_bench_import';
const COPY_COLUMNS = [
  'force_id',
  'crime_reference',
  'offence_code',
  'reported_at',
  'recorded_at',
  'offence_from',
  'offence_to',
  'online_flag',
  'online_method',
  'online_platform',
  'victim_age',
  'victim_sex',
  'suspect_age',
  'domestic_abuse',
  'hate_strands',
  'child_sexual_exploitation',
  'child_sexual_abuse',
  'status',
  'created_by',
  'updated_by',
];

// The same rows as the import file, in COPY's text format, for the baseline (written before timing starts).
function copyLine(r: ImportRowObject): string {
  const v = (s: string) =>
    s === ''
      ? '\\N'
      : s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const flag =
    ({ Y: 'yes', N: 'no', U: 'unknown' } as Record<string, string>)[r.online_flag] ?? r.online_flag;
  const bool = (s: string) => (s === 'true' || s === 'Y' || s === '1' ? 't' : 'f');
  return (
    [
      r.force_id,
      r.crime_reference,
      r.offence_code,
      r.reported_at,
      r.recorded_at,
      r.offence_from,
      v(r.offence_to),
      flag,
      v(r.online_method),
      v(r.online_platform),
      v(r.victim_age),
      r.victim_sex,
      v(r.suspect_age),
      bool(r.domestic_abuse),
      `{${r.hate_strands.split(';').filter(Boolean).join(',')}}`,
      bool(r.child_sexual_exploitation),
      bool(r.child_sexual_abuse),
      r.status,
      'bench',
      'bench',
    ].join('\t') + '\n'
  );
}

interface Files {
  csv: string;
  copy: string;
  copyWithIds: string; // the same COPY lines, each after a UUID v7
}

async function writeFiles(dir: string): Promise<Files> {
  const files: Files = {
    csv: join(dir, 'crimes.csv'),
    copy: join(dir, 'crimes.copy'),
    copyWithIds: join(dir, 'crimes-ids.copy'),
  };
  const [a, b, c] = [files.csv, files.copy, files.copyWithIds].map((f) => createWriteStream(f));
  a.write(csvDataRecord(IMPORT_COLUMNS));
  for (const r of generateDemoCrimes({ year: 2016, records: rows, seed: 'bench' })) {
    const line = copyLine(r);
    const ok = [
      a.write(csvDataRecord(IMPORT_COLUMNS.map((col) => r[col]))),
      b.write(line),
      c.write(`${uuidV7()}\t${line}`),
    ];
    // Wait only for streams that still need draining: a 'drain' that fired while we waited for another
    // stream would never fire again, the await would never settle and the process would quit silently.
    for (const [i, s] of [a, b, c].entries())
      if (!ok[i] && s.writableNeedDrain) await once(s, 'drain');
  }
  await Promise.all([a, b, c].map((s) => new Promise<void>((res) => s.end(() => res()))));
  return files;
}

// The product's import, in a child process (import-child.ts): its own peak RSS is the import's memory.
async function importProduct(
  url: string,
  file: string,
): Promise<{ ms: number; peakMb: number; baseMb: number }> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./import-child.js', import.meta.url)), url, file],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the import process failed (exit code ${code})`);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    ms: number;
    inserted: number;
    rejected: number;
    rssBeforeMb: number;
    peakRssMb: number;
  };
  if (r.inserted !== rows)
    throw new Error(`import loaded ${r.inserted} of ${rows} rows (${r.rejected} rejected)`);
  return { ms: r.ms, peakMb: r.peakRssMb, baseMb: r.rssBeforeMb };
}

async function rawCopy(url: string, file: string, withIds: boolean): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  const table = withIds ? 'bench_copy_ids' : 'bench_copy';
  const columns = withIds ? ['id', ...COPY_COLUMNS] : COPY_COLUMNS;
  await c.connect();
  try {
    await c.query(
      `CREATE TABLE ${table} (LIKE crimes INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES)`,
    );
    await checkpoint();
    const raw = await timed(() =>
      pipeline(
        createReadStream(file),
        c.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
      ),
    );
    const copied = Number((await c.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
    if (copied !== rows) throw new Error(`COPY loaded ${copied} rows`);
    return raw.ms;
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cyberflag-bench-'));
  try {
    const files = await writeFiles(dir);
    console.log(
      `rows: ${rows} (${(statSync(files.csv).size / 1048576).toFixed(1)} MB CSV), runs: ${runs}, server: ${new URL(adminUrl).host}`,
    );
    const ratios: number[] = [];
    const strictRatios: number[] = [];
    const peaks: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const url = await freshDatabase(DB);
      const appUrl = await prepareBenchDatabase(url, DB);
      let product = { ms: 0, peakMb: 0, baseMb: 0 };
      let copyMs = 0;
      let copyWithIdsMs = 0;
      const sides = [
        async () => (product = await importProduct(appUrl, files.csv)),
        async () => (copyMs = await rawCopy(url, files.copy, false)),
        async () => (copyWithIdsMs = await rawCopy(url, files.copyWithIds, true)),
      ];
      for (const side of run % 2 === 1 ? sides : sides.reverse()) await side();
      await dropDatabase(DB);
      const productRate = rows / (product.ms / 1000);
      const copyRate = rows / (copyMs / 1000);
      const copyWithIdsRate = rows / (copyWithIdsMs / 1000);
      ratios.push(productRate / copyRate);
      strictRatios.push(productRate / copyWithIdsRate);
      peaks.push(product.peakMb);
      console.log(
        `run ${run} (${run % 2 === 1 ? 'import first' : 'COPY first'}): product import ${(product.ms / 1000).toFixed(1)} s, ${Math.round(productRate)} rows/s` +
          ` (all rules, history, access log, one transaction); raw COPY ${(copyMs / 1000).toFixed(1)} s, ${Math.round(copyRate)} rows/s` +
          ` (same rows, same columns and indexes); ratio ${(productRate / copyRate).toFixed(3)}; import process peak RSS ${product.peakMb} MB (${product.baseMb} MB before the import)`,
      );
      console.log(
        `  raw COPY with ids supplied ${(copyWithIdsMs / 1000).toFixed(1)} s, ${Math.round(copyWithIdsRate)} rows/s; ratio against it ${(productRate / copyWithIdsRate).toFixed(3)}`,
      );
    }
    console.log(
      `against COPY filling ids from the default: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ${median(ratios).toFixed(3)}; import process peak RSS: ${Math.max(...peaks)} MB`,
    );
    console.log(
      `against COPY with ids supplied: ${strictRatios.map((r) => r.toFixed(3)).join(', ')}`,
    );
    printRatio(median(strictRatios), 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(DB);
  }
}

requireFinalLine();
await main();
