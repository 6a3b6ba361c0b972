// Fails the run if any suite left keys of this run in any Redis database (db 0 and
// the databases suites leased): every app deletes its queue prefix when it closes.
// The keys found are deleted after being reported, so the next run starts clean.
// The run's template databases are dropped first, and so is any database of the run a suite
// did not drop (marked by createDatabase), which fails the run too.
import { Redis } from 'ioredis';
import { BASE_REDIS_URL, deleteKeys, redisUrlWithDatabase, runKeyPrefix } from './redis-db';
import { dropLeftovers, dropTemplates } from './databases';

export default async function globalTeardown(): Promise<void> {
  const run = process.env.CASELINK_TEST_RUN;
  const databases = run ? await dropLeftovers(run) : [];
  if (run) await dropTemplates(run);
  const prefix = runKeyPrefix();
  const control = new Redis(BASE_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await control.connect();
  const [, count] = (await control.config('GET', 'databases').catch(() => ['databases', '16'])) as string[];
  control.disconnect();
  const left: string[] = [];
  for (let db = 0; db < Number(count); db++) {
    const redis = new Redis(redisUrlWithDatabase(BASE_REDIS_URL, db), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      if (keys.length > 0) {
        const prefixes = [...new Set(keys.map((k) => k.split(':')[0]))];
        left.push(`db ${db}: ${keys.length} keys of ${prefixes.join(', ')} (e.g. ${keys.slice(0, 3).join(', ')})`);
        await deleteKeys(redis, prefix);
      }
    } finally {
      redis.disconnect();
    }
  }
  if (databases.length > 0) left.push(`PostgreSQL: ${databases.length} databases (${databases.join(', ')})`);
  if (left.length > 0) throw new Error(`test suites left Redis keys or databases behind (now removed):\n  ${left.join('\n  ')}`);
}
