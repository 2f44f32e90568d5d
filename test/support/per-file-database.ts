// Each spec file gets its own database, a copy of the migrated, seeded template that global setup prepares
// (TEST_TEMPLATE_URL). Files cannot see each other's rows, so they pass in any order and need not share out years
// or forces. Loaded through `setupFilesAfterEnv`: top-level await sets TEST_DATABASE_URL before the spec file is
// imported (some specs read it while jest collects their tests), and subprocesses inherit it with process.env.
// The copies are dropped together by global teardown (one DROP per file would cost a checkpoint each).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDatabase } from './test-databases.js';

const template = process.env.TEST_TEMPLATE_URL;
if (!template)
  throw new Error('TEST_TEMPLATE_URL is not set: run the tests through jest (global setup)');
const url = new URL(template);
url.pathname = `/${await claimDatabase(template)}`;
process.env.TEST_DATABASE_URL = url.toString(); // the owner: seeding and inspection by the tests
// The app's own login role (global setup made it for the template; roles are cluster-wide, the copy's grants name it).
const login = process.env.TEST_APP_LOGIN;
if (!login) throw new Error('TEST_APP_LOGIN is not set: run the tests through jest (global setup)');
const { user, password } = JSON.parse(login) as { user: string; password: string };
const appUrl = new URL(url);
appUrl.username = user;
appUrl.password = password;
process.env.TEST_APP_DATABASE_URL = appUrl.toString();
// The access log's signed checkpoints are kept per chain id, and a copy of the template has the template's chain
// id: a folder of the file's own keeps one file's checkpoints from being compared with another copy's chain.
// It is made inside the run's folder (global setup's), which global teardown removes.
process.env.ACCESS_LOG_CHECKPOINT_DIR = mkdtempSync(
  join(process.env.TEST_CHECKPOINT_ROOT ?? tmpdir(), 'cyberflag-test-log-'),
);
