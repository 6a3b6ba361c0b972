// The browser suites: Chromium driving the console against a real service, one suite at a time.
const base = { ...require('./jest.config') };
delete base.projects; // the unit, e2e and fault projects are not these

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  setupFilesAfterEnv: ['<rootDir>/test/browser/retry.setup.ts'],
};
