// Test support (`#libs/persistence/testing`): the test databases' URLs that jest's global setup publishes, for
// specs that connect without the app. Never imported by production code, and left out of the production build.
function fromEnv(name: 'TEST_DATABASE_URL' | 'TEST_APP_DATABASE_URL'): string {
  const u = process.env[name];
  if (!u) throw new Error(`${name} is not set`);
  return u;
}
// The owner's connection (this spec file's own database).
export const testOwnerUrl = (): string => fromEnv('TEST_DATABASE_URL');
// The application role's connection, under row-level security.
export const testAppUrl = (): string => fromEnv('TEST_APP_DATABASE_URL');
