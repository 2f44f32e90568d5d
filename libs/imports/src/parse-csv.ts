// CSV (RFC 4180) via csv-parse, driven chunk by chunk, with exact source line numbers.
import { finished } from 'node:stream/promises';
import { CsvError, parse, type InfoRecord } from 'csv-parse';
import { ImportFileError, emptyFileError } from './import-error.js';
import {
  IMPORT_COLUMNS,
  REQUIRED_COLUMNS,
  readImportRow,
  type ImportColumn,
  type RawImportRow,
} from './import-row.js';
import type { ParsedRow } from './parse-stream.js';

interface Header {
  columns: ImportColumn[];
}

export async function* csvBatches(
  chunks: AsyncIterable<Buffer>,
  maxRecordBytes: number,
): AsyncGenerator<ParsedRow[]> {
  // csv-parse is driven chunk by chunk; on_record hands each record over synchronously, so the rows
  // before a malformed record are all seen (in order) before its error, and lines stay exact.
  let captured: { record: string[]; info: InfoRecord }[] = [];
  const parser = parse({
    bom: true,
    skip_empty_lines: true, // blank lines (and a trailing newline) are not records
    relax_column_count: true, // a short or long record is a row error, not a file error
    max_record_size: maxRecordBytes,
    on_record: (record: string[], info: InfoRecord) => {
      captured.push({ record, info });
      return null; // nothing goes through the stream's readable side
    },
  });
  parser.resume();
  const ended = finished(parser);
  ended.catch(() => undefined); // awaited below; a rejection before then is not unhandled
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => parser.write(chunk, (e) => (e ? reject(e) : resolve())));

  // Source lines are counted here, not taken from info.lines: csv-parse counts a CRLF inside a quoted
  // field as two lines. A record starts after the previous one's line breaks and any skipped blank lines.
  let nextLine = 1;
  let blankSeen = 0;
  let header: Header | undefined;
  let dataRows = 0;
  const take = (): ParsedRow[] => {
    const rows: ParsedRow[] = [];
    const records = captured;
    captured = [];
    for (const { record, info } of records) {
      const line = nextLine + info.empty_lines - blankSeen;
      blankSeen = info.empty_lines;
      nextLine = line + 1 + lineBreaksIn(record);
      if (record.length === 1 && record[0].trim() === '') continue; // a whitespace-only line carries no data
      if (header) rows.push(csvRow(record, header, line));
      else {
        header = readHeader(record, line);
        refuseCrOnly(parser.options.record_delimiter);
      }
    }
    dataRows += rows.length;
    return rows;
  };
  try {
    for await (const chunk of chunks) {
      const written = write(chunk); // parses the chunk synchronously into `captured`
      written.catch(() => undefined);
      const rows = take();
      if (rows.length > 0) yield rows;
      await written;
    }
    parser.end();
    await ended;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // The records before the malformed one are yielded (the caller still abandons the import).
    const rows = take();
    if (rows.length > 0) yield rows;
    const blank =
      error instanceof CsvError
        ? Number((error as unknown as InfoRecord).empty_lines ?? blankSeen)
        : blankSeen;
    throw csvFileError(error, nextLine + blank - blankSeen, header, maxRecordBytes);
  } finally {
    parser.destroy();
  }
  const rows = take();
  if (!header) throw emptyFileError();
  // A header without rows is refused too: it is far more likely a failed or truncated extract than a
  // force with nothing to record, and an import that loads nothing gains nothing.
  if (dataRows === 0) throw emptyFileError('the file has a header row but no data rows');
  if (rows.length > 0) yield rows;
}

// csv-parse takes its record delimiter from the header's line end. CR alone (classic Mac OS) is refused rather than
// read: the UTF-8 and NUL checks count lines by LF, so their line numbers would be wrong, and NDJSON has no such
// mode (issue #18 finding 11; docs/import-format.md).
const CR = Buffer.from('\r');
function refuseCrOnly(delimiters: readonly Buffer[] | undefined): void {
  if (delimiters?.length === 1 && delimiters[0].equals(CR)) {
    throw new ImportFileError(
      'IMP-FILE-008',
      'lines end with CR alone (classic Mac OS): save the file with LF or CRLF line ends',
      { line: 1 },
    );
  }
}

function lineBreaksIn(record: string[]): number {
  let n = 0;
  for (const field of record)
    for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) n++;
  return n;
}

function readHeader(record: string[], line: number): Header {
  const names = record.map((name) => name.trim().toLowerCase());
  const known: readonly string[] = IMPORT_COLUMNS;
  const unknown = [...new Set(names.filter((n) => !known.includes(n)))];
  const duplicated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (unknown.length + duplicated.length + missing.length > 0) {
    const parts = [
      missing.length > 0 && `missing column(s): ${missing.join(', ')}`,
      unknown.length > 0 &&
        `unknown column(s): ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
      duplicated.length > 0 && `duplicate column(s): ${duplicated.join(', ')}`,
    ].filter(Boolean);
    throw new ImportFileError(
      'IMP-FILE-002',
      `header on line ${line} is wrong: ${parts.join('; ')}. Required: ${REQUIRED_COLUMNS.join(', ')}; optional: ${IMPORT_COLUMNS.slice(REQUIRED_COLUMNS.length).join(', ')}`,
      { line, missing, unknown, duplicated },
    );
  }
  return { columns: names as ImportColumn[] };
}

function csvRow(record: string[], header: Header, line: number): ParsedRow {
  const { columns } = header;
  const at = (name: ImportColumn): string | undefined => record[columns.indexOf(name)];
  if (record.length !== columns.length) {
    const ref = at('crime_reference')?.trim() || null;
    const force = at('force_id')?.trim().toLowerCase() || null;
    return {
      line,
      crimeReference: ref,
      forceId: force,
      errors: [
        {
          code: 'IMP-ROW-001',
          message: `record has ${record.length} field(s); the header has ${columns.length}`,
        },
      ],
    };
  }
  const raw: RawImportRow = {};
  for (let i = 0; i < columns.length; i++) raw[columns[i]] = record[i];
  return { line, ...readImportRow(raw) };
}

function csvFileError(
  error: unknown,
  line: number,
  header: Header | undefined,
  max: number,
): unknown {
  if (!(error instanceof CsvError)) return error;
  const column = header?.columns[Number((error as unknown as { column?: number }).column)];
  const where = `in the record starting on line ${line}${column ? ` (column ${column})` : ''}`;
  // csv-parse's own codes: the few a file can cause get a message; the rest (options we never set) pass through.
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportFileError(
        'IMP-FILE-005',
        `record starting on line ${line} is longer than ${max} bytes (the record size limit). ` +
          'If no field should be that long, look for a quote that is opened and never closed',
        { line, limitBytes: max },
        { cause: error },
      );
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError(
        'IMP-FILE-004',
        `malformed CSV: a quoted field ${where} is never closed (unbalanced quotes); the rest of the file cannot be read reliably`,
        { line },
        { cause: error },
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new ImportFileError(
        'IMP-FILE-004',
        `malformed CSV ${where}: text follows a closing quote; a quote inside a quoted field must be doubled ("")`,
        { line },
        { cause: error },
      );
    case 'INVALID_OPENING_QUOTE':
      return new ImportFileError(
        'IMP-FILE-004',
        `malformed CSV ${where}: a quote in the middle of an unquoted field; quote the whole field and double the inner quote`,
        { line },
        { cause: error },
      );
    default:
      return new ImportFileError(
        'IMP-FILE-004',
        `malformed CSV ${where}: ${error.message}`,
        { line },
        { cause: error },
      );
  }
}
