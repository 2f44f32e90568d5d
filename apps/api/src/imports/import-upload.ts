import busboy from 'busboy';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DomainError } from '#libs/persistence';

export type UploadFormat = 'csv' | 'ndjson';

export interface Upload {
  body: Readable; // streamed: never buffered whole
  format: UploadFormat;
  fileName: string | null;
}

const FORMAT_OF: Record<string, UploadFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
};
// Types that say nothing about the content, so ?format= decides: none, a bare byte stream, and what browsers and
// form encoders put on a file part they do not know (text/plain is multipart's default; Windows labels .csv as Excel).
const GENERIC = new Set(['', 'application/octet-stream', 'text/plain', 'application/vnd.ms-excel']);
const FILE_FIELD = 'file';

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase();

// The import file of a POST /imports: the raw body (text/csv, application/x-ndjson, or a generic type with
// ?format=), or the "file" part of a multipart/form-data body (the docs page's upload), streamed as it arrives.
export async function importUpload(
  req: FastifyRequest,
  format: UploadFormat | undefined,
): Promise<Upload> {
  const type = mediaType(req.headers['content-type']);
  if (type === 'multipart/form-data') {
    const part = await filePart(req);
    return {
      body: part.stream,
      format: decide(part.type, format, `the "${FILE_FIELD}" part`),
      fileName: part.fileName,
    };
  }
  return {
    body: req.raw, // left unread by the body parsers (configureApp)
    format: decide(type, format, 'the body'),
    fileName: typeof req.headers['x-file-name'] === 'string' ? req.headers['x-file-name'] : null,
  };
}

function decide(type: string, format: UploadFormat | undefined, what: string): UploadFormat {
  const stated = FORMAT_OF[type];
  if (stated && format && stated !== format)
    throw new DomainError(
      'INVALID_INPUT',
      `${what} is ${type} but format=${format}: send one or make them agree`,
    );
  if (stated) return stated;
  if (!GENERIC.has(type))
    throw new DomainError(
      'INVALID_INPUT',
      'send the file as text/csv or application/x-ndjson (or multipart/form-data with a "file" part)',
    );
  if (!format)
    throw new DomainError(
      'INVALID_INPUT',
      `${what} has no CSV or NDJSON content type: add ?format=csv or ?format=ndjson`,
    );
  return format;
}

// Resolves on the first part named "file", handing over its stream; other parts are drained and ignored.
function filePart(
  req: FastifyRequest,
): Promise<{ stream: Readable; type: string; fileName: string | null }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 20 } });
    } catch (e) {
      reject(
        new DomainError(
          'INVALID_INPUT',
          `multipart body: ${e instanceof Error ? e.message : 'unreadable'}`,
        ),
      );
      return;
    }
    let found = false;
    bb.on('file', (name, stream, info) => {
      if (name !== FILE_FIELD || found) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ stream, type: mediaType(info.mimeType), fileName: info.filename || null });
    });
    // Before the file part: a malformed body. After it, busboy ends the file stream with the error, so the
    // import fails as for a broken raw upload.
    bb.on('error', (e: unknown) =>
      reject(
        new DomainError(
          'INVALID_INPUT',
          `multipart body: ${e instanceof Error ? e.message : 'unreadable'}`,
        ),
      ),
    );
    bb.on('close', () => {
      if (!found)
        reject(new DomainError('INVALID_INPUT', `multipart body has no "${FILE_FIELD}" part`));
    });
    req.raw.pipe(bb);
  });
}
