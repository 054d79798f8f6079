// ESLint flat config: typescript-eslint's type-checked recommended rules for the TypeScript sources
// (src, test, ormconfig.ts, through tsconfig.json), the plain recommended rules for the JavaScript
// scripts (bench, runners). Formatting is prettier's job (`prettier --check` in `npm run lint`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-test*/**',
      'node_modules/**',
      'coverage/**',
      'bench/results/**',
      '.tools/**',
      '.build-*/**',
      'newman/**',
      'data/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it/before/after return promises that the runner itself tracks; every
      // other promise must be awaited, returned or explicitly voided.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // Type-only imports stay `import type` so that what an import brings at run time is visible;
      // the rule leaves decorated files' constructor parameter types alone (emitDecoratorMetadata needs them).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      // Same convention as tsc's noUnusedParameters: a leading underscore marks a deliberately unused name.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // A caught value is passed on as it is, as `throw` would (only-throw-error allows it too).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Tests read wire JSON: supertest types a response body as `any` (so do JSON.parse and the
    // database driver's rows), and a test's assertions are what check its shape. The no-unsafe-*
    // rules would ask for a cast at each of about a thousand reads; they stay on for the server.
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The server logs through its logger (src/common/log); only the CLI writes to the console.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { eqeqeq: ['error', 'always'] },
  },
);
