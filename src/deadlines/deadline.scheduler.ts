// Sweeps for deadline jobs the queue lost (the outbox relay arms them as rows
// change). A deadline's jobs are keyed by (id, version): a changed deadline gets
// new jobs, and a stale job finds a newer version and does nothing. When Redis
// lost everything (a flush, a new empty instance), every open deadline is re-armed
// at once, in batches.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { RedisConnection } from '../redis/redis';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig, escalationGraceMs } from '../config/app-config';
import type { ServiceNotice } from '../notifications/notification-texts';
import { OUTBOX_TOPICS, OutboxWriter } from '../outbox/outbox.writer';
import { QueueService } from '../queues/queue.service';
import { deadlineJobs, timingOf } from '../queues/deadline-jobs';
import { dueBy, wantingJobsAfter, yearsCountedOnMissingCalendars, type DeadlineRecord } from './deadlines.repository';
import { REDIS } from '../redis/redis';

const REARM_BATCH = 2000;

@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Deadlines');
  private timer?: NodeJS.Timeout;
  private sweeping: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly outbox: OutboxWriter,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_WORKERS) return;
    await this.sweep();
    this.timer = setInterval(
      () => void this.sweep().catch((e) => this.logger.warn(`sweep failed: ${e.message}`)),
      this.config.SWEEP_INTERVAL_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /**
   * Every deadline whose time comes before the next sweep but one gets its jobs
   * (a Redis flush or restart loses nothing: a later deadline is re-armed as it
   * approaches), and every one whose time has come runs now (a service down for
   * days catches up). Looking only that far ahead keeps a sweep cheap with many
   * open deadlines.
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    await this.rearmAllAfterRedisLoss();
    const horizon = new Date(this.clock.now().getTime() + Math.max(2 * this.config.SWEEP_INTERVAL_MS, 5 * 60_000));
    const rows = await dueBy(this.db.manager, horizon, this.config.ESCALATION_GRACE_HOURS);
    for (const d of rows) await this.ensureJobs(d);
    await this.remindToLoadCalendars().catch((e) => this.logger.warn(`calendar reminder failed: ${e.message}`));
    return rows.length;
  }

  /**
   * DOMAIN.md: open deadlines counted into a year whose calendar is not loaded remind
   * the admins to load it, once per year. Written here, never in an event's transaction:
   * one row shared by unrelated referrals there made concurrent events queue on it.
   * The notice goes to the administration agency only and names no referral.
   */
  async remindToLoadCalendars(): Promise<number> {
    const years = await yearsCountedOnMissingCalendars(this.db.manager, this.config.APP_TIMEZONE);
    if (years.length === 0) return 0;
    const [admin]: { id: string }[] = await this.db.query(`SELECT id FROM agencies WHERE code = 'caselink-admin'`);
    if (!admin) return 0; // no administration agency yet: a later sweep reminds
    await this.db.transaction(async (tx) => {
      for (const { year, pending } of years) {
        await this.outbox.write(tx, OUTBOX_TOPICS.notification, `calendar-missing:${year}`, {
          template: 'calendar-missing' satisfies ServiceNotice,
          recipientAgencyIds: [admin.id],
          notice: { year, pendingDeadlines: pending },
        });
        this.logger.log(`calendar ${year} not loaded: ${pending} open deadlines counted provisionally; admins reminded`);
      }
    });
    return years.length;
  }

  /**
   * A marker key lives beside the queues: if it is gone, so are they (FLUSHDB, a new
   * empty Redis), and every open deadline gets its jobs back now rather than as it
   * comes within the sweep's horizon. BullMQ skips ids it still holds, so a false
   * alarm costs one pass and adds nothing twice.
   */
  async rearmAllAfterRedisLoss(): Promise<number> {
    const marker = `${this.config.QUEUE_PREFIX}:deadlines-armed`;
    if ((await this.redis.exists(marker)) === 1) return 0;
    const grace = escalationGraceMs(this.config);
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows = await wantingJobsAfter(this.db.manager, after, REARM_BATCH);
      if (rows.length === 0) break;
      await this.queues.addBulk(rows.flatMap((d) => deadlineJobs(timingOf(d), grace)));
      total += rows.length;
      after = rows[rows.length - 1].id;
    }
    // Set only once all are back: a pass cut short by an outage runs again at the next sweep.
    await this.redis.set(marker, new Date().toISOString());
    if (total > 0) this.logger.log(`Redis held no deadline jobs: ${total} open deadlines re-armed`);
    return total;
  }

  private async ensureJobs(d: DeadlineRecord): Promise<void> {
    const grace = escalationGraceMs(this.config);
    for (const job of deadlineJobs(timingOf(d), grace)) await this.queues.ensure(job.name, job.data, job.runAt);
  }
}
