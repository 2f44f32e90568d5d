// Streaming parse of an import file (CSV or NDJSON) into typed rows with their source line numbers.
// Memory stays flat: bytes flow through a UTF-8 check and the parser chunk by chunk, and no record may
// exceed maxRecordBytes, so a 10 MB field fails at 64 KiB instead of being buffered.
// File-level problems throw ImportFileError, possibly after rows have been yielded: the caller must then
// abandon the whole import (no row of a file that failed may be loaded).
import type { Readable } from 'node:stream';
import type { ImportError } from './import-error.js';
import type { ImportedCrime } from './import-row.js';
import { csvBatches } from './parse-csv.js';
import { ndjsonBatches } from './parse-ndjson.js';
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

export async function* parseCrimes(
  input: ImportInput,
  format: ImportFormat,
  opts: ParseOptions = {},
): AsyncGenerator<ParsedRow> {
  for await (const batch of parseCrimeBatches(input, format, opts)) yield* batch;
}

// The same rows, grouped as they come off the parser (fewer awaits for a consumer that works in batches).
export function parseCrimeBatches(
  input: ImportInput,
  format: ImportFormat,
  opts: ParseOptions = {},
): AsyncGenerator<ParsedRow[]> {
  const max = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`maxRecordBytes must be a positive integer, got ${max}`);
  const chunks = checkedChunks(input);
  return format === 'csv' ? csvBatches(chunks, max) : ndjsonBatches(chunks, max);
}

// The parsers get the input in slices of at most this many bytes: a parser turns a whole slice into rows before
// they are validated, and with 64 KB file chunks ~400 rows were alive at every garbage collection, to be copied
// and often promoted. 8 KB slices alone made the parse worker ~15 % faster (bench/README.md, third session).
const SLICE_BYTES = 8 * 1024;

async function* checkedChunks(input: ImportInput): AsyncGenerator<Buffer> {
  const guard = new Utf8Guard();
  for await (const chunk of input as AsyncIterable<Buffer | Uint8Array | string>) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk);
    guard.check(buf);
    for (let at = 0; at < buf.length; at += SLICE_BYTES) yield buf.subarray(at, at + SLICE_BYTES);
  }
  guard.end();
}
