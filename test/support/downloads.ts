import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';

// supertest's parser for a download (a zip, a workbook): the body as one Buffer.
export const binary = (res: NodeJS.ReadableStream, cb: (e: Error | null, b: Buffer) => void) => {
  const c: Buffer[] = [];
  res.on('data', (x: Buffer) => c.push(x));
  res.on('end', () => cb(null, Buffer.concat(c)));
};

// A publication's download (csv: a zip of the tables; xlsx: the workbook) as `as` (a persona's headers); its body
// is the file's bytes. Expects 200.
export const downloadPublication = (
  app: INestApplication<App>,
  id: string,
  format: 'csv' | 'xlsx',
  as: Record<string, string>,
) =>
  request(app.getHttpServer())
    .get(`/publications/${id}`)
    .query({ format })
    .set(as)
    .buffer(true)
    .parse(binary as never)
    .expect(200);
