// "This user changed" (password, roles, agency, active, logout, API key
// revoked), announced to every process: each API process caches users for a
// few seconds and watches open notification streams, and must drop both at
// once. The changing process tells its own listeners directly and publishes on
// Redis; every other process holds ONE subscriber connection for the channel.
// A lost message (Redis down) costs at most the cache lifetime.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { REDIS, subscriberOf, type RedisConnection } from '../redis/redis';

export type UserChangeListener = (userId: string) => void;

export const userChangesChannel = (config: AppConfig) => `${config.QUEUE_PREFIX}:user-changes`;

@Injectable()
export class UserChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('UserChanges');
  private readonly listeners = new Set<UserChangeListener>();
  /** Our own messages come back through the subscription: recognised and skipped. */
  private readonly processId = randomUUID();
  private subscriber?: RedisConnection;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_API) return; // no requests to authenticate here
    const subscriber = subscriberOf(this.redis);
    subscriber.on('error', () => undefined); // ioredis reconnects and resubscribes by itself
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { userId, from } = JSON.parse(message) as { userId?: unknown; from?: unknown };
        if (typeof userId === 'string' && from !== this.processId) this.notify(userId);
      } catch {
        // not ours
      }
    });
    await subscriber.subscribe(userChangesChannel(this.config));
    this.subscriber = subscriber;
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  /** Returns the unsubscribe function. */
  listen(listener: UserChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call after the change is committed, so that whoever reloads sees it. */
  async announce(userId: string): Promise<void> {
    this.notify(userId);
    try {
      await this.redis.publish(userChangesChannel(this.config), JSON.stringify({ userId, from: this.processId }));
    } catch (e) {
      this.logger.warn(`user ${userId} changed, other processes not told (Redis): ${(e as Error).message}`);
    }
  }

  private notify(userId: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(userId);
      } catch (e) {
        this.logger.warn(`user-change listener failed: ${(e as Error).message}`);
      }
    }
  }
}
