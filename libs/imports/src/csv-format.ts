// Writing CSV (RFC 4180): fields holding a comma, quote, CR or LF are quoted, quotes are doubled,
// and records end in CRLF. csv-stringify is not a dependency; this is all the writing we need.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export interface CsvWriteOptions {
  // For files people open in a spreadsheet (the rejected-row report): a text cell starting with
  // = + - @ TAB or CR is prefixed with ' so Excel or LibreOffice do not run it as a formula (OWASP CSV injection).
  guardFormulas?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(
  value: string | number | null | undefined,
  options: CsvWriteOptions = {},
): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = options.guardFormulas && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(
  values: readonly (string | number | null | undefined)[],
  options: CsvWriteOptions = {},
): string {
  return `${values.map((v) => csvField(v, options)).join(',')}\r\n`;
}

// Writes text lines to a stream, waiting for 'drain' when it is full. Does not end the stream.
export async function writeLines(
  lines: Iterable<string> | AsyncIterable<string>,
  out: Writable,
): Promise<void> {
  for await (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
  }
}
