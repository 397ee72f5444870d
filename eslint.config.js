import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bin/**']},
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-console': 'error',
    },
  },
  {
    // CommonJS on purpose: the slim SDK bundle's entry and the benchmark's --require preload.
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*'],
    rules: {'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off'},
  },
  {
    // Tests load the sources one way only (ESM import): a require() of a source file loads a second,
    // CommonJS copy of it under tsx, with its own classes, and c8 merges the two into wrong numbers.
    files: ['test/**/*.ts'],
    // Allowed where a CommonJS package itself is loaded (the Okta SDK, its slim bundle), not a source file.
    ignores: [
      'test/unit/sandbox/system-log.test.ts',
      'test/unit/scripts/bundle-sdk.test.ts',
      'test/e2e/sdk-bundle.test.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          message: 'Import sources with import(), not createRequire(): see eslint.config.js',
          selector: "CallExpression[callee.name='createRequire']",
        },
      ],
    },
  },
)
