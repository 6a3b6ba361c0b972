// Redis databases and keys of the test run. Suites share one Redis: every app gets
// a queue prefix `caselink-test-<run>-<suite>` and deletes its keys when it closes;
// a suite that flushes leases a database of its own (never db 0, never one in use).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { serversOf, type RedisConnection } from '../../src/redis/redis';

export const BASE_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEASE_TTL_SECONDS = 30 * 60;

/** The prefix every test key of this run starts with (the run id comes from the global setup). */
export function runKeyPrefix(): string {
  const run = process.env.CASELINK_TEST_RUN;
  return run ? `caselink-test-${run}-` : 'caselink-test-';
}

/** The Redis URL with its database index replaced; user, password, host, port and query are kept. */
export function redisUrlWithDatabase(base: string, db: number): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}

/** The database index a Redis URL selects (0 when it names none). */
export function databaseOf(redisUrl: string): number {
  const path = new URL(redisUrl).pathname.replace(/^\//, '');
  return path === '' ? 0 : Number(path);
}

/** Deletes every key that starts with `prefix` in the database `redis` is connected to (every master of a cluster); returns how many. */
export async function deleteKeys(redis: RedisConnection, prefix: string): Promise<number> {
  let deleted = 0;
  for (const server of serversOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
      cursor = next;
      // In a cluster the prefix carries the hash tag: these keys share one slot, so one UNLINK takes them all.
      if (keys.length > 0) deleted += await server.unlink(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

export interface RedisDatabaseLease {
  url: string;
  db: number;
  release(): Promise<void>;
}

// Deletes the lease only if it is still ours.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A Redis database no one else uses, for a suite that flushes it: leased with SET NX
 * in the base database (expires on its own if the run dies) and taken only if empty.
 */
export async function leaseRedisDatabase(base = BASE_REDIS_URL): Promise<RedisDatabaseLease> {
  const control = new Redis(base, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await control.connect();
  try {
    const [, count] = (await control.config('GET', 'databases').catch(() => ['databases', '16'])) as string[];
    const baseDb = databaseOf(base);
    const token = randomBytes(8).toString('hex');
    // From the top down: low numbers are the ones people pick by hand.
    for (let db = Number(count) - 1; db >= 1; db--) {
      if (db === baseDb) continue;
      const key = `caselink-testlease:${db}`;
      if ((await control.set(key, token, 'EX', LEASE_TTL_SECONDS, 'NX')) !== 'OK') continue;
      const url = redisUrlWithDatabase(base, db);
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await probe.connect();
      const size = await probe.dbsize().finally(() => probe.disconnect());
      if (size > 0) {
        await control.eval(RELEASE, 1, key, token);
        continue; // someone's data: not ours to flush
      }
      return {
        url,
        db,
        async release() {
          const c = new Redis(base, { lazyConnect: true, maxRetriesPerRequest: 1 });
          await c.connect();
          await c.eval(RELEASE, 1, key, token).finally(() => c.disconnect());
        },
      };
    }
    throw new Error(`no free Redis database to lease at ${base}: every one of 1..${Number(count) - 1} is leased or in use`);
  } finally {
    control.disconnect();
  }
}
