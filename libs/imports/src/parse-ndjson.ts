// NDJSON: one JSON object per line. Lines are cut from the byte stream, never longer than the limit.
import { ImportFileError, emptyFileError, type ImportError } from './import-error.js';
import {
  IMPORT_COLUMNS,
  REQUIRED_COLUMNS,
  readImportRow,
  type RawImportRow,
} from './import-row.js';
import type { ParsedRow } from './parse-stream.js';

const LF = 0x0a;

export async function* ndjsonBatches(
  chunks: AsyncIterable<Buffer>,
  maxRecordBytes: number,
): AsyncGenerator<ParsedRow[]> {
  let line = 1;
  let pending: Buffer[] = []; // the start of a line that continues in the next chunk
  let pendingBytes = 0;
  let dataRows = 0;
  const append = (piece: Buffer): void => {
    if (pendingBytes + piece.length > maxRecordBytes) {
      throw new ImportFileError(
        'IMP-FILE-005',
        `line ${line} is longer than ${maxRecordBytes} bytes (the record size limit)`,
        { line, limitBytes: maxRecordBytes },
      );
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
  if (dataRows === 0) throw emptyFileError('expected at least one JSON object line');
  if (last) yield [last];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// null for a blank line (skipped, like blank CSV lines).
function ndjsonRow(bytes: Buffer, line: number): ParsedRow | null {
  const text = (
    line === 1 && bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes
  ).toString('utf8');
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ImportFileError(
      'IMP-FILE-006',
      `line ${line} is not valid JSON: ${(cause as Error).message}`,
      { line },
      { cause },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFileError(
      'IMP-FILE-006',
      `line ${line} is not a JSON object (one crime per line, as {"crime_reference": ...})`,
      { line },
    );
  }
  const object = value as Record<string, unknown>;
  const known: readonly string[] = IMPORT_COLUMNS;
  const errors: ImportError[] = [];
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    errors.push({
      code: 'IMP-ROW-002',
      message: `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}`,
    });
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !Object.hasOwn(object, c));
  if (missing.length > 0)
    errors.push({
      code: 'IMP-ROW-003',
      message: `missing required propert${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')}`,
    });
  const raw: RawImportRow = {};
  for (const column of IMPORT_COLUMNS)
    if (Object.hasOwn(object, column)) raw[column] = object[column];
  // A raw NUL byte is a file error (Utf8Guard); the escape \u0000 is the only way left to write one. Such a value
  // is a row error and is read without its NULs, so no report message or stored value carries one (issue #18).
  if (text.includes('\\u0000')) {
    for (const column of IMPORT_COLUMNS) {
      if (!containsNul(raw[column])) continue;
      errors.push({
        code: 'IMP-FIELD-014',
        field: column,
        message: `${column}: contains a NUL character (\\u0000), which no field may hold`,
      });
      raw[column] = withoutNul(raw[column]);
    }
  }
  const reading = readImportRow(raw);
  if (errors.length === 0) return { line, ...reading };
  // A row with a shape problem is rejected even if its fields read well.
  const { crime: _ignored, ...rest } = reading;
  return { line, ...rest, errors: [...errors, ...reading.errors] };
}

const containsNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\0')
    : Array.isArray(value) && value.some(containsNul);
const withoutNul = (value: unknown): unknown =>
  typeof value === 'string'
    ? value.replaceAll('\0', '')
    : Array.isArray(value)
      ? value.map(withoutNul)
      : value;
