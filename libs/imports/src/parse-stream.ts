// Streaming parse of an import file (CSV or NDJSON) into typed rows with their source line numbers.
// Memory stays flat: bytes flow through a UTF-8 check and the parser chunk by chunk, and no record may
// exceed maxRecordBytes, so a 10 MB field fails at 64 KiB instead of being buffered.
// File-level problems throw ImportFileError, possibly after rows have been yielded: the caller must then
// abandon the whole import (no row of a file that failed may be loaded).
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CsvError, parse, type InfoRecord } from 'csv-parse';
import { ImportFileError, type ImportError } from './import-error.js';
import {
  IMPORT_COLUMNS,
  REQUIRED_COLUMNS,
  readImportRow,
  type ImportColumn,
  type ImportedCrime,
  type RawImportRow,
} from './import-row.js';
import { Utf8Guard } from './utf8-guard.js';

export type ImportFormat = 'csv' | 'ndjson';
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

export interface ParseOptions {
  maxRecordBytes?: number; // largest CSV record (sum of its fields) or NDJSON line, in bytes
}

export interface ParsedRow {
  line: number; // 1-based source line where the record starts
  crimeReference: string | null;
  forceId: string | null;
  crime?: ImportedCrime; // present exactly when errors is empty
  errors: ImportError[];
}

export type ImportInput = AsyncIterable<Buffer | Uint8Array | string> | Readable;

export async function* parseCrimes(input: ImportInput, format: ImportFormat, opts: ParseOptions = {}): AsyncGenerator<ParsedRow> {
  for await (const batch of parseCrimeBatches(input, format, opts)) yield* batch;
}

// The same rows, grouped as they come off the parser (fewer awaits for a consumer that works in batches).
export function parseCrimeBatches(input: ImportInput, format: ImportFormat, opts: ParseOptions = {}): AsyncGenerator<ParsedRow[]> {
  const max = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxRecordBytes must be a positive integer, got ${max}`);
  const chunks = checkedChunks(input);
  return format === 'csv' ? csvBatches(chunks, max) : ndjsonBatches(chunks, max);
}

async function* checkedChunks(input: ImportInput): AsyncGenerator<Buffer> {
  const guard = new Utf8Guard();
  for await (const chunk of input as AsyncIterable<Buffer | Uint8Array | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    guard.check(buf);
    if (buf.length > 0) yield buf;
  }
  guard.end();
}

const LF = 0x0a;

// ---- CSV (RFC 4180 via csv-parse) ---------------------------------------------------------------

interface Header {
  columns: ImportColumn[];
}

async function* csvBatches(chunks: AsyncIterable<Buffer>, maxRecordBytes: number): AsyncGenerator<ParsedRow[]> {
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
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => parser.write(chunk, (e) => (e ? reject(e) : resolve())));

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
      else header = readHeader(record, line);
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
    const blank = error instanceof CsvError ? Number((error as unknown as InfoRecord).empty_lines ?? blankSeen) : blankSeen;
    throw csvFileError(error, nextLine + blank - blankSeen, header, maxRecordBytes);
  } finally {
    parser.destroy();
  }
  const rows = take();
  if (!header) throw emptyFile();
  // A header without rows is refused too: it is far more likely a failed or truncated extract than a
  // force with nothing to record, and an import that loads nothing gains nothing.
  if (dataRows === 0) throw emptyFile('the file has a header row but no data rows');
  if (rows.length > 0) yield rows;
}

const emptyFile = (why = 'expected a header row and at least one data row'): ImportFileError =>
  new ImportFileError('IMP-FILE-001', `file is empty: ${why}`);

function lineBreaksIn(record: string[]): number {
  let n = 0;
  for (const field of record) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) n++;
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
      unknown.length > 0 && `unknown column(s): ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
      duplicated.length > 0 && `duplicate column(s): ${duplicated.join(', ')}`,
    ].filter(Boolean);
    throw new ImportFileError('IMP-FILE-002',
      `header on line ${line} is wrong: ${parts.join('; ')}. Required: ${REQUIRED_COLUMNS.join(', ')}; optional: ${IMPORT_COLUMNS.slice(REQUIRED_COLUMNS.length).join(', ')}`,
      { line, missing, unknown, duplicated });
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
      line, crimeReference: ref, forceId: force,
      errors: [{ code: 'IMP-ROW-001', message: `record has ${record.length} field(s); the header has ${columns.length}` }],
    };
  }
  const raw: RawImportRow = {};
  for (let i = 0; i < columns.length; i++) raw[columns[i]] = record[i];
  return { line, ...readImportRow(raw) };
}

function csvFileError(error: unknown, line: number, header: Header | undefined, max: number): unknown {
  if (!(error instanceof CsvError)) return error;
  const column = header?.columns[Number((error as unknown as { column?: number }).column)];
  const where = `in the record starting on line ${line}${column ? ` (column ${column})` : ''}`;
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportFileError('IMP-FILE-005',
        `record starting on line ${line} is longer than ${max} bytes (the record size limit). ` +
          'If no field should be that long, look for a quote that is opened and never closed',
        { line, limitBytes: max }, { cause: error });
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError('IMP-FILE-004',
        `malformed CSV: a quoted field ${where} is never closed (unbalanced quotes); the rest of the file cannot be read reliably`,
        { line }, { cause: error });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new ImportFileError('IMP-FILE-004',
        `malformed CSV ${where}: text follows a closing quote; a quote inside a quoted field must be doubled ("")`,
        { line }, { cause: error });
    case 'INVALID_OPENING_QUOTE':
      return new ImportFileError('IMP-FILE-004',
        `malformed CSV ${where}: a quote in the middle of an unquoted field; quote the whole field and double the inner quote`,
        { line }, { cause: error });
    default:
      return new ImportFileError('IMP-FILE-004', `malformed CSV ${where}: ${error.message}`, { line }, { cause: error });
  }
}

// ---- NDJSON (one JSON object per line) -----------------------------------------------------------

async function* ndjsonBatches(chunks: AsyncIterable<Buffer>, maxRecordBytes: number): AsyncGenerator<ParsedRow[]> {
  let line = 1;
  let pending: Buffer[] = []; // the start of a line that continues in the next chunk
  let pendingBytes = 0;
  let dataRows = 0;
  const append = (piece: Buffer): void => {
    if (pendingBytes + piece.length > maxRecordBytes) {
      throw new ImportFileError('IMP-FILE-005', `line ${line} is longer than ${maxRecordBytes} bytes (the record size limit)`,
        { line, limitBytes: maxRecordBytes });
    }
    if (piece.length > 0) pending.push(piece);
    pendingBytes += piece.length;
  };
  const completeLine = (piece: Buffer): Buffer => {
    append(piece);
    const whole = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    return whole;
  };
  for await (const chunk of chunks) {
    const rows: ParsedRow[] = [];
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, start)) {
      const row = ndjsonRow(completeLine(chunk.subarray(start, lf)), line);
      if (row) rows.push(row);
      line++;
      start = lf + 1;
    }
    append(chunk.subarray(start));
    dataRows += rows.length;
    if (rows.length > 0) yield rows;
  }
  const last = pendingBytes > 0 ? ndjsonRow(completeLine(Buffer.alloc(0)), line) : null;
  if (last) dataRows++;
  if (dataRows === 0) throw emptyFile('expected at least one JSON object line');
  if (last) yield [last];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// null for a blank line (skipped, like blank CSV lines).
function ndjsonRow(bytes: Buffer, line: number): ParsedRow | null {
  const text = (line === 1 && bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes).toString('utf8');
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ImportFileError('IMP-FILE-006', `line ${line} is not valid JSON: ${(cause as Error).message}`, { line }, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFileError('IMP-FILE-006', `line ${line} is not a JSON object (one crime per line, as {"crime_reference": ...})`, { line });
  }
  const object = value as Record<string, unknown>;
  const known: readonly string[] = IMPORT_COLUMNS;
  const errors: ImportError[] = [];
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    errors.push({ code: 'IMP-ROW-002', message: `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}` });
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !Object.hasOwn(object, c));
  if (missing.length > 0) errors.push({ code: 'IMP-ROW-003', message: `missing required propert${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')}` });
  const raw: RawImportRow = {};
  for (const column of IMPORT_COLUMNS) if (Object.hasOwn(object, column)) raw[column] = object[column];
  const reading = readImportRow(raw);
  if (errors.length === 0) return { line, ...reading };
  // A row with a shape problem is rejected even if its fields read well.
  const { crime: _ignored, ...rest } = reading;
  return { line, ...rest, errors: [...errors, ...reading.errors] };
}
