// Longest suites first, so that the two workers finish together: by the time each took alone on
// the 2-core reference machine, which a clean clone knows too (Jest's own timing cache does not
// exist there, and its fallback, file size, starts the fault suites last). Suites not listed go
// after these, by Jest's cached time, else by file size. Refresh the list when a suite's time changes a lot.
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/** Milliseconds, measured alone (`npx jest <file>`, its Jest "Time"). */
const KNOWN_MS = {
  'test/fault-worker-kill.e2e-spec.ts': 9500,
  'test/fault-three-processes.e2e-spec.ts': 11400,
  'test/supervision.e2e-spec.ts': 11400,
  'test/user-lifecycle.e2e-spec.ts': 7000,
  'test/start-stop.e2e-spec.ts': 7700,
  'test/webhooks.e2e-spec.ts': 6400,
  'test/fault-db-connections.e2e-spec.ts': 5000,
  'test/referral-paths.e2e-spec.ts': 5000,
  'test/readme-walkthrough.e2e-spec.ts': 4100,
  'test/deadline-jobs.e2e-spec.ts': 4100,
  'test/operations.e2e-spec.ts': 3900,
  'test/scope-matrix.e2e-spec.ts': 3700,
  'test/fault-redis-flush.e2e-spec.ts': 3700,
  'test/notifications.e2e-spec.ts': 3600,
  'test/cli.e2e-spec.ts': 2500,
  'test/openapi-contract.e2e-spec.ts': 3000,
  'test/tamper.e2e-spec.ts': 2900,
};

class LongestFirst extends Sequencer {
  async sort(tests) {
    const fallback = await super.sort([...tests]); // Jest's order: cached time, else file size
    const known = (test) => KNOWN_MS[relative(test.context.config.rootDir, test.path).split('\\').join('/')];
    const listed = fallback.filter((t) => known(t) !== undefined).sort((a, b) => known(b) - known(a));
    return [...listed, ...fallback.filter((t) => known(t) === undefined)];
  }
}

module.exports = LongestFirst;
