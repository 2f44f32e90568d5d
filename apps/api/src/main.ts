import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { resolveDatabase } from './config/database-url.js';
import { loadEnv } from './config/env.js';
import { prepareDatabase } from './database/prepare-database.js';

const env = loadEnv();
const logger = new ConsoleLogger('Cyberflag', { json: env.LOG_FORMAT === 'json' });
const db = await resolveDatabase(env, (l) => logger.log(l, 'Database'));
logger.log(db.kind === 'embedded' ? `using embedded PostgreSQL (data in ${env.DATA_DIR})` : 'using DATABASE_URL', 'Database');
try {
  await prepareDatabase(db.url, (l) => logger.log(l, 'Migrations'));
} catch (e) {
  await db.stop();
  throw e;
}
const app = await NestFactory.create(AppModule.register({ databaseUrl: db.url, poolSize: env.DB_POOL_SIZE }), { logger });
configureApp(app);
await app.listen(env.PORT);
logger.log(`listening on http://localhost:${env.PORT} (API docs at /api/docs)`);

// Close HTTP and the pool first, then stop an embedded server, so no data is lost on Ctrl-C.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.log(`${signal}: shutting down`);
    void app
      .close()
      .then(() => db.stop())
      .finally(() => process.exit(0));
  });
}
