import type { INestApplicationContext } from '@nestjs/common';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { RequestContext } from '#libs/auth';
import {
  ImportReports,
  ImportService,
  type ImportCounts,
  type ImportJobView,
  type ImportMode,
  type RejectionView,
} from '#libs/imports';
import { importDemo } from '../database/demo-data.js';
import { DomainError } from '#libs/persistence';
import { parseFinancialYear } from '#libs/recording-rules';
import { cliContext, withApp, type Out } from './cli-support.js';
import { textTable } from './text-table.js';

const IMPORT_USAGE =
  'usage: cyberflag import FILE (--force ID [--force ID2] | --all-forces) [--dry-run | --accept-valid] [--format csv|ndjson] [--show-rejections N] [--report FILE]';
const SHOW_REJECTIONS = 20;

// `cyberflag import FILE (--force ID | --all-forces) ...`: the scope is always stated, never national by default.
export async function importCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      force: { type: 'string', multiple: true },
      'all-forces': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'accept-valid': { type: 'boolean' },
      format: { type: 'string' },
      'show-rejections': { type: 'string' },
      report: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error(IMPORT_USAGE);
  const forces = values.force ?? [];
  if (forces.length === 0 && !values['all-forces'])
    throw new Error(
      `say which forces the file may load: --force ID (repeatable) or --all-forces\n${IMPORT_USAGE}`,
    );
  if (forces.length > 0 && values['all-forces'])
    throw new Error('--force and --all-forces exclude each other');
  const format = (values.format ?? (/\.(nd)?jsonl?$|\.ndjson$/i.test(file) ? 'ndjson' : 'csv')) as
    'csv' | 'ndjson';
  if (format !== 'csv' && format !== 'ndjson') throw new Error('--format must be csv or ndjson');
  if (values['dry-run'] && values['accept-valid'])
    throw new Error('--dry-run and --accept-valid exclude each other');
  const show = values['show-rejections'] ?? String(SHOW_REJECTIONS);
  if (!/^\d{1,6}$/.test(show)) throw new Error('--show-rejections must be a whole number from 0');
  const mode: ImportMode = values['dry-run']
    ? 'dry_run'
    : values['accept-valid']
      ? 'accept_valid'
      : 'all_or_nothing';
  const stat = statSync(file);
  if (stat.isDirectory()) throw new Error(`${file} is a folder, not a file`);
  const progress = new Progress(stat.size, out);
  const source = createReadStream(file);
  const counted = source.pipe(progress.counter());
  // pipe() does not pass errors on: a read error must fail the import (the importer reads the stored error when
  // it starts reading), not crash the process with an unhandled 'error' event while the app boots.
  source.on('error', (e) => counted.destroy(e));
  counted.on('error', () => undefined);
  const ctx = cliContext(
    ['force_crime_registrar'],
    values['all-forces'] ? 'all' : forces,
    'import',
  );
  const rejections = { show: Number(show), reportFile: values.report };
  return report(
    out,
    progress,
    rejections,
    (app) =>
      app.get(ImportService).run(ctx, counted, {
        format,
        mode,
        fileName: basename(file),
        onProgress: (c) => progress.update(c),
      }),
    ctx,
  );
}

// `cyberflag demo --year 2015-16 --records N [--seed S]`: synthetic, clearly fictitious national data, imported.
export async function demoCommand(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      year: { type: 'string', default: '2015-16' },
      records: { type: 'string', default: '20000' },
      seed: { type: 'string', default: 'cyberflag-demo' },
    },
  });
  const records = Number(values.records);
  if (!Number.isInteger(records) || records < 1)
    throw new Error('--records must be a whole number above 0');
  const year = parseFinancialYear(values.year);
  const progress = new Progress(records, out, 'rows');
  out(
    `generating ${records} synthetic crimes for ${values.year} across all 44 forces (seed ${values.seed})`,
  );
  const ctx = cliContext(['force_crime_registrar'], 'all', 'demo', 'demo data');
  return report(
    out,
    progress,
    { show: SHOW_REJECTIONS },
    (app) =>
      importDemo(app.get(ImportService), ctx, { year, records, seed: values.seed }, (c) =>
        progress.update(c, c.read),
      ),
    ctx,
  );
}

interface Outcome {
  job: ImportJobView;
  refusal: string | null; // the service's reason when the import was refused or failed
  listed: RejectionView[]; // the first rejected rows, to print
  reportFile: string | null; // every rejected row, as CSV
}

// Runs the import, then (app still open) reads the first rejected rows and writes the full report; prints
// the final progress, the summary, the rows and the report's path. Both reads of the report are logged.
async function report(
  out: Out,
  progress: Progress,
  rejections: { show: number; reportFile?: string },
  run: (app: INestApplicationContext) => Promise<ImportJobView>,
  ctx: RequestContext,
): Promise<number> {
  let outcome: Outcome;
  try {
    outcome = await withApp(async (app): Promise<Outcome> => {
      let job: ImportJobView;
      let refusal: string | null = null;
      try {
        job = await run(app);
      } catch (e) {
        const refused =
          e instanceof DomainError
            ? (e.details as { import?: ImportJobView } | undefined)?.import
            : undefined;
        if (!refused) throw e;
        job = refused;
        refusal = (e as DomainError).message;
      }
      if (job.counts.rejected === 0) return { job, refusal, listed: [], reportFile: null };
      const reports = app.get(ImportReports);
      const listed =
        rejections.show > 0 ? await reports.rejections(ctx, job, 0, rejections.show) : [];
      const reportFile = resolve(rejections.reportFile ?? `import-${job.id}-report.csv`);
      await pipeline(
        Readable.from(reports.csv(ctx, job)),
        createWriteStream(reportFile, { mode: 0o600 }),
      );
      return { job, refusal, listed, reportFile };
    });
  } catch (e) {
    progress.stop();
    if (e instanceof DomainError) {
      out(`import refused: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const { job, refusal, listed, reportFile } = outcome;
  const c = job.counts;
  // The last progress shows the final counts, so it agrees with the summary below.
  progress.finish(c);
  const counts = `${c.read} rows read, ${c.inserted} new, ${c.amended} amended, ${c.unchanged} unchanged, ${c.rejected} rejected`;
  if (job.state === 'failed')
    out(`import ${job.id} failed: ${refusal ?? job.error?.message ?? 'unknown error'}`);
  else {
    out(
      `import ${job.id} ${job.state === 'rejected' ? 'refused' : `${job.mode === 'dry_run' ? 'dry run ' : ''}${job.state}`}: ${counts}`,
    );
    if (refusal) out(refusal);
  }
  if (listed.length > 0) {
    out(
      listed.length < c.rejected
        ? `rejected rows (first ${listed.length} of ${c.rejected}):`
        : `rejected rows (${c.rejected}):`,
    );
    for (const l of textTable(
      ['line', 'crime_reference', 'force_id', 'codes', 'message'],
      listed.map((r) => [r.line, r.crimeReference, r.forceId, r.codes.join(';'), r.message]),
    ))
      out(l);
  }
  if (reportFile) out(`full report of the ${c.rejected} rejected rows: ${reportFile}`);
  return job.state === 'completed' ? 0 : 1;
}

// A progress bar with rows/s and ETA on a terminal; plain progress lines otherwise (logs, CI).
class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly started = Date.now();
  private done = 0;
  // Set by the first update: the 5 s count from the import's start, not from the app's start-up (which grew with
  // the app-role set-up, issue #18, and under load alone could pass 5 s).
  private lastLine: number | null = null;

  constructor(
    private readonly total: number,
    private readonly out: Out,
    private readonly unit: 'bytes' | 'rows' = 'bytes',
  ) {
    this.bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format:
              '{bar} {percentage}% | {rows} rows | {rejected} rejected | {rate} rows/s | ETA {eta_formatted}',
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { rows: 0, rate: 0, rejected: 0 });
  }

  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.done += chunk.length;
        cb(null, chunk);
      },
    });
  }

  update(c: Readonly<ImportCounts>, done = this.done): void {
    const rate = Math.round(c.read / Math.max((Date.now() - this.started) / 1000, 0.001));
    this.bar?.update(done, { rows: c.read, rate, rejected: c.rejected });
    // Off a terminal, a line every 5 s (the first after 5 s: a short import prints only the final line).
    this.lastLine ??= Date.now();
    if (!this.bar && Date.now() - this.lastLine > 5000) {
      this.lastLine = Date.now();
      // A pipe has no size: no percentage then.
      const share =
        this.total > 0 ? ` (${Math.round((100 * done) / this.total)}% of ${this.unit})` : '';
      this.out(`progress: ${c.read} rows${share}, ${rate} rows/s, ${c.rejected} rejected`);
    }
  }

  // The final counts (duplicates and state conflicts are only found at the end of the file), always shown.
  finish(c: Readonly<ImportCounts>): void {
    this.lastLine = 0;
    this.update(c, this.total);
    this.stop();
  }

  stop(): void {
    this.bar?.stop();
  }
}
