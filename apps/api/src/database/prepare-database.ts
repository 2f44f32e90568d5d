import { DataSource } from 'typeorm';
import { Catalogue, syncCatalogue } from '#libs/catalogue';
import { migrateDatabase, typeormOptions } from '#libs/persistence';
import { ALL_MIGRATIONS } from '../../../../migrations/index.js';

// Explicit start-up step: apply pending migrations (logged), then refresh the reference catalogue.
export async function prepareDatabase(url: string, log: (line: string) => void): Promise<void> {
  const ds = new DataSource(typeormOptions({ url, poolSize: 2, migrations: ALL_MIGRATIONS }));
  await ds.initialize();
  try {
    await migrateDatabase(ds, log);
    await ds.transaction((em) => syncCatalogue(em, new Catalogue()));
    log('reference catalogue synchronised');
  } finally {
    await ds.destroy();
  }
}
