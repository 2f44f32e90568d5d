import { CSV_CONTENT_TYPE } from '#libs/csv';
import type { Response } from 'express';

// CSV exports are downloads: a file name, and never cached by a proxy (they hold audit data).
export function sendCsv(res: Response, filename: string, body: string): string {
  res.setHeader('content-type', CSV_CONTENT_TYPE);
  res.setHeader(
    'content-disposition',
    `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
  );
  res.setHeader('cache-control', 'no-store');
  return body;
}
