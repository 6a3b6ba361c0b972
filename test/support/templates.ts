// This run's template databases, made once by the global setup so that suites clone
// them (CREATE DATABASE … TEMPLATE, a file copy) instead of migrating, seeding and
// hashing passwords each: `caselink_tpl_<run>` is what the app makes of an empty
// database at boot (migrations, shipped calendars, admin); `caselink_tpl_<run>_world`
// is the same with world.ts's agencies and users, created through the API as buildWorld
// always did. The two are built at once, each from an empty database.
// Both are closed to connections once built, so no stray session blocks a clone.
import { dropTemplates, TEMPLATE_ENV, templateNames, withServer } from './databases';
import { createTestApp } from './test-app';
import { buildWorldThroughApi } from './world';

async function createEmpty(name: string): Promise<void> {
  await withServer((c) => c.query(`CREATE DATABASE ${name}`));
}

async function seal(name: string): Promise<void> {
  await withServer((c) => c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
}

/** Builds both templates and sets TEMPLATE_ENV for the workers; on failure nothing is left behind. */
export async function createTemplates(run: string): Promise<void> {
  const names = templateNames(run);
  try {
    // Both from an empty database at once: each app migrates and seeds its own (as at any first boot).
    await Promise.all([createEmpty(names.bare), createEmpty(names.world)]);
    await Promise.all([
      (async () => {
        const bare = await createTestApp({}, { databaseName: names.bare });
        await bare.close();
        await seal(names.bare);
      })(),
      (async () => {
        const world = await createTestApp({}, { databaseName: names.world });
        try {
          await buildWorldThroughApi(world, { logins: false });
        } finally {
          await world.close();
        }
        await seal(names.world);
      })(),
    ]);
  } catch (e) {
    await dropTemplates(run);
    throw e;
  }
  process.env[TEMPLATE_ENV.bare] = names.bare;
  process.env[TEMPLATE_ENV.world] = names.world;
}
