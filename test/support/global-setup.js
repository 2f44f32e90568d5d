import pg from 'pg';
// Jest loads global setup outside its module mapper, so this plain-JS file uses the compiled app
// (`npm test` builds first): the same migrations and catalogue sync that `npm start` runs.
import { startEmbeddedDatabase } from '../../dist/libs/persistence/src/embedded-database.js';
import { appLoginRole } from '../../dist/libs/persistence/src/app-login.js';
import { prepareDatabase } from '../../dist/apps/api/src/database/prepare-database.js';
import { randomBytes } from 'node:crypto';
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
  // The access log's chain key and checkpoint folder for this run, shared by the test apps and the CLI.
  process.env.ACCESS_LOG_KEY ??= randomBytes(32).toString('base64url');
  // Each spec file's own checkpoint folder is made inside it (per-file-database.ts); global teardown removes the
  // folder this made, with them.
  if (process.env.ACCESS_LOG_CHECKPOINT_DIR === undefined) {
    process.env.ACCESS_LOG_CHECKPOINT_DIR = mkdtempSync(join(tmpdir(), 'cyberflag-test-log-'));
    globalThis.__checkpointRoot = process.env.ACCESS_LOG_CHECKPOINT_DIR;
  }
  process.env.TEST_CHECKPOINT_ROOT ??= process.env.ACCESS_LOG_CHECKPOINT_DIR;
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
  // The app under test logs in as its own unprivileged role, as in production, so row-level security is exercised.
  // One role per template (roles are cluster-wide): parallel runs with other TEST_DB_NAMEs keep apart; the
  // per-file copies (per-file-database.ts) share their template's role, which their copied grants name.
  const appLogin = { user: appLoginRole(TEST_DB), password: randomBytes(18).toString('base64url') };
  await prepareDatabase(url, () => undefined, appLogin);
  process.env.TEST_TEMPLATE_URL = url;
  process.env.TEST_APP_LOGIN = JSON.stringify(appLogin);
  globalThis.__spareMaker = startSpareMaker(url);
}
