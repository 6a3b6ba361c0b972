// Unit specs (beside the code), e2e specs and fault specs (test/), as three projects:
// `npx jest` runs them all, `npx jest --selectProjects unit` (or e2e, fault) one of them.
// The browser suites (test/browser/) run after these, one at a time (jest.browser.config.js,
// which spreads this config without its projects): Chromium and the service under it need
// the machine's cores to themselves.
// The global setup builds the run's template databases once (test/support/templates.ts);
// every e2e suite clones one and uses its own queue prefix; the global teardown drops the
// templates and fails the run if a suite left Redis keys of this run behind.
const project = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
// The three projects run through the suite runner (test/support/runner/): three long-lived workers, each
// loading the framework once rather than once per file. A third worker pays on two cores because a suite
// mostly waits on PostgreSQL, Redis and its child processes (measured: 47 s against 49–50 s with two).
const RUNNER = '<rootDir>/test/support/runner/index.js';
// Suites that kill or flush what the service runs on: worker processes, connections, Redis, the embedded PostgreSQL.
const FAULT = ['<rootDir>/test/fault-*.e2e-spec.ts', '<rootDir>/test/start-stop.e2e-spec.ts'];

/** @type {import('jest').Config} */
module.exports = {
  ...project,
  rootDir: '.',
  testTimeout: 60000,
  maxWorkers: 3,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    { ...project, runner: RUNNER, displayName: 'unit', testMatch: ['<rootDir>/{src,workflows}/**/*.spec.ts'] },
    {
      ...project,
      runner: RUNNER,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fault-', '<rootDir>/test/start-stop\\.'],
    },
    { ...project, runner: RUNNER, displayName: 'fault', testMatch: FAULT },
  ],
};
