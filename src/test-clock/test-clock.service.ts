// CLOCK_MODE=controllable: the service clock runs ahead of real time by an
// offset kept in Redis and announced over pub/sub, so every process agrees.
// Advancing sweeps deadlines, which makes every one now due fire through the normal path.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DeadlineScheduler } from '../deadlines/deadline.scheduler';
import { REDIS } from '../redis/redis';

@Injectable()
export class TestClockService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TestClock');
  private subscriber?: Redis;

  constructor(
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly scheduler: DeadlineScheduler,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  private get key() {
    return `${this.config.QUEUE_PREFIX}:test-clock:offset-ms`;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.clock.setOffset(Number((await this.redis.get(this.key)) ?? 0));
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    await this.subscriber.subscribe(this.key);
    this.subscriber.on('message', (_channel, offset) => {
      this.clock.setOffset(Number(offset));
      if (this.config.RUN_WORKERS) void this.scheduler.sweep().catch((e) => this.logger.warn(e.message));
    });
  }

  async advance(ms: number): Promise<Date> {
    const offset = await this.redis.incrby(this.key, Math.round(ms));
    this.clock.setOffset(offset);
    await this.redis.publish(this.key, String(offset));
    await this.scheduler.sweep();
    this.logger.log(`clock advanced by ${ms} ms to ${this.clock.now().toISOString()}`);
    return this.clock.now();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
