import { rmSync } from 'node:fs';
import { adminUrlOf, dropCopies } from './test-databases.js';

// Runs once per database project: the first call does the work. The embedded server goes with its databases;
// on a real server the template's copies are dropped (the template stays, for a look after a run).
export default async function globalTeardown() {
  if (globalThis.__testDatabasesTornDown) return;
  globalThis.__testDatabasesTornDown = true;
  await globalThis.__spareMaker?.stop();
  const db = globalThis.__embeddedDb;
  globalThis.__embeddedDb = undefined;
  if (db) await db.stop();
  else if (process.env.TEST_TEMPLATE_URL)
    await dropCopies(adminUrlOf(process.env.TEST_TEMPLATE_URL));
  // The run's access-log checkpoints, every spec file's folder inside it (global setup made it).
  if (globalThis.__checkpointRoot)
    rmSync(globalThis.__checkpointRoot, { recursive: true, force: true });
}
