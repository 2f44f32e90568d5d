// The product side of bench:import, in a process of its own so that its peak memory is the import's process
// alone (the Nest application and the import), not the benchmark's file generation: reports ru_maxrss.
// Usage (by import.bench.ts): node dist/bench/import-child.js DATABASE_APP_URL CSV_FILE (the app's login role)
import { createReadStream } from 'node:fs';
import { systemContext } from '#libs/auth';
import { ImportService } from '#libs/imports';
import { benchAppContext, checkpoint, timed } from './bench-support.js';

const [url, file] = process.argv.slice(2);
const app = await benchAppContext(url!);
try {
  const ctx = systemContext(
    { userId: 'bench', displayName: 'bench', roles: ['force_crime_registrar'], forces: 'all' },
    'BENCH import',
  );
  await checkpoint();
  const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
  const run = await timed(() =>
    app
      .get(ImportService)
      .run(ctx, createReadStream(file), { format: 'csv', mode: 'all_or_nothing' }),
  );
  const result = {
    ms: run.ms,
    inserted: run.value.counts.inserted,
    rejected: run.value.counts.rejected,
    rssBeforeMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await app.close();
}
