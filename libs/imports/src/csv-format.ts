// Writing text lines to a stream with back-pressure. The CSV itself comes from #libs/csv: csvRecord for the
// report people open, csvDataRecord for files the importer reads back (demo data, fixtures).
import { once } from 'node:events';
import type { Writable } from 'node:stream';

// Writes text lines to a stream, waiting for 'drain' when it is full. Does not end the stream.
export async function writeLines(
  lines: Iterable<string> | AsyncIterable<string>,
  out: Writable,
): Promise<void> {
  for await (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
  }
}
