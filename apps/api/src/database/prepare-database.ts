import { DataSource } from 'typeorm';
import { Catalogue, syncCatalogue } from '#libs/catalogue';
import { migrateDatabase, provisionAppLogin, typeormOptions } from '#libs/persistence';
import { ALL_MIGRATIONS } from '../../../../migrations/index.js';

// Explicit start-up step, as the owner: apply pending migrations (logged), refresh the reference catalogue, then
// set up the app's login role (appLogin; with a password: create or update it; without: grant it the app's rights).
export async function prepareDatabase(
  url: string,
  log: (line: string) => void,
  appLogin?: { user: string; password?: string },
): Promise<void> {
  const ds = new DataSource(typeormOptions({ url, poolSize: 2, migrations: ALL_MIGRATIONS }));
  await ds.initialize();
  try {
    await migrateDatabase(ds, log);
    await ds.transaction((em) => syncCatalogue(em, new Catalogue()));
    log('reference catalogue synchronised');
  } finally {
    await ds.destroy();
  }
  if (appLogin) await provisionAppLogin(url, appLogin);
}
