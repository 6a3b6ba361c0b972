// Longest suites first, so that the two workers finish together: by the time each took in a full run on
// the 2-core reference machine, which a clean clone knows too (Jest's own timing cache does not
// exist there, and its fallback, file size, starts the fault suites last). Suites not listed go
// after these, by Jest's cached time, else by file size. Refresh the list when a suite's time changes a lot.
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Milliseconds each suite took in one full run on the reference machine (`npx jest --json`, endTime − startTime,
 * two workers), 1.5 s and more; the rest are short enough to fill the gaps in any order.
 */
const KNOWN_MS = {
  'test/bench-smoke.e2e-spec.ts': 56100,
  'test/parties.e2e-spec.ts': 17600,
  'test/supervision.e2e-spec.ts': 15100,
  'test/fault-three-processes.e2e-spec.ts': 11700,
  'test/fault-worker-kill.e2e-spec.ts': 10400,
  'test/campaigns.e2e-spec.ts': 9600,
  'test/fault-redis-cluster.e2e-spec.ts': 7400,
  'test/user-lifecycle.e2e-spec.ts': 7300,
  'test/webhooks.e2e-spec.ts': 7200,
  'test/start-stop.e2e-spec.ts': 6900,
  'test/scope-matrix.e2e-spec.ts': 6500,
  'test/notifications.e2e-spec.ts': 4200,
  'test/referral-paths.e2e-spec.ts': 3800,
  'test/openapi-contract.e2e-spec.ts': 3700,
  'test/fault-redis-flush.e2e-spec.ts': 3600,
  'test/cli.e2e-spec.ts': 3600,
  'test/fault-read-replica.e2e-spec.ts': 3600,
  'test/operations.e2e-spec.ts': 3500,
  'test/hardening.e2e-spec.ts': 3300,
  'test/smoke.e2e-spec.ts': 3100,
  'test/tamper.e2e-spec.ts': 3000,
  'test/metrics.e2e-spec.ts': 3000,
  'test/provisional-calendar.e2e-spec.ts': 3000,
  'test/fault-db-connections.e2e-spec.ts': 2800,
  'test/deadline-jobs.e2e-spec.ts': 2800,
  'test/readme-walkthrough.e2e-spec.ts': 2700,
  'test/reverse-transfers.e2e-spec.ts': 2700,
  'test/case-groups.e2e-spec.ts': 2700,
  'test/no-server-errors.e2e-spec.ts': 2700,
  'test/attachments.e2e-spec.ts': 2700,
  'test/concurrency.e2e-spec.ts': 2700,
  'test/admin-cases.e2e-spec.ts': 2600,
  'test/directory-and-ops.e2e-spec.ts': 2600,
  'test/recommendations.e2e-spec.ts': 2400,
  'test/bad-input.e2e-spec.ts': 2400,
  'test/api-keys.e2e-spec.ts': 2300,
  'test/breach-journey.e2e-spec.ts': 2300,
  'test/api-caching.e2e-spec.ts': 1900,
  'test/listed-supervision.e2e-spec.ts': 1900,
  'test/refusal-order.e2e-spec.ts': 1900,
  'test/deadline-clock.e2e-spec.ts': 1900,
  'test/jurisdiction.e2e-spec.ts': 1800,
  'workflows/referral/referral.machine.spec.ts': 1800,
  'test/linkage-figures.e2e-spec.ts': 1700,
  'test/screening-rules.e2e-spec.ts': 1700,
  'test/console-serving.e2e-spec.ts': 1700,
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
