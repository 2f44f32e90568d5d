// npm run bench:import [-- ROWS]   (not a test: prints figures)
// Times the product's import of N synthetic rows (parse, all recording rules, staging COPY, set-based merge with
// history and access log, one transaction) against a raw COPY of the same rows into a plain table with the same
// columns and indexes, in the same run, on the same server. Last line: `ratio <product rows/s ÷ COPY rows/s>`.
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { systemContext } from '#libs/auth';
import { csvLine, generateDemoCrimes, IMPORT_COLUMNS, ImportService, type ImportRowObject } from '#libs/imports';
import { AppModule } from '../apps/api/src/app.module.js';
import { prepareDatabase } from '../apps/api/src/database/prepare-database.js';
import { dropDatabase, freshDatabase, peakRss, timed } from './bench-support.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const DB = 'cyberflag_bench_import';
const COPY_COLUMNS = ['force_id', 'crime_reference', 'offence_code', 'reported_at', 'recorded_at', 'offence_from', 'offence_to', 'online_flag',
  'online_method', 'online_platform', 'victim_age', 'victim_sex', 'suspect_age', 'domestic_abuse', 'hate_strands', 'child_sexual_exploitation',
  'child_sexual_abuse', 'status', 'created_by', 'updated_by'];

// The same rows as the import file, in COPY's text format, for the baseline (written before timing starts).
function copyLine(r: ImportRowObject): string {
  const v = (s: string) => (s === '' ? '\\N' : s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
  const flag = ({ Y: 'yes', N: 'no', U: 'unknown' } as Record<string, string>)[r.online_flag] ?? r.online_flag;
  const bool = (s: string) => (s === 'true' || s === 'Y' || s === '1' ? 't' : 'f');
  return [r.force_id, r.crime_reference, r.offence_code, r.reported_at, r.recorded_at, r.offence_from, v(r.offence_to), flag, v(r.online_method),
    v(r.online_platform), v(r.victim_age), r.victim_sex, v(r.suspect_age), bool(r.domestic_abuse), `{${r.hate_strands.split(';').filter(Boolean).join(',')}}`,
    bool(r.child_sexual_exploitation), bool(r.child_sexual_abuse), r.status, 'bench', 'bench'].join('\t') + '\n';
}

async function writeFiles(dir: string): Promise<{ csv: string; copy: string }> {
  const csv = join(dir, 'crimes.csv');
  const copy = join(dir, 'crimes.copy');
  const a = createWriteStream(csv);
  const b = createWriteStream(copy);
  a.write(csvLine(IMPORT_COLUMNS));
  for (const r of generateDemoCrimes({ year: 2016, records: rows, seed: 'bench' })) {
    const okA = a.write(csvLine(IMPORT_COLUMNS.map((c) => r[c])));
    const okB = b.write(copyLine(r));
    if (!okA) await new Promise<void>((res) => a.once('drain', () => res()));
    if (!okB) await new Promise<void>((res) => b.once('drain', () => res()));
  }
  await Promise.all([new Promise<void>((res) => a.end(() => res())), new Promise<void>((res) => b.end(() => res()))]);
  return { csv, copy };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cyberflag-bench-'));
  const url = await freshDatabase(DB);
  try {
    await prepareDatabase(url, () => undefined);
    const files = await writeFiles(dir);
    console.log(`rows: ${rows} (${(statSync(files.csv).size / 1048576).toFixed(1)} MB CSV), server: ${new URL(url).host}`);

    const app = await NestFactory.createApplicationContext(
      AppModule.register({ databaseUrl: url, poolSize: 4, auth: { jwtSecret: randomBytes(32).toString('hex'), accessTtlSeconds: 900, refreshTtlSeconds: 3600, maxFailedLogins: 5, lockoutSeconds: 900 } }),
      { logger: ['error'] },
    );
    const ctx = systemContext({ userId: 'bench', displayName: 'bench', roles: ['force_crime_registrar'], forces: 'all' }, 'BENCH import');
    const product = await peakRss(() => timed(() => app.get(ImportService).run(ctx, createReadStream(files.csv), { format: 'csv', mode: 'all_or_nothing' })));
    await app.close();
    const job = product.value.value;
    if (job.counts.inserted !== rows) throw new Error(`import loaded ${job.counts.inserted} of ${rows} rows (${job.counts.rejected} rejected)`);

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE TABLE bench_copy (LIKE crimes INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES)`);
    const raw = await timed(() => pipeline(createReadStream(files.copy), c.query(copyFrom(`COPY bench_copy (${COPY_COLUMNS.join(', ')}) FROM STDIN`))));
    const copied = Number((await c.query(`SELECT count(*) FROM bench_copy`)).rows[0].count);
    await c.end();
    if (copied !== rows) throw new Error(`COPY loaded ${copied} rows`);

    const productRate = rows / (product.value.ms / 1000);
    const copyRate = rows / (raw.ms / 1000);
    console.log(`product import: ${(product.value.ms / 1000).toFixed(1)} s, ${Math.round(productRate)} rows/s (all rules, history, access log, one transaction)`);
    console.log(`raw COPY:       ${(raw.ms / 1000).toFixed(1)} s, ${Math.round(copyRate)} rows/s (same rows, same columns and indexes)`);
    console.log(`peak RSS during import: ${product.peakMb} MB`);
    console.log(`ratio ${(productRate / copyRate).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(DB);
  }
}

await main();
