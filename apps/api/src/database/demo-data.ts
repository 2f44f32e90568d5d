import { Readable } from 'node:stream';
import type { RequestContext } from '#libs/auth';
import {
  demoCsvLines,
  generateDemoCrimes,
  type ImportCounts,
  type ImportJobView,
  type ImportService,
} from '#libs/imports';
import type { ScopedDb } from '#libs/persistence';

export interface DemoSpec {
  year: number;
  records: number;
  seed: string;
}

// Synthetic, clearly fictitious national data (DEMO-… references), loaded through the real importer.
export function importDemo(
  service: ImportService,
  ctx: RequestContext,
  spec: DemoSpec,
  onProgress?: (c: Readonly<ImportCounts>) => void,
): Promise<ImportJobView> {
  const lines = Readable.from(batched(demoCsvLines(generateDemoCrimes(spec))));
  return service.run(ctx, lines, {
    format: 'csv',
    mode: 'accept_valid',
    fileName: `demo-${spec.seed}.csv`,
    onProgress,
  });
}

// The parser works per chunk: hand it ~1,000 lines at a time rather than one line per chunk.
function* batched(lines: Iterable<string>, size = 1000): Generator<string> {
  let buf: string[] = [];
  for (const l of lines) {
    buf.push(l);
    if (buf.length === size) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length > 0) yield buf.join('');
}

export async function hasCrimes(db: ScopedDb): Promise<boolean> {
  return db.run(
    'all',
    async (em) =>
      ((await em.query(`SELECT EXISTS (SELECT 1 FROM crimes) AS any`)) as { any: boolean }[])[0]
        .any,
  );
}
