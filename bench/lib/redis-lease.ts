// A Redis database index of the bench's own, for benchmarks that FLUSHDB: the first of 1–15 that is empty, claimed
// with a lease key (SET NX, so two benches never take the same one; the key makes the database non-empty for others).
// `release()` flushes the database if the lease is still ours and returns it empty.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { benchKeyPrefix } from './service';

export interface RedisLease {
  db: number;
  url: string;
  /** A connection to the leased database (closed by release()). */
  redis: Redis;
  /** Sets the lease key again (after a FLUSHDB). */
  renew(): Promise<void>;
  release(): Promise<void>;
}

export async function leaseRedisDb(baseUrl: string, ttlSeconds = 3600): Promise<RedisLease> {
  // Named like every key of this bench run, so the runner's leftover check would see one left behind.
  const LEASE_KEY = `${benchKeyPrefix()}lease`;
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  for (let db = 1; db <= 15; db++) {
    const url = new URL(baseUrl);
    url.pathname = `/${db}`;
    const redis = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    const empty = (await redis.dbsize()) === 0;
    const claimed = empty && (await redis.set(LEASE_KEY, token, 'EX', ttlSeconds, 'NX')) === 'OK';
    if (claimed && (await redis.dbsize()) === 1) {
      const renew = async () => void (await redis.set(LEASE_KEY, token, 'EX', ttlSeconds));
      const release = async () => {
        try {
          if ((await redis.get(LEASE_KEY)) === token) await redis.flushdb();
        } finally {
          redis.disconnect();
        }
      };
      return { db, url: url.toString(), redis, renew, release };
    }
    if (claimed) await redis.del(LEASE_KEY); // someone wrote there at the same moment: leave it to them
    redis.disconnect();
  }
  throw new Error('no empty Redis database among 1–15 to lease');
}
