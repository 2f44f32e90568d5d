import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportNational, NationalReturnService, type Basis, type FileFormat } from '#libs/national';
import { parseFlagYear } from '#libs/recording-rules';
import { cliContext, withApp, type Out } from './cli-support.js';
import { nationalTableLines } from './national-table.js';
import { defaultFormat, writeText } from './output-format.js';

const USAGE =
  'usage: cyberflag national YEAR [--basis accepted|live] [--format table|json|csv|xlsx] [--out FILE|-] [--purpose TEXT]';
const BASES: readonly Basis[] = ['accepted', 'live'];
const FORMATS: readonly (FileFormat | 'table')[] = ['table', 'json', 'csv', 'xlsx'];

// `cyberflag national YEAR`: the same national return as GET /national/:year, through the same service,
// as the national statistics role (a live-basis run is logged as a 'combination'). A table on a terminal,
// JSON otherwise (as before), unless --format says which.
export async function nationalCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      basis: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      purpose: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const year = parseFlagYear(positionals[0]!);
  const basis = (values.basis ?? 'accepted') as Basis;
  if (!BASES.includes(basis))
    throw new Error(`--basis must be one of ${BASES.join(', ')}\n${USAGE}`);
  const format = (values.format ?? defaultFormat(values.out) ?? 'json') as FileFormat | 'table';
  if (!FORMATS.includes(format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')}\n${USAGE}`);
  const ctx = cliContext(
    ['statistician'],
    'all',
    `national ${positionals[0]}`,
    values.purpose ?? null,
  );
  const national = await withApp((app) => app.get(NationalReturnService).build(ctx, year, basis));
  if (format === 'table') return writeText(nationalTableLines(national), values.out, out);
  const file = await exportNational(national, format);
  // Text formats go to stdout unless --out is given; a workbook is binary, so it goes to a file.
  const target = values.out ?? (format === 'xlsx' ? file.filename : '-');
  if (target === '-') process.stdout.write(file.body);
  else {
    writeFileSync(target, file.body);
    out(`wrote ${target} (${file.body.length} bytes, ${file.contentType.split(';')[0]})`);
  }
  return 0;
}
