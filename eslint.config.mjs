// eslint: the usual TypeScript rules over the extension, its tests, the emulator and the bench. Formatting is prettier's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', '.vscode-test/', 'test-results/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `typeof import('./app')` types a lazy require(): the activation split depends on it.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // require() is how this code loads a module at first use (dist/app.js, the credentials library, fixtures).
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A handle declared before the closure that reads it, and set after: const cannot say that.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='describe'][property.name='only']", message: 'No .only in a test.' },
        { selector: "MemberExpression[object.name='it'][property.name='only']", message: 'No .only in a test.' },
      ],
    },
  },
  {
    // Notifications go through base/notify.ts, which makes link syntax in quoted text inert.
    files: ['src/**/*.ts'],
    ignores: ['src/base/notify.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^show(Information|Warning|Error)Message$/]',
          message: 'Show notifications through src/base/notify.ts (showInformation, showWarning, showError).',
        },
      ],
    },
  },
  {
    // zod and the schemas load at their first use, not with dist/app.js: values come through api/wireSchemas.ts and
    // the lazy require of export/dataApi.ts; a value import would load them with the bundle again.
    files: ['src/**/*.ts'],
    ignores: ['src/api/wireSchemas.ts', 'src/api/schemas.ts', 'src/export/answerSchemas.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^zod(/|$)|(^|/)api/schemas$|^\\./schemas$|^\\./answerSchemas$',
              allowTypeImports: true,
              message: 'Import types only: zod and the schemas load at first use (src/api/wireSchemas.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['media/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
  },
);
