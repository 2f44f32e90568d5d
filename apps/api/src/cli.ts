import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { resolveDatabase } from './config/database-url.js';
import { loadEnv } from './config/env.js';
import { prepareDatabase } from './database/prepare-database.js';

// `cyberflag <command>`: operational commands that share the app's config and database resolution.
const USAGE = `usage: cyberflag <command>
  migrate     apply pending migrations and refresh the reference catalogue`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [command] = positionals;
  const log = (l: string) => process.stdout.write(`${l}\n`);
  switch (command) {
    case 'migrate': {
      const env = loadEnv();
      const db = await resolveDatabase(env, () => undefined);
      try {
        await prepareDatabase(db.url, log);
      } finally {
        await db.stop();
      }
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
