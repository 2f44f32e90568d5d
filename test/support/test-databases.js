import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers';

// Names of the test databases, shared by global setup/teardown (plain JS, outside jest's module mapper) and the
// per-file setup. All derive from TEST_DB_NAME, so runs with different names on one server never touch each other:
//   <base>_test            the template: migrated and seeded once per run by global setup
//   <base>_s<hex>_test     a spare copy, made ahead of need while tests run
//   <base>_f<hex>_test     one spec file's database (a spare, renamed when a file claims it)
//   <base>_b<hex>_test     a copy being made (not yet a spare)

// The template every spec file's database is copied from.
export function templateDatabaseName() {
  const name = process.env.TEST_DB_NAME ?? 'cyberflag_test';
  if (!/^[a-z0-9_]+_test$/.test(name))
    throw new Error(`TEST_DB_NAME must look like name_test, not ${name}`);
  // 63 bytes is PostgreSQL's limit; a copy's name adds 10 (`_f` and 8 hex digits).
  if (name.length > 53)
    throw new Error(`TEST_DB_NAME is too long (at most 53 characters): ${name}`);
  return name;
}

const base = (template) => template.replace(/_test$/, '');
export const copyName = (template, kind) =>
  `${base(template)}_${kind}${randomBytes(4).toString('hex')}_test`;
// Matches exactly one template's copies of the given kinds ('fsb': all of them).
export const copyPattern = (template, kinds) => `^${base(template)}_[${kinds}][0-9a-f]{8}_test$`;

// The same server's maintenance database, for CREATE, ALTER and DROP DATABASE.
export function adminUrlOf(databaseUrl) {
  const u = new URL(databaseUrl);
  u.pathname = '/postgres';
  return u.toString();
}

// A copy of the template. The default STRATEGY (WAL_LOG) measured faster than FILE_COPY here (1.2-1.6 s against
// 3.3-4.0 s under load: FILE_COPY waits for two checkpoints). Database-level grants are not copied from a
// template, so the migration's GRANT TEMP is repeated.
export async function createCopy(c, template, name) {
  await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await c.query(`GRANT TEMP ON DATABASE ${name} TO cyberflag_app`);
}

async function names(c, pattern) {
  const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname ~ $1`, [pattern]);
  return rows.map((r) => r.datname);
}

// Keeps `keep` spare copies ready while the run lasts, so a spec file mostly renames one (milliseconds) rather than
// waiting for a copy. Runs in jest's main process; spec files claim spares through the server, so this works with
// --runInBand and with workers alike.
export function startSpareMaker(templateUrl, keep = 2) {
  const template = templateDatabaseName();
  let stopped = false;
  let wake = () => undefined;
  const run = async () => {
    const c = new pg.Client({ connectionString: adminUrlOf(templateUrl) });
    await c.connect();
    try {
      while (!stopped) {
        if ((await names(c, copyPattern(template, 's'))).length >= keep) {
          await new Promise((r) => setTimeout((wake = r), 100));
          continue;
        }
        const building = copyName(template, 'b');
        await createCopy(c, template, building);
        await c.query(`ALTER DATABASE ${building} RENAME TO ${copyName(template, 's')}`);
      }
    } finally {
      await c.end();
    }
  };
  const done = run().catch((e) => process.stderr.write(`[tests] spare database maker: ${e}\n`));
  return {
    stop: async () => {
      stopped = true;
      wake();
      await done;
    },
  };
}

// A database of its own for one spec file: a spare renamed, or a fresh copy when none is ready.
export async function claimDatabase(templateUrl) {
  const template = new URL(templateUrl).pathname.slice(1);
  const mine = copyName(template, 'f');
  const c = new pg.Client({ connectionString: adminUrlOf(templateUrl) });
  await c.connect();
  try {
    for (const spare of await names(c, copyPattern(template, 's'))) {
      const renamed = await c.query(`ALTER DATABASE ${spare} RENAME TO ${mine}`).then(
        () => true,
        () => false, // claimed by another worker meanwhile
      );
      if (renamed) return mine;
    }
    await createCopy(c, template, mine);
    return mine;
  } finally {
    await c.end();
  }
}

// Drops every copy of this run's template: spec files' databases and spares. Dropping them all together at the
// end costs about one checkpoint (PostgreSQL merges concurrent requests) rather than one per file.
export async function dropCopies(adminUrl) {
  const template = templateDatabaseName();
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  let all;
  try {
    all = await names(c, copyPattern(template, 'fsb'));
  } finally {
    await c.end();
  }
  await Promise.all(
    all.map(async (name) => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    }),
  );
}
