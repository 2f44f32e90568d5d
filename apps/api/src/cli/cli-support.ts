import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { DataSource } from 'typeorm';
import type { Actor, RequestContext, Role } from '#libs/auth';
import { typeormOptions } from '#libs/persistence';
import { AppModule } from '../app.module.js';
import { authConfig } from '../config/auth-config.js';
import { resolveDatabase, type ResolvedDatabase } from '../config/database-url.js';
import { loadEnv, type Env } from '../config/env.js';
import { accessLogChain, jwtSecret } from '../config/secrets.js';
import { prepareDatabase } from '../database/prepare-database.js';

export type Out = (line: string) => void;
export type Command = (args: string[], out: Out) => Promise<number>;

// Which database a command uses, on stderr so it never mixes with output piped from stdout: the running app's
// embedded server, or a stale DATA_DIR/embedded-server.json that was ignored. PostgreSQL's own chatter is dropped.
export function commandDatabase(env: Env): Promise<ResolvedDatabase> {
  return resolveDatabase(env, 'command', (l) => {
    if (/^(using the embedded|ignoring )/.test(l)) process.stderr.write(`cyberflag: ${l}\n`);
  });
}

// A plain DataSource as the schema owner: for commands below the service layer (migrations, users, audit).
export async function withDatabase<T>(work: (ds: DataSource) => Promise<T>): Promise<T> {
  const env = loadEnv();
  const db = await commandDatabase(env);
  try {
    await prepareDatabase(db.url, () => undefined);
    const ds = new DataSource(typeormOptions({ url: db.url, poolSize: 2 }));
    await ds.initialize();
    try {
      return await work(ds);
    } finally {
      await ds.destroy();
    }
  } finally {
    await db.stop();
  }
}

// The whole application without HTTP: commands use the same services (rules, scoping, access log) as the API.
export async function withApp<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const env = loadEnv();
  const db = await commandDatabase(env);
  try {
    await prepareDatabase(db.url, () => undefined, db.appLogin);
    // No HTTP here: no passport strategies (see AuthConfig.passportStrategies).
    const auth = {
      ...authConfig(
        env,
        jwtSecret(env, db.kind === 'embedded', () => undefined),
      ),
      passportStrategies: false,
      sessionCacheMs: 0, // serves no requests: no listener connection
    };
    const app = await NestFactory.createApplicationContext(
      AppModule.register({
        databaseUrl: db.appUrl,
        poolSize: 4,
        auth,
        publication: { minCoverage: env.PUBLICATION_MIN_COVERAGE },
        // No background sealer: the app seals what the command logged when it closes.
        accessLog: { ...accessLogChain(env, () => undefined), sealIntervalMs: 0 },
      }),
      {
        logger: ['error'],
      },
    );
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  } finally {
    await db.stop();
  }
}

// The operator at the terminal: named after the OS user so the access log says who ran the command.
export function cliContext(
  roles: Role[],
  forces: string[] | 'all',
  command: string,
  purpose: string | null = null,
): RequestContext {
  const actor: Actor = {
    userId: `cli:${userInfo().username}`,
    displayName: `command line (${userInfo().username})`,
    roles,
    forces,
  };
  return { actor, requestId: null, route: `CLI ${command}`, purpose };
}
