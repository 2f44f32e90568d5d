import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseFinancialYear } from '#libs/recording-rules';
import {
  EXPORT_FORMATS,
  EXPORT_TABLE_KEYS,
  ReturnExportService,
  type ExportFormat,
  type ExportTableKey,
} from '#libs/returns';
import { cliContext, withApp, type Out } from './cli-support.js';
import { defaultFormat, writeText } from './output-format.js';
import { returnTableLines } from './return-table.js';

const USAGE = `usage: cyberflag return FORCE YEAR [--format table|json|csv|xlsx] [--out FILE|-] [--revision N] [--table ${EXPORT_TABLE_KEYS.join('|')}]`;
const FORMATS: readonly (ExportFormat | 'table')[] = ['table', ...EXPORT_FORMATS];

// `cyberflag return FORCE YEAR --format …`: the same export as GET /returns/:force/:year?format=,
// through the same service, so it is logged as a disclosure by the operator at the terminal. A table on a
// terminal; piped or redirected, --format is required (as before).
export async function returnCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      revision: { type: 'string' },
      table: { type: 'string' },
      purpose: { type: 'string' },
    },
  });
  const [force, yearText] = positionals;
  if (!force || !yearText || positionals.length > 2) throw new Error(USAGE);
  const format = (values.format ?? defaultFormat(values.out)) as ExportFormat | 'table' | undefined;
  if (!format || !FORMATS.includes(format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')}\n${USAGE}`);
  const table = values.table as ExportTableKey | undefined;
  if (table !== undefined && !EXPORT_TABLE_KEYS.includes(table))
    throw new Error(`--table must be one of ${EXPORT_TABLE_KEYS.join(', ')}`);
  if (values.revision !== undefined && !/^[1-9]\d{0,5}$/.test(values.revision))
    throw new Error('--revision must be a revision number from 1');
  const year = parseFinancialYear(yearText);
  // The national statistics role: it reads every force's return and holds no record-level lists.
  const ctx = cliContext(['statistician'], 'all', 'return export', values.purpose ?? null);
  const revision = values.revision === undefined ? undefined : Number(values.revision);
  if (format === 'table') {
    if (table !== undefined) throw new Error('--table applies to --format csv only');
    const doc = await withApp((app) =>
      app.get(ReturnExportService).document(ctx, force, year, revision),
    );
    return writeText(returnTableLines(doc), values.out, out);
  }
  const file = await withApp((app) =>
    app.get(ReturnExportService).export(ctx, force, year, {
      format,
      table,
      revision,
    }),
  );
  const target = values.out ?? file.fileName;
  if (target === '-') process.stdout.write(file.body);
  else {
    writeFileSync(target, file.body);
    out(`wrote ${target} (${file.body.length} bytes, ${file.contentType.split(';')[0]})`);
  }
  return 0;
}
