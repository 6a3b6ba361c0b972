// Unit specs (beside the code) and e2e/fault specs (test/). The browser suites
// (test/browser/) run after these, one at a time (jest.browser.config.js):
// Chromium and the service under it need the machine's cores to themselves.
// Suites that need PostgreSQL/Redis create their own database and queue prefix;
// the global teardown fails the run if a suite left Redis keys of this run behind.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{src,workflows}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  testTimeout: 60000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
