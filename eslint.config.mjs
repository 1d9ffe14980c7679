import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const deploymentOnly = [{ group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'The CDK is for lib/ and bin/ only.' }];
const outsideLambda = [
  { regex: '^(\\.\\./)+(lib|client|bin|local|scripts|test)/', message: 'lambda/ imports only lambda/ and contract/.' },
];

/**
 * One config block per folder. ESLint does not merge a rule's options across
 * blocks (the last block that matches a file wins), so a folder's block repeats
 * the patterns of its parent folder.
 */
function layerRules(patternsByFiles) {
  return Object.entries(patternsByFiles).map(([files, patterns]) => ({
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  }));
}

export default tseslint.config(
  // The Amplify examples are verbatim copies of the documentation (test/integration/amplify-examples.test.ts).
  { ignores: ['cdk.out/', '.local/', 'node_modules/', 'coverage/', '.bench/', 'client/dist/', 'test/integration/amplify-examples/'] },
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
  // The layers (README, "Layout"): contract/ imports nothing of the others; client/
  // only itself and the contract; lib/ names lambda/ entry files by path and never
  // imports them; within lambda/, core/ takes facts and returns decisions (no SDK,
  // HTTP or configuration), and the HTTP adapter knows no handler.
  // test/lint/import-layers.test.ts proves each rule catches what it forbids.
  ...layerRules({
    'contract/**/*.ts': [
      { regex: '^(?!\\./)', message: 'contract/ imports only contract/: every side imports it, so it imports none of them.' },
    ],
    'client/**/*.ts': [
      {
        regex: '^(?!\\./|\\.\\./contract/)',
        message: 'client/ imports only client/ and contract/: the packed client must bundle on its own.',
      },
    ],
    'lib/**/*.ts': [{ regex: '(^|/)lambda(/|$)', message: 'lib/ names lambda/ entry files by path; it never imports them.' }],
    'lambda/**/*.ts': [...deploymentOnly, ...outsideLambda],
    'lambda/core/**/*.ts': [
      ...deploymentOnly,
      ...outsideLambda,
      {
        group: ['@aws-sdk/*', '@middy/*', 'node:http', 'node:https', 'aws-lambda'],
        message: 'lambda/core/ stays free of the SDK and HTTP: facts in, decisions out.',
      },
      { regex: '^\\.\\./(services|http|api|triggers|config)/', message: 'lambda/core/ imports only core/ and contract/.' },
    ],
    'lambda/http/**/*.ts': [
      ...deploymentOnly,
      ...outsideLambda,
      { regex: '^\\.\\./(api|triggers)/', message: 'lambda/http/ is the adapter every handler uses; it imports no handler.' },
    ],
    'lambda/services/**/*.ts': [
      ...deploymentOnly,
      ...outsideLambda,
      { regex: '^\\.\\./(http|api|triggers)/', message: 'lambda/services/ talk to AWS; they know neither HTTP nor handlers.' },
    ],
  }),
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
