import { CSV_CONTENT_TYPE } from '#libs/csv';
import type { FastifyReply } from 'fastify';

// CSV exports are downloads: a file name, and never cached by a proxy (they hold audit data).
export function sendCsv(res: FastifyReply, filename: string, body: string): string {
  res.header('content-type', CSV_CONTENT_TYPE);
  res.header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  res.header('cache-control', 'no-store');
  return body;
}
