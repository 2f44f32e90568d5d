// ESLint (flat config). Type-aware rules catch what tsc does not: promises nobody awaits, promises passed where
// a callback's result is ignored, and switches that miss a case of a union. Formatting is Prettier's job
// (eslint-config-prettier turns off the stylistic rules). Lib boundaries (style.md §2.2.1) are import rules.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Nothing reaches into a lib's sources: a lib is used through its barrel (#libs/<name>, /core, /testing).
const LIB_INTERNALS = {
  regex: '^#libs/[^/]+/(?!(core|testing)$)',
  message: 'Import a lib through #libs/<name> (or /core, /testing), never its files.',
};
// Tests and benches use a lib's testing entry point, not its folders.
const RELATIVE_INTO_LIBS = {
  regex: '^(\\.\\./)+libs/',
  message:
    'Import a lib through #libs/<name> (or /core, /testing), never a relative path into libs/.',
};
const TESTING_ENTRY = {
  regex: '^#libs/[^/]+/testing$',
  message: 'Test support is for specs, tests and benches only.',
};

// A lib file `depth` folders below libs/<name>/src leaves its lib with depth + 2 `../` segments: another lib,
// apps/ or migrations/. (A relative import cannot be matched by target, so the rule counts segments.)
function leavesTheLib(depth) {
  return {
    regex: `^(\\.\\./){${depth + 2},}`,
    message:
      'A lib never imports another lib by path, apps/ or migrations/: use #libs/<name>, or have the app pass it in.',
  };
}
const restrict = (...patterns) => ['error', { patterns }];

const DEPTHS = [0, 1, 2, 3, 4, 5];
const below = (depth) => '*/'.repeat(depth);
// Lib code: the barrels only, never another lib's files or test support.
const libBlocks = DEPTHS.map((depth) => ({
  files: [`libs/*/src/${below(depth)}*.ts`],
  rules: { 'no-restricted-imports': restrict(LIB_INTERNALS, TESTING_ENTRY, leavesTheLib(depth)) },
}));
// Lib specs and test support may use other libs' testing entry points (later blocks win).
const libTestBlocks = DEPTHS.map((depth) => ({
  files: [
    `libs/*/src/${below(depth)}*.spec.ts`,
    `libs/*/src/${below(depth)}*.int-spec.ts`,
    ...(depth > 0 ? [`libs/*/src/testing/${below(depth - 1)}*.ts`] : []),
  ],
  rules: { 'no-restricted-imports': restrict(LIB_INTERNALS, leavesTheLib(depth)) },
}));

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'test-artifacts/**',
      // Browser assets (vendored GOV.UK and MoJ bundles, and our progressive-enhancement script), as for Prettier.
      'apps/api/web/public/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Fastify's reply is thenable (it can be awaited until sent), but calling its methods awaits nothing.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafePromises: [
            { from: 'package', name: 'FastifyReply', package: 'fastify' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // A default does not make a switch over a union exhaustive: a new member must be handled where it is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      // Not enabled (see README, "Lint and format"): the no-unsafe-* family (~610 sites, nearly all supertest's
      // `any` response bodies in tests), no-unnecessary-type-assertion (~310 harmless assertions, fixable with
      // --fix in one commit of its own), no-base-to-string and restrict-template-expressions (deliberate
      // String(unknown) in total formatting functions), require-await (async to honour a Promise-returning
      // interface).
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/require-await': 'off',
      // `let { age, sex } = …` where only age changes stays one declaration.
      'prefer-const': ['error', { destructuring: 'all' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'migrations/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(LIB_INTERNALS, RELATIVE_INTO_LIBS, TESTING_ENTRY) },
  },
  {
    files: ['apps/**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(LIB_INTERNALS, RELATIVE_INTO_LIBS) },
  },
  ...libBlocks,
  ...libTestBlocks,
  {
    // Plain JavaScript (configs, the jest global setup, scripts): no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        globalThis: 'readonly',
        require: 'readonly', // CommonJS (.cjs)
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
  prettier,
);
