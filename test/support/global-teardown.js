export default async function globalTeardown() {
  const db = globalThis.__embeddedDb;
  globalThis.__embeddedDb = undefined;
  if (db) await db.stop();
}
