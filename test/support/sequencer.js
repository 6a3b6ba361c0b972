// Longest suites first, so that the workers finish together: by the time each took in a full run on
// the 2-core reference machine, which a clean clone knows too (Jest's own timing cache does not
// exist there, and its fallback, file size, starts the fault suites last). Suites not listed go
// after these, by Jest's cached time, else by file size. Refresh the list when a suite's time changes a lot.
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Milliseconds each suite took in one full run on the reference machine (`npx jest --json`, endTime − startTime,
 * three workers of the suite runner), 1.5 s and more; the rest are short enough to fill the gaps in any order.
 */
const KNOWN_MS = {
  'test/bench-smoke.e2e-spec.ts': 70300,
  'test/parties.e2e-spec.ts': 38200,
  'test/fault-three-processes.e2e-spec.ts': 15100,
  'test/supervision.e2e-spec.ts': 11600,
  'test/fault-worker-kill.e2e-spec.ts': 9400,
  'test/start-stop.e2e-spec.ts': 9300,
  'test/campaigns.e2e-spec.ts': 7700,
  'test/scope-matrix.e2e-spec.ts': 7400,
  'test/user-lifecycle.e2e-spec.ts': 6500,
  'test/fault-redis-cluster.e2e-spec.ts': 6200,
  'test/webhooks.e2e-spec.ts': 6200,
  'test/no-server-errors.e2e-spec.ts': 4300,
  'test/fault-read-replica.e2e-spec.ts': 3800,
  'test/readme-walkthrough.e2e-spec.ts': 3700,
  'test/case-groups.e2e-spec.ts': 3500,
  'test/referral-paths.e2e-spec.ts': 3300,
  'test/tamper.e2e-spec.ts': 3300,
  'test/cli.e2e-spec.ts': 3100,
  'test/deadline-jobs.e2e-spec.ts': 3100,
  'test/fault-redis-flush.e2e-spec.ts': 2900,
  'test/attachments.e2e-spec.ts': 2900,
  'test/fault-db-connections.e2e-spec.ts': 2800,
  'test/directory-and-ops.e2e-spec.ts': 2600,
  'test/suite-runner.e2e-spec.ts': 2600,
  'test/notifications.e2e-spec.ts': 2500,
  'test/openapi-contract.e2e-spec.ts': 2500,
  'test/operations.e2e-spec.ts': 2500,
  'test/reverse-transfers.e2e-spec.ts': 2500,
  'test/hardening.e2e-spec.ts': 2000,
  'test/provisional-calendar.e2e-spec.ts': 2000,
  'test/concurrency.e2e-spec.ts': 2000,
  'workflows/referral/referral.machine.spec.ts': 2000,
  'test/bad-input.e2e-spec.ts': 1900,
  'test/jurisdiction.e2e-spec.ts': 1900,
  'test/admin-cases.e2e-spec.ts': 1800,
  'test/listed-supervision.e2e-spec.ts': 1800,
  'test/recommendations.e2e-spec.ts': 1700,
  'test/metrics.e2e-spec.ts': 1500,
  'test/linkage-figures.e2e-spec.ts': 1500,
  'test/api-schema.e2e-spec.ts': 1500,
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
