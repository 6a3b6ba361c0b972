// CLOCK_MODE=controllable: the service clock runs ahead of real time by an
// offset kept in PostgreSQL (table test_clock), so losing or flushing Redis never
// moves it back. Redis pub/sub only announces a change: every process then reads
// the offset from the database; it also re-reads it now and then, in case an
// announcement was lost. Advancing sweeps deadlines, which makes every one now due
// fire through the normal path.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DeadlineScheduler } from '../deadlines/deadline.scheduler';
import { REDIS, subscriberOf, type RedisConnection } from '../redis/redis';

const REFRESH_MS = 5000;

@Injectable()
export class TestClockService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TestClock');
  private subscriber?: RedisConnection;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly scheduler: DeadlineScheduler,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  /** The pub/sub channel announcing a change (and, before the offset moved to PostgreSQL, its key). */
  private get channel() {
    return `${this.config.QUEUE_PREFIX}:test-clock:offset-ms`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.adoptLegacyOffset();
    await this.refresh();
    this.subscriber = subscriberOf(this.redis);
    this.subscriber.on('error', () => undefined);
    // A reconnect may have missed announcements: read the offset again.
    this.subscriber.on('ready', () => void this.refresh().catch(() => undefined));
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('message', () => {
      void this.refresh()
        .then(() => (this.config.RUN_WORKERS ? this.scheduler.sweep() : undefined))
        .catch((e) => this.logger.warn(e.message));
    });
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the offset from the database; the clock only ever moves forward. */
  async refresh(): Promise<number> {
    const [row]: { offset_ms: string }[] = await this.db.query(`SELECT offset_ms FROM test_clock WHERE id`);
    this.clock.setOffset(Number(row?.offset_ms ?? 0));
    return this.clock.offset();
  }

  async advance(ms: number): Promise<Date> {
    // Added in the database, atomically: two processes advancing at once both count.
    const [row]: { offset_ms: string }[] = await this.db.query(
      `INSERT INTO test_clock (id, offset_ms, updated_at) VALUES (true, $1, now())
       ON CONFLICT (id) DO UPDATE SET offset_ms = test_clock.offset_ms + EXCLUDED.offset_ms, updated_at = now()
       RETURNING offset_ms`,
      [Math.round(ms)],
    );
    this.clock.setOffset(Number(row.offset_ms));
    try {
      await this.redis.publish(this.channel, row.offset_ms);
    } catch (e) {
      // The others catch up on their next refresh.
      this.logger.warn(`could not announce the clock change: ${(e as Error).message}`);
    }
    await this.scheduler.sweep();
    this.logger.log(`clock advanced by ${ms} ms to ${this.clock.now().toISOString()}`);
    return this.clock.now();
  }

  /** An offset a version before this one kept in Redis is carried over once, never lowered. */
  private async adoptLegacyOffset(): Promise<void> {
    const legacy = Number((await this.redis.get(this.channel).catch(() => null)) ?? 0);
    if (!Number.isSafeInteger(legacy) || legacy <= 0) return;
    await this.db.query(
      `INSERT INTO test_clock (id, offset_ms, updated_at) VALUES (true, $1, now())
       ON CONFLICT (id) DO UPDATE SET offset_ms = greatest(test_clock.offset_ms, EXCLUDED.offset_ms), updated_at = now()`,
      [legacy],
    );
    await this.redis.del(this.channel).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.subscriber?.disconnect();
  }
}
