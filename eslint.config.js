// Lint also enforces where code may run: electron/core is plain Node (never electron),
// renderer/ is browser-only (never Node built-ins). See shared/STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'renderer/dist/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core must run in plain Node: receive desktop services as interfaces.' }],
        patterns: [{ group: ['electron/*', '**/electron/main/**', '**/main/**', '../main/*', '../../main/*'], message: 'electron/core must not depend on the Electron shell.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'The renderer talks to the host only through the API client.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser sandbox: no Node built-ins.' })),
        ],
        patterns: [{ regex: 'electron/core/(?!(api|errors|config/backrest-schema)\\.js$|i18n/)', message: 'The renderer may only import the shared contract and messages from the core.' }],
      }],
    },
  },
);
