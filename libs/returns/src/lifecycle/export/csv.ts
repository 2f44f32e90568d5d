import type { Cell, ExportTable } from './export-document.js';

// RFC 4180: CRLF line ends; fields with a comma, quote or line break are quoted, quotes doubled.
// Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe:
// the signed-off name, for one, is typed by a user (OWASP "CSV injection").
export function toCsv(t: ExportTable): string {
  return [t.header, ...t.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// Also libs/national's field writer, so every download of returns and national figures is guarded alike.
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
