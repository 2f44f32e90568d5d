import pg from 'pg';
// Jest loads global setup outside its module mapper, so this plain-JS file uses the compiled app
// (`npm test` builds first): the same migrations and catalogue sync that `npm start` runs.
import { startEmbeddedDatabase } from '../../dist/libs/persistence/src/embedded-database.js';
import { prepareDatabase } from '../../dist/apps/api/src/database/prepare-database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropCopies, startSpareMaker, templateDatabaseName } from './test-databases.js';

// TEST_DB_NAME lets parallel runs on one server keep apart; it must end in _test. It names the template that
// each spec file's own database is copied from (test/support/per-file-database.ts).
const TEST_DB = templateDatabaseName();

// Real PostgreSQL at 127.0.0.1:5432 (or TEST_PG_ADMIN_URL); if nothing listens there, the embedded server.
// Either way the template is created fresh, migrated and seeded here: no test relies on leftovers.
async function reachable(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function recreate(adminUrl) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await dropCopies(adminUrl); // an interrupted run's copies of the template
    await c.query(`DROP DATABASE IF EXISTS ${TEST_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEST_DB}`);
  } finally {
    await c.end();
  }
}

export default async function globalSetup() {
  if (process.env.TEST_TEMPLATE_URL) return; // already prepared by the other database project in this run
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let url;
  if (await reachable(adminUrl)) {
    await recreate(adminUrl);
    const u = new URL(adminUrl);
    u.pathname = `/${TEST_DB}`;
    url = u.toString();
    process.stdout.write(`\n[tests] using PostgreSQL at ${u.host} (database ${TEST_DB})\n`);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'cyberflag-test-'));
    const db = await startEmbeddedDatabase(dir, TEST_DB);
    globalThis.__embeddedDb = {
      stop: async () => {
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    url = db.url;
    process.stdout.write(
      `\n[tests] no PostgreSQL at ${new URL(adminUrl).host}: using embedded PostgreSQL in ${dir}\n`,
    );
  }
  if (!new URL(url).pathname.endsWith('_test'))
    throw new Error('refusing to run tests on a database not named *_test');
  await prepareDatabase(url, () => undefined);
  process.env.TEST_TEMPLATE_URL = url;
  globalThis.__spareMaker = startSpareMaker(url);
}
