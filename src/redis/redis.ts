// Redis connections, one place for all of them: a single server (REDIS_URL) or a
// Redis Cluster (REDIS_CLUSTER_NODES, seed nodes; credentials and TLS still from
// REDIS_URL). One connection for readiness checks, counters and pub/sub is opened
// before boot; queues and workers make their own with createRedis. Start-up
// refuses to go on without Redis, with one line that says how to get one.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { parseClusterNodes } from './redis-target';

export { hashTagOf, parseClusterNodes } from './redis-target';

export const REDIS = Symbol('REDIS');

/** A single server or a cluster: the commands CaseLink uses (EVAL on one key, GET, DEL, PUBLISH, SUBSCRIBE, PING) work on both. */
export type RedisConnection = Redis | Cluster;

export interface RedisTarget {
  /** redis[s]://[user:password@]host:port[/db]: the server, or in cluster mode only its user, password and TLS. */
  url: string;
  /** Set: cluster mode, these are the seed nodes (host:port, comma-separated); the others are discovered. */
  clusterNodes?: string;
}

/** Where this process's Redis is, from the validated config. */
export function redisTarget(config: Pick<AppConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): RedisTarget {
  return { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
}

export const isCluster = (redis: RedisConnection): redis is Cluster => (redis as Cluster).isCluster === true;

/** User, password and TLS of REDIS_URL, for every node of a cluster. */
function credentialsOf(url: string): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const u = new URL(url);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

export interface ConnectionOptions {
  /** Per-command options (maxRetriesPerRequest, lazyConnect …) for the server, or for every node of the cluster. */
  redis?: Omit<RedisOptions, 'retryStrategy' | 'enableOfflineQueue'>;
  enableOfflineQueue?: boolean;
  retryMs?: number;
}

/** A new connection to the target, not yet connected when `redis.lazyConnect` is set. */
export function createRedis(target: RedisTarget, options: ConnectionOptions = {}): RedisConnection {
  const retry = options.retryMs === undefined ? undefined : () => options.retryMs!;
  if (!target.clusterNodes) {
    return new Redis(target.url, {
      ...options.redis,
      ...(options.enableOfflineQueue === undefined ? {} : { enableOfflineQueue: options.enableOfflineQueue }),
      ...(retry ? { retryStrategy: retry } : {}),
    });
  }
  const { lazyConnect, ...perNode } = options.redis ?? {};
  const clusterOptions: ClusterOptions = {
    lazyConnect,
    redisOptions: { ...credentialsOf(target.url), ...perNode },
    ...(options.enableOfflineQueue === undefined ? {} : { enableOfflineQueue: options.enableOfflineQueue }),
    ...(retry ? { clusterRetryStrategy: retry } : {}),
    // A node that went away and came back (or a failover): learn the slots again soon.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    slotsRefreshInterval: 5000,
  };
  return new Cluster(parseClusterNodes(target.clusterNodes), clusterOptions);
}

/** One more connection like `redis`, for SUBSCRIBE (a subscribed connection can do nothing else); it queues while reconnecting. */
export function subscriberOf(redis: RedisConnection): RedisConnection {
  if (isCluster(redis)) {
    return redis.duplicate(undefined, {
      enableOfflineQueue: true,
      redisOptions: { ...redis.options.redisOptions, maxRetriesPerRequest: null },
    });
  }
  return redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
}

/** The masters of a cluster, or the one server. */
export function serversOf(redis: RedisConnection): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/** connectRedis with the validated config: the server or the cluster, the eviction check unless skipped. */
export function connectConfiguredRedis(
  config: Pick<AppConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_SKIP_EVICTION_CHECK'>,
): Promise<RedisConnection> {
  return connectRedis(config.REDIS_URL, {
    skipEvictionCheck: config.REDIS_SKIP_EVICTION_CHECK,
    clusterNodes: config.REDIS_CLUSTER_NODES,
  });
}

export async function connectRedis(
  url: string,
  options: { skipEvictionCheck?: boolean; clusterNodes?: string } = {},
): Promise<RedisConnection> {
  const target: RedisTarget = { url, clusterNodes: options.clusterNodes };
  const redis = createRedis(target, {
    redis: { lazyConnect: true, maxRetriesPerRequest: 1 },
    enableOfflineQueue: false,
    retryMs: 1000,
  });
  redis.on('error', () => undefined); // reported through readiness and failing commands, not as crashes
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const where = target.clusterNodes ? `the Redis Cluster nodes ${target.clusterNodes}` : redactUrl(url);
    const how = target.clusterNodes
      ? 'Check that the nodes in REDIS_CLUSTER_NODES answer and report cluster_state:ok (redis-cli -c -p PORT CLUSTER INFO).'
      : 'Start one with "docker compose up -d redis" or your system package (redis-server), or set REDIS_URL.';
    throw new Error(`Redis is not reachable at ${where} (${(e as Error).message}). ${how}`);
  }
  if (!options.skipEvictionCheck) await refuseEvictingRedis(redis);
  return redis;
}

/** Queued jobs are triggers the sweeper can rebuild, but an evicting Redis would drop them silently all the time. */
async function refuseEvictingRedis(redis: RedisConnection): Promise<void> {
  // Every master of a cluster holds some keys: each one must keep them.
  for (const server of serversOf(redis)) {
    const name = isCluster(redis) ? ` on ${server.options.host}:${server.options.port}` : '';
    let policy: string | undefined;
    try {
      policy = ((await server.config('GET', 'maxmemory-policy')) as string[])[1];
    } catch (e) {
      redis.disconnect();
      throw new Error(
        `Cannot read Redis maxmemory-policy${name} (${(e as Error).message}); on a managed Redis that hides CONFIG, make sure it is noeviction and set REDIS_SKIP_EVICTION_CHECK=true.`,
      );
    }
    if (policy !== 'noeviction') {
      redis.disconnect();
      throw new Error(
        `Redis maxmemory-policy is "${policy}"${name}; CaseLink needs "noeviction" (redis-cli CONFIG SET maxmemory-policy noeviction), or set REDIS_SKIP_EVICTION_CHECK=true if you are sure.`,
      );
    }
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
