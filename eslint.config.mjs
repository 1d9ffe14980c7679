import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The Amplify examples are verbatim copies of the documentation (test/integration/amplify-examples.test.ts).
  { ignores: ['cdk.out/', 'node_modules/', 'coverage/', '.bench/', 'test/integration/amplify-examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['lambda/**/*.ts', 'client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'] }] },
  },
  {
    files: ['lambda/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', '../services/*', '../http/*', '../api/*', '../triggers/*', 'aws-cdk-lib', 'aws-cdk-lib/*'] },
      ],
    },
  },
  {
    // `expect.any()` and friends are typed `any` by design.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly' } },
  },
);
