import type { DataSource } from 'typeorm';

// Explicit, logged migration run (on app start and from the CLI); one transaction per migration.
export async function migrateDatabase(
  ds: DataSource,
  log: (line: string) => void,
): Promise<string[]> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  for (const m of ran) log(`migration applied: ${m.name}`);
  if (ran.length === 0) log('database schema is up to date');
  return ran.map((m) => m.name);
}
