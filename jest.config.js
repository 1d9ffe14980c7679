/**
 * Jest runs in its default CommonJS mode; ts-jest compiles TypeScript (transpile
 * only: `npm run typecheck` is the type check) and also the few ESM-only
 * packages the code and the emulators load: Middy and the hash/encoding
 * libraries cognito-local's TOTP code uses. See README, "Development". Middy 7's
 * packages export only an `import` condition, which Jest's CommonJS resolver
 * does not match, so their entries are mapped by path.
 */
const esmOnlyPackages = ['@middy', '@scure', '@noble'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/environment.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/log-capture.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
    // client/ and contract/ name their relative imports' `.js` files, as Node.js ESM and the
    // packed client's NodeNext consumers need; in the sources those files are `.ts`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
};
