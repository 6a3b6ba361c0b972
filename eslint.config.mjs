// Lint: typescript-eslint's recommended rules, no import cycles, and the
// architecture as rules: only the engine and the procedures know XState, and
// the procedures (workflows/) know nothing of Nest or of the service (src/).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      '.data/**',
      'node_modules/**',
      'web/dist/**',
      'bench/results/**',
      'web/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Rows from raw SQL and parsed JSON are typed where they are mapped; `any` stays visible in review.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['xstate', 'xstate/*'], message: 'Only src/workflow-engine/ and workflows/ use XState.' }] },
      ],
    },
  },
  {
    files: ['src/workflow-engine/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src/**', '../src', '../../src'], message: 'workflows/ is pure: it imports nothing from src/.' },
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq'],
              message: 'workflows/ is pure: no Nest, database or queue.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console runs in the browser and resolves imports as Vite does (web/tsconfig.json).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['web/tsconfig.json'] })] },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' }, // CommonJS config files
  },
  prettier,
);
