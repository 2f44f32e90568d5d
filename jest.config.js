// One jest config, three projects: unit (pure, no database), int (real PostgreSQL), e2e (AppModule over HTTP).
// ESM: NestJS 12 is ESM-only, so jest runs with --experimental-vm-modules and @swc/jest
// (which keeps decorator metadata; type checking is done by `tsc --noEmit` in `npm test`).
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        // keep `with { type: 'json' }` on JSON imports (the catalogue data)
        experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false },
      },
      module: { type: 'es6' },
    },
  ],
};
// Only the database-backed projects start and prepare the test database.
const database = {
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};
const common = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#libs/([^/]+)/core$': '<rootDir>/libs/$1/src/core.ts',
    '^#libs/([^/]+)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform,
};
export default {
  ...common,
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
      ],
    },
    {
      ...common,
      ...database,
      displayName: 'int',
      testMatch: ['<rootDir>/libs/**/*.int-spec.ts', '<rootDir>/migrations/**/*.int-spec.ts'],
    },
    { ...common, ...database, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
