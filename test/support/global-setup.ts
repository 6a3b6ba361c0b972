// One id per Jest run: every test key starts with `caselink-test-<run>-`, so the
// teardown checks this run's keys only (other runs may share the Redis meanwhile).
import { randomBytes } from 'node:crypto';

export default function globalSetup(): void {
  process.env.CASELINK_TEST_RUN ??= randomBytes(3).toString('hex');
}
