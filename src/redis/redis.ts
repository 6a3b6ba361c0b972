// One ioredis connection for readiness checks (and, later, the queues). Start-up
// refuses to go on without Redis, with one line that says how to get one.
import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 1000 });
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
  return redis;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
