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
// Only the database-backed projects prepare the template database, and give each spec file a copy of it.
const database = {
  setupFilesAfterEnv: ['<rootDir>/test/support/per-file-database.ts'],
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
  resolver: '<rootDir>/test/support/esm-only-resolver.cjs',
};
export default {
  ...common,
  testSequencer: '<rootDir>/test/support/file-order-sequencer.js',
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
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
    // Fault tests that start the built app as processes (tens of seconds each): `npm run test:faults`, from .ci/run.
    ...(process.env.FAULT_TESTS === '1'
      ? [
          {
            ...common,
            ...database,
            displayName: 'faults',
            testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
            testTimeout: 240000,
          },
        ]
      : []),
  ],
};
