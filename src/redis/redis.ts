// One ioredis connection for readiness checks (and, later, the queues). Start-up
// refuses to go on without Redis, with one line that says how to get one.
import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');

export async function connectRedis(url: string, options: { skipEvictionCheck?: boolean } = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => 1000,
  });
  redis.on('error', () => undefined); // reported through readiness and failing commands, not as crashes
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${redactUrl(url)} (${(e as Error).message}). Start one with "docker compose up -d redis" or your system package (redis-server), or set REDIS_URL.`,
    );
  }
  if (!options.skipEvictionCheck) await refuseEvictingRedis(redis);
  return redis;
}

/** Queued jobs are triggers the sweeper can rebuild, but an evicting Redis would drop them silently all the time. */
async function refuseEvictingRedis(redis: Redis): Promise<void> {
  let policy: string | undefined;
  try {
    policy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1];
  } catch (e) {
    redis.disconnect();
    throw new Error(
      `Cannot read Redis maxmemory-policy (${(e as Error).message}); on a managed Redis that hides CONFIG, make sure it is noeviction and set REDIS_SKIP_EVICTION_CHECK=true.`,
    );
  }
  if (policy !== 'noeviction') {
    redis.disconnect();
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; CaseLink needs "noeviction" (redis-cli CONFIG SET maxmemory-policy noeviction), or set REDIS_SKIP_EVICTION_CHECK=true if you are sure.`,
    );
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
