// Small file-format helpers shared by the exports: CSV (through #libs/csv), a zip in memory, the file type.
import ExcelJS from 'exceljs';
import { ZipArchive } from 'archiver';
import { CSV_CONTENT_TYPE, toCsv as writeCsv } from '#libs/csv';

export type FileFormat = 'json' | 'csv' | 'xlsx';
export type CsvLayout = 'wide' | 'long';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

// The national files carry a UTF-8 byte-order mark, so spreadsheet programs read the text right.
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return writeCsv(header, rows, { bom: true });
}

export async function zipFiles(files: readonly { name: string; text: string }[]): Promise<Buffer> {
  const zip = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  zip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', () => resolve());
    zip.on('error', reject);
  });
  // A fixed date: the same publication always zips to the same bytes.
  for (const f of files)
    zip.append(f.text, { name: f.name, date: new Date('2000-01-01T00:00:00Z') });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Cyberflag';
  return wb;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  rows: readonly (readonly unknown[])[],
  header = true,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name.slice(0, 31));
  for (const r of rows) ws.addRow(r.map((v) => (v === null || v === undefined ? '' : v)));
  if (header && rows.length > 0) ws.getRow(1).font = { bold: true };
  return ws;
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: CSV_CONTENT_TYPE,
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
