import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp, httpAdapter } from '../../apps/api/src/configure-app.js';
import type { AuthConfig } from '#libs/auth';
import type { PublicationConfig } from '#libs/national';
import type { AccessLogChainConfig } from '#libs/access-log';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'TEST_DATABASE_URL is not set: run the tests through jest (global setup prepares the database)',
    );
  return url;
}

// The app's own login role (global setup provisions it): what createTestApp and spawned commands connect as.
export function testAppDatabaseUrl(): string {
  const url = process.env.TEST_APP_DATABASE_URL;
  if (!url)
    throw new Error(
      'TEST_APP_DATABASE_URL is not set: run the tests through jest (global setup prepares the database)',
    );
  return url;
}

// The key and checkpoint folder global setup made for this run (also in ACCESS_LOG_KEY / ACCESS_LOG_CHECKPOINT_DIR,
// so the CLI run in-process or as a child process checks the chain with the same key).
export function testAccessLogChain(): AccessLogChainConfig {
  const key = process.env.ACCESS_LOG_KEY;
  const dir = process.env.ACCESS_LOG_CHECKPOINT_DIR;
  if (!key || !dir) throw new Error('ACCESS_LOG_KEY is not set: run the tests through jest');
  return { key: Buffer.from(key, 'utf8'), checkpointDir: dir };
}

export function testAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    jwtSecret: randomBytes(32).toString('base64url'),
    accessTtlSeconds: 900,
    refreshTtlSeconds: 3600,
    maxFailedLogins: 5,
    lockoutSeconds: 900,
    sessionCacheMs: 5000, // as production runs: every e2e spec goes through the session cache
    ...overrides,
  };
}

// The real AppModule and the same configureApp as main.ts: only the database URL and secrets differ.
export async function createTestApp(
  opts: {
    auth?: AuthConfig;
    logger?: LoggerService;
    authRequestsPerMinute?: number;
    databaseUrl?: string;
    poolTimeoutMs?: number;
    publication?: Partial<PublicationConfig>;
    accessLog?: AccessLogChainConfig & { sealIntervalMs?: number };
  } = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.register({
        databaseUrl: opts.databaseUrl ?? testAppDatabaseUrl(),
        poolSize: 4,
        poolTimeoutMs: opts.poolTimeoutMs,
        auth: opts.auth ?? testAuthConfig(),
        publication: opts.publication,
        accessLog: opts.accessLog ?? testAccessLogChain(),
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(), {
    logger: opts.logger ?? ['error'],
  });
  // Tests log many personas in from one address; the limiter itself has its own test.
  configureApp(app, { authRequestsPerMinute: opts.authRequestsPerMinute ?? 1000 });
  await app.init();
  await app.getHttpAdapter().getInstance().ready(); // supertest calls the server without listen()
  return app;
}
