// The one CSV writer of every export (API, web pages and CLI): RFC 4180 (a field holding a comma, quote, CR or
// LF is quoted, quotes are doubled; a field with leading or trailing space is quoted too, so no reader trims
// it), CRLF after every record, and a UTF-8 byte-order mark when asked (spreadsheet programs then read the
// text right).
//
// Exports are opened in spreadsheets, so text starting with = + - @ TAB or CR gets a leading ' and is shown,
// not run as a formula (OWASP "CSV injection"). Always on. Numbers are values, not text: a number is written as
// it is (a negative z-score stays -2.5), and so is text that is exactly a decimal number ('-3', '+1.5e3'),
// which a spreadsheet reads as that number; anything else after the sign ('-1+2', '-1 note') is guarded.
// What a cell may hold; anything else is written as its text (and guarded as text).
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export interface CsvOptions {
  bom?: boolean;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? value.toISOString() : String(value);
  return quote(FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);
}

// One record, CRLF-terminated: for exports written a line at a time (the import report streams).
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: CsvOptions = {},
): string {
  return `${options.bom ? CSV_BOM : ''}${[header, ...rows].map(csvRecord).join('')}`;
}

// NOT for exports: a record of a file the importer reads back (demo data, test and benchmark fixtures),
// where the text must arrive exactly as written, so nothing is guarded. Never send this to a person.
export function csvDataRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map((v) => (v === null || v === undefined ? '' : quote(String(v)))).join(',')}\r\n`;
}

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
