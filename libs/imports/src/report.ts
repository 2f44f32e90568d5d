// The rejected-row report: one entry per rejected row, downloadable as CSV
// (line, crime_reference, force_id, codes, message).
import type { Writable } from 'node:stream';
import { csvRecord } from '#libs/csv';
import { writeLines } from './csv-format.js';
import type { RejectedRow, RowVerdict } from './validate-batch.js';

export interface RejectedRowReport {
  line: number; // source line where the record starts
  crimeReference: string | null;
  forceId: string | null;
  codes: string[]; // IMP-* and CF-* codes, in the order found
  message: string; // every problem's message, '; '-separated
}

export const REPORT_COLUMNS = ['line', 'crime_reference', 'force_id', 'codes', 'message'] as const;

export function toReportEntry(row: RejectedRow): RejectedRowReport {
  return {
    line: row.line,
    crimeReference: row.crimeReference,
    forceId: row.forceId,
    codes: [...new Set(row.problems.map((p) => p.code))],
    message: row.problems.map((p) => p.message).join('; '),
  };
}

export function rejectedEntries(verdicts: Iterable<RowVerdict>): RejectedRowReport[] {
  const entries: RejectedRowReport[] = [];
  for (const v of verdicts) if (v.status === 'rejected') entries.push(toReportEntry(v));
  return entries;
}

// Through the export writer: the report is opened in spreadsheets and echoes file content.
export function reportCsvLine(entry: RejectedRowReport): string {
  return csvRecord([
    entry.line,
    entry.crimeReference,
    entry.forceId,
    entry.codes.join(';'),
    entry.message,
  ]);
}

export async function* reportCsvLines(
  entries: Iterable<RejectedRowReport> | AsyncIterable<RejectedRowReport>,
): AsyncGenerator<string> {
  yield csvRecord(REPORT_COLUMNS);
  for await (const entry of entries) yield reportCsvLine(entry);
}

// Writes the report as CSV (UTF-8, CRLF), honouring back-pressure. Does not end the stream.
export async function writeReportCsv(
  entries: Iterable<RejectedRowReport> | AsyncIterable<RejectedRowReport>,
  out: Writable,
): Promise<void> {
  await writeLines(reportCsvLines(entries), out);
}
