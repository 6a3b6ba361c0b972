// One id per Jest run: every test key starts with `caselink-test-<run>-`, so the
// teardown checks this run's keys only (other runs may share the Redis meanwhile).
// The run's template databases are built here, once, unless only unit specs run
// (imported late: the app's modules take seconds to load).
import { randomBytes } from 'node:crypto';

export default async function globalSetup(globalConfig: { selectProjects?: string[] }): Promise<void> {
  process.env.CASELINK_TEST_RUN ??= randomBytes(3).toString('hex');
  const selected = globalConfig.selectProjects ?? [];
  if (selected.length > 0 && selected.every((p) => p === 'unit')) return;
  const { createTemplates } = await import('./templates');
  await createTemplates(process.env.CASELINK_TEST_RUN);
}
