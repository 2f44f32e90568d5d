import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ImportService, type ImportCounts, type ImportJobView, type ImportMode } from '#libs/imports';
import { importDemo } from '../database/demo-data.js';
import { DomainError } from '#libs/persistence';
import { parseFinancialYear } from '#libs/recording-rules';
import { cliContext, withApp, type Out } from './cli-support.js';

// `cyberflag import FILE [--force ID] [--dry-run | --accept-valid] [--format csv|ndjson]`
export async function importCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'accept-valid': { type: 'boolean' }, format: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: cyberflag import FILE [--force ID] [--dry-run | --accept-valid] [--format csv|ndjson]');
  const format = (values.format ?? (/\.(nd)?jsonl?$|\.ndjson$/i.test(file) ? 'ndjson' : 'csv')) as 'csv' | 'ndjson';
  if (format !== 'csv' && format !== 'ndjson') throw new Error('--format must be csv or ndjson');
  const mode: ImportMode = values['dry-run'] ? 'dry_run' : values['accept-valid'] ? 'accept_valid' : 'all_or_nothing';
  const size = statSync(file).size;
  const progress = new Progress(size, out);
  const counted = createReadStream(file).pipe(progress.counter());
  // The operator imports for one force (--force) or, as the national loader, for all.
  const ctx = cliContext(['force_crime_registrar'], values.force ? [values.force] : 'all', 'import');
  return report(out, progress, () =>
    withApp((app) => app.get(ImportService).run(ctx, counted, { format, mode, fileName: basename(file), onProgress: (c) => progress.update(c) })),
  );
}

// `cyberflag demo --year 2015-16 --records N [--seed S]`: synthetic, clearly fictitious national data, imported.
export async function demoCommand(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { year: { type: 'string', default: '2015-16' }, records: { type: 'string', default: '20000' }, seed: { type: 'string', default: 'cyberflag-demo' } } });
  const records = Number(values.records);
  if (!Number.isInteger(records) || records < 1) throw new Error('--records must be a whole number above 0');
  const year = parseFinancialYear(values.year);
  const progress = new Progress(records, out, 'rows');
  out(`generating ${records} synthetic crimes for ${values.year} across all 44 forces (seed ${values.seed})`);
  const ctx = cliContext(['force_crime_registrar'], 'all', 'demo', 'demo data');
  return report(out, progress, () =>
    withApp((app) => importDemo(app.get(ImportService), ctx, { year, records, seed: values.seed }, (c) => progress.update(c, c.read))),
  );
}

async function report(out: Out, progress: Progress, run: () => Promise<ImportJobView>): Promise<number> {
  try {
    const job = await run();
    progress.stop();
    const c = job.counts;
    out(`import ${job.id} ${job.mode === 'dry_run' ? 'dry run ' : ''}${job.state}: ${c.read} rows read, ${c.inserted} new, ${c.amended} amended, ${c.unchanged} unchanged, ${c.rejected} rejected`);
    if (c.rejected > 0) out(`rejected rows: GET /imports/${job.id}/report?format=csv`);
    return 0;
  } catch (e) {
    progress.stop();
    if (e instanceof DomainError) {
      const job = (e.details as { import?: ImportJobView } | undefined)?.import;
      out(`import ${job ? `${job.id} ` : ''}refused: ${e.message}`);
      if (job && job.counts.rejected > 0) out(`rejected rows: GET /imports/${job.id}/report?format=csv`);
      return 1;
    }
    throw e;
  }
}

// A progress bar with rows/s and ETA on a terminal; plain progress lines otherwise (logs, CI).
class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly started = Date.now();
  private done = 0;
  private lastLine = 0;

  constructor(private readonly total: number, private readonly out: Out, private readonly unit: 'bytes' | 'rows' = 'bytes') {
    this.bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
    this.bar?.start(total, 0, { rows: 0, rate: 0 });
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
    this.bar?.update(done, { rows: c.read, rate });
    if (!this.bar && Date.now() - this.lastLine > 5000) {
      this.lastLine = Date.now();
      this.out(`progress: ${c.read} rows (${Math.round((100 * done) / Math.max(this.total, 1))}% of ${this.unit}), ${rate} rows/s, ${c.rejected} rejected`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
