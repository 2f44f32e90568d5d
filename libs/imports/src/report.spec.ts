import { parse } from 'csv-parse/sync';
import { csvDataRecord } from '#libs/csv';
import { rejectedEntries, reportCsvLines, toReportEntry, writeReportCsv } from './report.js';
import { collect } from './testing/import-fixtures.js';
import type { RejectedRow, RowVerdict } from './validate-batch.js';
import { PassThrough } from 'node:stream';

const rejected = (patch: Partial<RejectedRow> = {}): RejectedRow => ({
  status: 'rejected',
  line: 7,
  crimeReference: 'DBY/1',
  forceId: 'derbyshire',
  problems: [
    { code: 'IMP-FIELD-001', message: "reported_at: invalid date in reported_at: '31/12/2015'" },
    { code: 'CF-AGE-002', message: 'Victim must be under 16, "really"' },
  ],
  ...patch,
});

describe('rejected-row report', () => {
  it('makes one entry per rejected row, codes de-duplicated, messages joined', () => {
    const accepted = { status: 'accepted' } as RowVerdict;
    const entries = rejectedEntries([accepted, rejected()]);
    expect(entries).toEqual([
      {
        line: 7,
        crimeReference: 'DBY/1',
        forceId: 'derbyshire',
        codes: ['IMP-FIELD-001', 'CF-AGE-002'],
        message:
          'reported_at: invalid date in reported_at: \'31/12/2015\'; Victim must be under 16, "really"',
      },
    ]);
  });

  it('writes RFC 4180 CSV that a CSV parser reads back exactly', async () => {
    const awkward = toReportEntry(
      rejected({
        crimeReference: 'has,comma',
        forceId: null,
        problems: [{ code: 'X', message: 'two\nlines and "quotes"' }],
      }),
    );
    const text = (await collect(reportCsvLines([toReportEntry(rejected()), awkward]))).join('');
    expect(text.startsWith('line,crime_reference,force_id,codes,message\r\n')).toBe(true);
    expect(text).toContain(
      '7,DBY/1,derbyshire,IMP-FIELD-001;CF-AGE-002,"reported_at: invalid date in reported_at: \'31/12/2015\'; Victim must be under 16, ""really"""\r\n',
    );
    expect(parse(text, { columns: true })).toEqual([
      {
        line: '7',
        crime_reference: 'DBY/1',
        force_id: 'derbyshire',
        codes: 'IMP-FIELD-001;CF-AGE-002',
        message:
          'reported_at: invalid date in reported_at: \'31/12/2015\'; Victim must be under 16, "really"',
      },
      {
        line: '7',
        crime_reference: 'has,comma',
        force_id: '',
        codes: 'X',
        message: 'two\nlines and "quotes"',
      },
    ]);
  });

  it('neutralises spreadsheet formulas echoed from the file', async () => {
    const entry = toReportEntry(
      rejected({
        crimeReference: '=HYPERLINK("http://x")',
        problems: [{ code: 'IMP-FIELD-010', message: '-2+3' }],
      }),
    );
    const [, line] = await collect(reportCsvLines([entry]));
    expect(line).toBe('7,"\'=HYPERLINK(""http://x"")",derbyshire,IMP-FIELD-010,\'-2+3\r\n');
  });

  it('writes to a stream', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeReportCsv([toReportEntry(rejected())], out);
    out.end();
    expect(Buffer.concat(chunks).toString()).toMatch(/^line,.*\r\n7,DBY\/1,/s);
  });

  it('writes the import and demo files as they are (the importer reads them back)', () => {
    expect(csvDataRecord(['a', 1, null, 'b"c', '=1+1'])).toBe('a,1,,"b""c",=1+1\r\n');
  });
});
